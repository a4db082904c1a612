"""The projector's address, and what the room sees on it, from the command line: for a
headless `facilitator serve` (an online round shown in a hall) or a script."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.common import (
    ID,
    Refused,
    db_option,
    event_activity,
    handle_errors,
    host_option,
    open_store,
    port_option,
    public_url_option,
)


@click.command("projector")
@click.argument("event")
@host_option
@port_option
@click.option("--show", type=click.Choice(["auto", "join", "activity"]),
              help="What the room sees: the open activity, else the join screen (auto);"
                   " the join screen; the activity.")
@click.option("--activity", "activity_id", type=ID,
              help="With --show activity: this activity, open or closed (a closed vote's"
                   " results); else the open ones.")
@click.option("--freeze/--live", default=None,
              help="Keep the projector's screen as it is, or let it follow again.")
@click.option("--starred/--all-notes", default=None,
              help="Show only the notes the facilitator starred, or all of them.")
@click.option("--workshop", "workshop", metavar="NAME_OR_ID",
              help="Only this parallel workshop's activities (and the whole room's), and"
                   " its own join link.")
@click.option("--all-workshops", is_flag=True,
              help="The whole event again, after --workshop.")
@public_url_option
@db_option
@handle_errors
def projector(event: str, host: str, port: int, show: str | None, activity_id: int | None,
              freeze: bool | None, starred: bool | None, workshop: str | None,
              all_workshops: bool, public_url: str | None, db_path: Path | None):
    """Print the projector's address for EVENT (one line per address the server is
    reached at, as `serve` prints the join URLs), and set what it shows."""
    from facilitator.web import base_urls
    from facilitator.web import projector as wall

    store = open_store(db_path)
    found = store.find_event(event)
    changes = {k: v for k, v in (("show", show), ("frozen", freeze), ("starred", starred))
               if v is not None}
    if show is not None:
        changes["activity"] = None
    if activity_id is not None:
        if show not in (None, "activity"):
            raise Refused("--activity goes with --show activity")
        changes.update(show="activity",
                       activity=event_activity(store, found, activity_id).id)
    if workshop is not None and all_workshops:
        raise Refused("--workshop and --all-workshops go one at a time")
    if workshop is not None:
        changes["workshop"] = _workshop(store, found.id, workshop).id
    if all_workshops:
        changes["workshop"] = None
    if changes:
        wall.set_mode(store, found.id, **changes)
    secret = store.secret()
    for base in base_urls(host, port, public_url):
        click.echo(wall.projector_url(base, secret, found.id))


def _workshop(store, event_id: int, given: str):
    """The event's workshop by id or by name (case and surrounding spaces aside)."""
    workshops = store.workshops(event_id)
    if not workshops:
        raise Refused(f"event {event_id} has no parallel workshops")
    wanted = given.strip()
    for w in workshops:
        if (wanted.isdigit() and w.id == int(wanted)) or w.name.casefold() == wanted.casefold():
            return w
    names = ", ".join(f"{w.id} {w.name}" for w in workshops)
    raise Refused(f"no workshop {given!r} in event {event_id}; its workshops: {names}")


COMMANDS = (projector,)
