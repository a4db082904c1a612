"""Themes (teemoittelu) for scripts and online rounds: `themes` lists an activity's themes
or suggests some (changing nothing), `theme` puts notes in a theme or deletes one.

Each change is `facilitator.methods.theming`'s, as the console's keys are: it checks the
activity and the notes first and changes nothing otherwise, and it is a logged step, so
`facilitator undo EVENT` takes back the last one.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from facilitator.cli.common import (
    ID,
    Refused,
    db_option,
    handle_errors,
    json_option,
    one_line,
    open_store,
    plural,
)
from facilitator.methods import theming


def _ids(ids) -> str:
    return ",".join(map(str, ids)) or "-"


@click.command()
@click.argument("event")
@click.argument("activity_id", metavar="ACTIVITY", type=ID)
@click.option("--suggest", is_flag=True,
              help="Suggest groups of the notes in no theme yet; changes nothing.")
@click.option("--level", type=click.IntRange(-20, 20), default=0, show_default=True,
              help="With --suggest: more groups (1, 2 …) or fewer (-1, -2 …).")
@json_option
@db_option
@handle_errors
def themes(event: str, activity_id: int, suggest: bool, level: int, as_json: bool,
           db_path: Path | None):
    """The themes of ACTIVITY in the facilitator's order, with their notes' ids; or,
    with --suggest, suggested groups of its unthemed notes (nothing is changed)."""
    store = open_store(db_path)
    found = store.find_event(event)
    activity = theming.activity_of(store, found.id, activity_id)
    if suggest:
        _suggestions(store, activity, level, as_json)
        return
    notes = store.notes(activity.id)
    listed = [(t, [n.id for n in notes if n.theme_id == t.id])
              for t in store.themes(activity.id)]
    unthemed = [n.id for n in notes if n.theme_id is None]
    if as_json:
        click.echo(json.dumps({
            "activity": activity.id,
            "themes": [{"title": t.title, "notes": ids} for t, ids in listed],
            "unthemed": unthemed,
            "offered": theming.choices(store, activity)[len(listed):],
        }, ensure_ascii=False, indent=2))
        return
    for theme, ids in listed:
        click.echo(f"{one_line(theme.title)}\t{len(ids)}\t{_ids(ids)}")
    click.echo(f"-\t{len(unthemed)}\t{_ids(unthemed)}")


def _suggestions(store, activity, level: int, as_json: bool) -> None:
    lang = "fi"  # the room's notes are Finnish; the command line's own words are English
    found = theming.suggest(store, activity, level, lang)
    if as_json:
        click.echo(json.dumps({
            "activity": activity.id,
            "level": found.level,
            "backend": found.backend,
            "better_with_voikko": found.better_with_voikko,
            "can_more": found.can_more,
            "can_fewer": found.can_fewer,
            "groups": [{"label": g.label, "notes": list(g.note_ids)} for g in found.groups],
            "duplicates": [{"notes": [a, b], "similarity": s} for a, b, s in found.duplicates],
        }, ensure_ascii=False, indent=2))
        return
    for group in found.groups:
        click.echo(f"{one_line(group.label)}\t{_ids(group.note_ids)}")
    for a, b, similarity in found.duplicates:
        click.echo(f"duplicates\t{a},{b}\t{similarity:.2f}")
    if not found.groups:
        click.echo("no suggestions")
    if found.better_with_voikko:
        click.echo("suggestions are better with Voikko installed (libvoikko1, voikko-fi)",
                   err=True)


@click.command()
@click.argument("event")
@click.argument("activity_id", metavar="ACTIVITY", type=ID)
@click.argument("label")
@click.argument("note_ids", metavar="[NOTE]...", nargs=-1, type=ID)
@click.option("--remove", is_flag=True,
              help="Delete the theme LABEL; its notes are left without a theme.")
@click.option("--rename", "new_label", default=None, metavar="NEW",
              help="Rename the theme LABEL to NEW.")
@click.option("--move", "move", type=click.Choice(["up", "down"]), default=None,
              help="Move the theme LABEL one place up or down in the memo's order.")
@db_option
@handle_errors
def theme(event: str, activity_id: int, label: str, note_ids: tuple[int, ...], remove: bool,
          new_label: str | None, move: str | None, db_path: Path | None):
    """Put notes of ACTIVITY in the theme LABEL (made if new, any case and spacing the
    same), out of any other; or delete the theme with --remove, rename it with --rename,
    reorder it with --move."""
    store = open_store(db_path)
    event_id = store.find_event(event).id
    if sum(bool(x) for x in (remove, new_label is not None, move)) > 1:
        raise Refused("give one of --remove, --rename, --move")
    if (new_label is not None or move) and note_ids:
        raise Refused("--rename and --move take no NOTE")
    if new_label is not None:
        found = theming.theme_of(store, event_id, activity_id, label)
        theming.rename(store, event_id, activity_id, label, new_label)
        click.echo(f"renamed theme {found.title!r} to {new_label.strip()!r}"
                   f" (undo: facilitator undo {event_id})")
        return
    if move:
        found = theming.theme_of(store, event_id, activity_id, label)
        theming.move(store, event_id, activity_id, label, -1 if move == "up" else 1)
        click.echo(f"moved theme {found.title!r} {move} (undo: facilitator undo {event_id})")
        return
    if remove:
        if note_ids:
            raise Refused("--remove takes no NOTE")
        found = theming.theme_of(store, event_id, activity_id, label)
        step = theming.delete(store, event_id, activity_id, label)
        click.echo(f"deleted theme {found.title!r}; {plural(len(step.note_ids), 'note')}"
                   f" left without a theme (undo: facilitator undo {event_id})")
        return
    if not note_ids:
        raise Refused("give the notes to put in the theme, or --remove")
    made, step = theming.assign(store, event_id, activity_id, label, note_ids)
    click.echo(f"{plural(len(step.note_ids), 'note')} in theme {made.title!r}"
               f" (undo: facilitator undo {event_id})")


COMMANDS = (themes, theme)
