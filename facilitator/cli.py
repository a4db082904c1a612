"""The command line: `facilitator` opens the console; subcommands script the same database.

Every error a user can cause (unknown event, broken template, unwritable database, busy
port) is one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import click

from facilitator import templates
from facilitator.storage import DatabaseError, EventNotFound, StateError, Store, open_db
from facilitator.templates import TemplateError

#: What the console opens on an empty database, so a new user sees a working console.
DEFAULT_TEMPLATE = "seminaari-2"
DEFAULT_PORT = 8080

class Refused(Exception):
    """A request the CLI will not carry out; the message says why."""


#: sqlite3.Error: a locked or read-only database met after opening; OSError: files and ports.
EXPECTED_ERRORS = (DatabaseError, EventNotFound, StateError, TemplateError, OSError,
                   sqlite3.Error, Refused)


def _fail(message: str, code: int = 1):
    click.echo(f"facilitator: {message}", err=True)
    sys.exit(code)


def _handle_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as exc:  # e.g. "database is locked" past the busy timeout
            _fail(f"database error: {exc}")
        except EXPECTED_ERRORS as exc:
            _fail(str(exc))

    return wrapper


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,  # then FACILITATOR_DB, then the user data directory (open_db decides)
    help="SQLite file (default: FACILITATOR_DB or the user data directory).",
)
host_option = click.option(
    "--host", default="0.0.0.0", show_default=True,
    help="Address to listen on; the join URL uses the LAN address when this is 0.0.0.0.",
)
port_option = click.option("--port", default=DEFAULT_PORT, show_default=True,
                           type=click.IntRange(0, 65535))
#: An id the database can hold; larger numbers are a typing error, said as one.
ID = click.IntRange(1, 2**63 - 1)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _store(db_path: Path | None) -> Store:
    """The command's --db, else one given before the command (`facilitator --db X list`)."""
    if db_path is None:
        db_path = click.get_current_context().find_root().params.get("db_path")
    return Store(open_db(db_path))


