"""`facilitator import`: JSON archives (`memo --format json`) loaded into the database, as a
new event or merged into one (the workshops of seminar 2, run on separate laptops)."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.common import Refused, db_option, handle_errors, open_store, plural
from facilitator.storage.archive import ArchiveError


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", default=None, metavar="EVENT",
              help="Merge into this event (id or join code), made from the same template.")
@db_option
@handle_errors
def import_archives(files: tuple[Path, ...], into: str | None, db_path: Path | None):
    """Load the archives FILE… (`facilitator memo EVENT -o FILE.json`): into EVENT with
    --into, else as a new event (the others merge into it). Rows already in the event are
    not added again; all files load, or none."""
    from facilitator.memo.archive import import_archives as load

    store = open_store(db_path)
    target = store.find_event(into).id if into is not None else None
    try:
        result = load(store, files, target)
    except ArchiveError as error:
        raise Refused(str(error)) from None
    event = result.event
    click.echo(f"{event.id}\t{event.join_code}\t{event.title}")
    added, known = result.added, result.known
    line = (f"added {plural(added.get('notes', 0), 'note')},"
            f" {plural(added.get('votes', 0), 'vote')},"
            f" {plural(added.get('participants', 0), 'participant')},"
            f" {plural(added.get('moderation', 0), 'moderation step')}")
    already = sum(known.values())
    if already:
        line += f"; {plural(already, 'row')} already there"
    click.echo(line)


COMMANDS = (import_archives,)
