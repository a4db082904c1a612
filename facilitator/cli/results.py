"""What the facilitator writes down: each activity's *Mitä tuloksena* (`result`), the cards'
aims and ways of working (`card`), and the agreements, Mitä – Kuka – Mihin mennessä
(`actions`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from facilitator.cli.common import (
    ID,
    Refused,
    db_option,
    event_activity,
    handle_errors,
    json_option,
    one_line,
    open_store,
    read_text,
)
from facilitator.domain.models import ActionItem
from facilitator.methods.question import clean_text


@click.command()
@click.argument("event")
@click.argument("activity", type=ID)
@click.argument("text")
@db_option
@handle_errors
def result(event: str, activity: int, text: str, db_path: Path | None):
    """Set what ACTIVITY resulted in (*Mitä tuloksena*); TEXT `-` reads standard input,
    an empty TEXT clears it."""
    store = open_store(db_path)
    found = event_activity(store, store.find_event(event), activity)
    text = clean_text(read_text(text))
    store.set_activity_summary(found.id, text)
    done = "set" if text else "cleared"
    click.echo(f"{done} the result of activity {found.id} ({one_line(found.title)})")


def _lines(text: str) -> list[str]:
    """A card column from TEXT: one item a line, blank lines dropped."""
    return [line.strip() for line in clean_text(text).split("\n") if line.strip()]


@click.command()
@click.argument("event")
@click.option("--activity", "activity_id", type=ID, default=None,
              help="Edit the card of this activity's part, not the event's.")
@click.option("--aims", metavar="TEXT", default=None, help="What we aim at, one a line.")
@click.option("--how", metavar="TEXT", default=None, help="How we work, one a line.")
@click.option("--results", metavar="TEXT", default=None,
              help="The event's results (Mitä tuloksena), one a line.")
@db_option
@handle_errors
def card(event: str, activity_id: int | None, aims: str | None, how: str | None,
         results: str | None, db_path: Path | None):
    """Edit the card of EVENT, or of an activity's part: each TEXT one item a line (`-`
    reads standard input for one of them); a column not given stays as it is."""
    given = {name: value for name, value in (("aims", aims), ("how", how), ("results", results))
             if value is not None}
    if not given:
        raise Refused("give --aims, --how or --results")
    if list(given.values()).count("-") > 1:
        raise Refused("only one of --aims, --how and --results can read standard input")
    if activity_id is not None and results is not None:
        raise Refused("a part's results are its activities' results: set them with"
                      " `facilitator result EVENT ACTIVITY TEXT`")
    store = open_store(db_path)
    found = store.find_event(event)
    part_id = None
    if activity_id is not None:
        part_id = event_activity(store, found, activity_id).part_id
        if part_id is None:
            raise Refused(f"activity {activity_id} is in no part")
    columns = {name: _lines(read_text(value)) for name, value in given.items()}
    with store.transaction():  # the card's columns change together, or none
        store.set_card(found.id, part_id, aims=columns.get("aims"), how=columns.get("how"))
        if "results" in columns:
            store.set_event_summary(found.id, "\n".join(columns["results"]))
    if part_id is None:
        whose = f"event {found.id}"
    else:
        title = next(p.title for p in store.parts(found.id) if p.id == part_id)
        whose = f"part {part_id} ({one_line(title)})"
    click.echo(f"updated the card of {whose}: {', '.join(given)}")


# -- agreements --------------------------------------------------------------------------


def _event_ref() -> str:
    """EVENT, given to `actions` before its subcommand."""
    return click.get_current_context().parent.params["event"]


def _text(value: str, name: str) -> str:
    text = clean_text(value)
    if not text:
        raise Refused(f"{name} is empty")
    return text


def _item_line(item: ActionItem) -> str:
    return "\t".join([str(item.id), one_line(item.what), one_line(item.who) or "-",
                      one_line(item.due) or "-"])


@click.group()
@click.argument("event")
@db_option
def actions(event: str, db_path: Path | None):
    """The agreements of EVENT: what, who, by when (Mitä – Kuka – Mihin mennessä)."""


@actions.command("add")
@click.argument("what")
@click.option("--who", default="", help="Who does it.")
@click.option("--due", default="", help="By when (any text, e.g. 2025-06-30).")
@db_option
@handle_errors
def add_action(what: str, who: str, due: str, db_path: Path | None):
    """Add an agreement; prints its id."""
    what = _text(what, "WHAT")
    store = open_store(db_path)
    item = store.add_action_item(store.find_event(_event_ref()).id, what, clean_text(who),
                                 clean_text(due))
    click.echo(item.id)


@actions.command("list")
@json_option
@db_option
@handle_errors
def list_actions(as_json: bool, db_path: Path | None):
    """The agreements: id, what, who, due (tab-separated; `-` when empty)."""
    store = open_store(db_path)
    items = store.action_items(store.find_event(_event_ref()).id)
    if as_json:
        click.echo(json.dumps([{"id": i.id, "what": i.what, "who": i.who, "due": i.due,
                                "part": i.part_id} for i in items],
                              ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(_item_line(item))


@actions.command("edit")
@click.argument("item_id", metavar="ID", type=ID)
@click.option("--what", default=None)
@click.option("--who", default=None)
@click.option("--due", default=None)
@db_option
@handle_errors
def edit_action(item_id: int, what: str | None, who: str | None, due: str | None,
                db_path: Path | None):
    """Change an agreement; what is not given stays."""
    if what is None and who is None and due is None:
        raise Refused("give --what, --who or --due")
    if what is not None:
        what = _text(what, "--what")
    store = open_store(db_path)
    event_id = store.find_event(_event_ref()).id
    item = store.action_item(event_id, item_id)
    item = store.update_action_item(
        event_id, item_id, what=item.what if what is None else what,
        who=item.who if who is None else clean_text(who),
        due=item.due if due is None else clean_text(due))
    click.echo(_item_line(item))


@actions.command("remove")
@click.argument("item_id", metavar="ID", type=ID)
@db_option
@handle_errors
def remove_action(item_id: int, db_path: Path | None):
    """Remove an agreement."""
    store = open_store(db_path)
    store.remove_action_item(store.find_event(_event_ref()).id, item_id)
    click.echo(f"removed action item {item_id}")


COMMANDS = (result, card, actions)