@click.group(invoke_without_command=True)
@db_option
@host_option
@port_option
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True)
@click.version_option(package_name="facilitator")
@click.pass_context
def main(ctx: click.Context, db_path: Path | None, host: str, port: int, lang: str):
    """Run participatory seminars: the console, the participant server and the memo.

    With no command, opens the console (creating the bundled seminar on an empty database);
    --host, --port and --lang then apply to it as to `facilitator run`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run, event=None, host=host, port=port, db_path=db_path, lang=lang)


@main.command("templates")
@json_option
@_handle_errors
def list_templates(as_json: bool):
    """The bundled event templates."""
    infos = templates.bundled()
    if as_json:
        click.echo(json.dumps([{"name": i.name, "title": i.title} for i in infos],
                              ensure_ascii=False, indent=2))
        return
    width = max(len(i.name) for i in infos)
    for info in infos:
        click.echo(f"{info.name:<{width}}  {info.title}")


@main.command()
@click.argument("template")
@json_option
@db_option
@_handle_errors
def new(template: str, as_json: bool, db_path: Path | None):
    """Create an event from TEMPLATE (a bundled name or a path to a .toml file)."""
    event_template = templates.load(templates.resolve(template))  # fails before any write
    event = _store(db_path).create_event(event_template)
    if as_json:
        click.echo(json.dumps({"id": event.id, "join_code": event.join_code, "title": event.title},
                              ensure_ascii=False))
    else:
        click.echo(f"{event.id}\t{event.join_code}\t{event.title}")


def _event_json(store: Store, event) -> dict:
    return {
        "id": event.id,
        "title": event.title,
        "join_code": event.join_code,
        "template": event.template,
        "participants": store.participant_count(event.id),
        "activities": [
            {"id": a.id, "method": a.method, "title": a.title, "state": a.state,
             "notes": store.note_count(a.id)}
            for a in store.activities(event.id)
        ],
    }


@main.command("list")
@json_option
@db_option
@_handle_errors
def list_events(as_json: bool, db_path: Path | None):
    """The events in the database, with their activities."""
    store = _store(db_path)
    events = [_event_json(store, e) for e in store.events()]
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for event in events:
        click.echo(f"{event['id']}\t{event['join_code']}\t{event['title']}")
        for a in event["activities"]:
            click.echo(f"    {a['id']:>4}  {a['state']:<6}  {a['method']:<12}  {a['title']}")


def _set_state(db_path: Path | None, event_ref: str, activity_id: int, state: str) -> None:
    store = _store(db_path)
    event = store.find_event(event_ref)
    activity = store.set_activity_state(event.id, activity_id, state)
    click.echo(f"{activity.id}\t{activity.state}\t{activity.title}")


@main.command("open")
@click.argument("event")
@click.argument("activity", type=ID)
@db_option
@_handle_errors
def open_activity(event: str, activity: int, db_path: Path | None):
    """Open ACTIVITY of EVENT (id or join code) for input; reopens a closed one."""
    _set_state(db_path, event, activity, "open")


@main.command("close")
@click.argument("event")
@click.argument("activity", type=ID)
@db_option
@_handle_errors
def close_activity(event: str, activity: int, db_path: Path | None):
    """Close ACTIVITY of EVENT: phones can no longer post to it."""
    _set_state(db_path, event, activity, "closed")


@main.command()
@click.argument("event", required=False)
@host_option
@port_option
@db_option
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True)
@_handle_errors
def run(event: str | None, host: str, port: int, db_path: Path | None, lang: str):
    """The console and the participant server, in one process."""
    from facilitator.web import bind_socket

    store = _store(db_path)
    event_id = None
    if event is not None:
        event_id = store.find_event(event).id
    elif not store.events():
        event_id = store.create_event(templates.load(templates.resolve(DEFAULT_TEMPLATE))).id
    sock = bind_socket(host, port)  # before the UI: a busy port is a one-line error
    from facilitator.tui import run_console  # Textual only when the console runs

    sys.exit(run_console(store, sock, host, event_id=event_id, lang=lang))


@main.command()
@click.argument("event")
@host_option
@port_option
@db_option
@_handle_errors
def serve(event: str, host: str, port: int, db_path: Path | None):
    """The participant server alone (online rounds); stops on Ctrl+C or SIGTERM."""
    from facilitator.web import ParticipantServer, base_urls, bind_socket, join_url
    from facilitator.web.server import serve_until_stopped

    store = _store(db_path)
    found = store.find_event(event)
    sock = bind_socket(host, port)
    server = ParticipantServer(store, sock, only_event=found.id)

    def ready():
        # Flushed at once: under a service manager stdout is a file, not a terminal.
        for base in base_urls(host, server.port):
            click.echo(join_url(base, found.join_code))
        sys.stdout.flush()

    asyncio.run(serve_until_stopped(server, ready))


@main.command()
@click.argument("event")
@click.option("--format", "fmt", type=click.Choice(["md"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing.")
@click.option("--lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True)
@db_option
@_handle_errors
def memo(event: str, fmt: str, output: Path | None, lang: str, db_path: Path | None):
    """The seminar memo (muistio) of EVENT."""
    from facilitator.memo import build_memo, render_markdown

    store = _store(db_path)
    text = render_markdown(build_memo(store, store.find_event(event).id, lang), lang=lang)
    if output is None:
        if not sys.stdout.isatty():  # `facilitator memo 1 > muistio.md` gets Markdown
            click.echo(text, nl=False)
            return
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
        return
    _write_export(output, text, _database_file(store))
    click.echo(str(output))


def _database_file(store: Store) -> Path | None:
    row = store.db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).resolve() if row and row[2] else None


def _write_export(output: Path, text: str, database: Path | None) -> None:
    """Write atomically (a complete file or none), and never over the seminar's data."""
    target = output.resolve()
    if database is not None and target in {
        database, Path(f"{database}-wal"), Path(f"{database}-shm")
    }:
        raise Refused(f"{output} is the database itself; choose another file")
    if target.is_file():
        with target.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                raise Refused(f"{output} is an SQLite database; choose another file")
    if not target.parent.is_dir():
        raise Refused(f"{output}: no such directory {target.parent}")
    if target.is_dir():
        raise Refused(f"{output} is a directory; give a file name")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
