"""The database file itself: backup (a consistent copy while the server runs) and purge
(an event gone from the file, not only from the lists)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from facilitator.cli.common import Refused, db_option, handle_errors, open_store, plural


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@handle_errors
def backup(file: Path, db_path: Path | None):
    """Copy the database to FILE with SQLite's online backup, safe while the server runs;
    the copy is checked (PRAGMA quick_check) before it is called a backup."""
    if file.exists():
        raise Refused(f"{file} already exists; choose a new file")
    store = open_store(db_path)
    target = sqlite3.connect(str(file))
    try:
        # In steps of 1,000 pages: a running server's writes wait at most one step.
        store.db.conn.backup(target, pages=1000)
        verdict = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        target.close()
    if verdict != "ok":
        file.unlink(missing_ok=True)
        raise Refused(f"the copy failed its check ({verdict}); the database may be damaged")
    events = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    with events:
        count = events.execute("SELECT count(*) FROM events").fetchone()[0]
    events.close()
    click.echo(f"backed up {plural(count, 'event')} to {file}")


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


@click.command()
@click.argument("event")
@click.option("--yes", is_flag=True, help="Do not ask before deleting.")
@db_option
@handle_errors
def purge(event: str, yes: bool, db_path: Path | None):
    """Delete EVENT and everything of it (notes, votes, participants, agreements, the
    moderation log) from the file, then rewrite the file so none of its text is left."""
    store = open_store(db_path)
    found = store.find_event(event)
    if not yes:
        click.confirm(f"Delete event {found.id} ({found.title}) and all its notes for good?",
                      abort=True, err=True)
    conn = store.db.conn
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE '\\_%' ESCAPE '\\'"
    )]
    # Every row that names the event, its activities or its participants, whatever table
    # it is in (a method's new table is covered too); foreign keys are checked at the end.
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left as they were
    try:
        with store.transaction():
            ids = {
                "activity_id": [r[0] for r in conn.execute(
                    "SELECT id FROM activities WHERE event_id = ?", [found.id])],
                "participant_id": [r[0] for r in conn.execute(
                    "SELECT id FROM participants WHERE event_id = ?", [found.id])],
                "event_id": [found.id],
            }
            for table in tables:
                columns = _columns(conn, table)
                for column, values in ids.items():
                    if column in columns and values:
                        marks = ",".join("?" * len(values))
                        conn.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({marks})',
                                     values)
            conn.execute("DELETE FROM events WHERE id = ?", [found.id])
            dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                raise Refused(f"purge would leave rows pointing at the event: {dangling[:3]}")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    # VACUUM rewrites the file without the freed pages; the checkpoint then empties the
    # write-ahead log, which still held the deleted text.
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    click.echo(f"purged event {found.id} ({found.title})")


COMMANDS = (backup, purge)
