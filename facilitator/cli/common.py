"""What every command shares: the options, the store, the event it names, and the rule that
every error a user can cause is one line on stderr and exit 1, never a traceback."""

from __future__ import annotations

import functools
import sqlite3
import sys
from pathlib import Path

import click

from facilitator.domain import Activity, Event
from facilitator.i18n import t
from facilitator.methods.base import InvalidInput
from facilitator.storage import DatabaseError, EventNotFound, StateError, Store, open_db
from facilitator.templates import TemplateError

#: The command line speaks English, as its other messages do; the catalogue says it.
LANG = "en"


class Refused(Exception):
    """A request the CLI will not carry out; the message says why."""


#: sqlite3.Error: a locked or read-only database met after opening; OSError: files and ports.
EXPECTED_ERRORS = (DatabaseError, EventNotFound, StateError, TemplateError, OSError,
                   sqlite3.Error, Refused)


def fail(message: str, code: int = 1):
    click.echo(f"facilitator: {message}", err=True)
    sys.exit(code)


def handle_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as exc:  # e.g. "database is locked" past the busy timeout
            fail(f"database error: {exc}")
        except InvalidInput as invalid:  # the core's refusal, said from the catalogue
            fail(t(LANG, invalid.key, **invalid.params))
        except EXPECTED_ERRORS as exc:
            fail(str(exc))

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
DEFAULT_PORT = 8080
port_option = click.option("--port", default=DEFAULT_PORT, show_default=True,
                           type=click.IntRange(0, 65535))


class _Checked(click.ParamType):
    """A value checked by one of the core's functions (its ValueError is the message)."""

    def __init__(self, name: str, check):
        self.name, self._check = name, check

    def convert(self, value, param, ctx):
        try:
            return self._check(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _public_url(value: str) -> str:
    from facilitator.web.netinfo import public_url

    return public_url(value)


def _proxy(value: str) -> str:
    from facilitator.web.proxy import proxy_address

    return proxy_address(value)


public_url_option = click.option(
    "--public-url", type=_Checked("url", _public_url), default=None,
    help="The address phones use through a reverse proxy (https://…): the join URL, the "
         "QR codes and the group links show it.",
)
trust_proxy_option = click.option(
    "--trust-proxy", "trust_proxy", type=_Checked("address", _proxy), multiple=True,
    help="The reverse proxy's IP address: only its X-Forwarded-For is believed, for the "
         "per-address limits (repeatable).",
)
lang_option = click.option("--lang", type=click.Choice(["fi", "en"]), default="fi",
                           show_default=True)
#: An id the database can hold; larger numbers are a typing error, said as one.
class _Id(click.IntRange):
    """An id as typed: ASCII digits only. int() also reads "١" and "３" as numbers, so
    `hide 1 ３` hid note 3 though nothing on screen says 3."""

    name = "id"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not (value.isascii() and value.strip().isdigit()):
            self.fail(f"{value!r} is not an id (digits 0-9)", param, ctx)
        return super().convert(value, param, ctx)


ID = _Id(1, 2**63 - 1)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
log_option = click.option(
    "--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Append the server's log here (run: default facilitator.log next to the database).",
)


def start_log(log_path: Path | None, db_path: Path | None, default: bool) -> Path | None:
    """Send the server's log lines (one per refusal or failure) to a file: `--log`, or for
    the console (whose screen is the terminal) facilitator.log beside the database, so
    nothing is written over the screen. Without either, warnings go to stderr."""
    if log_path is None and default:
        from facilitator.storage.db import default_db_path

        log_path = (db_path or default_db_path()).parent / "facilitator.log"
    if log_path is None:
        return None
    import logging

    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("facilitator")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False  # not also on stderr: the console draws there
    return log_path


def open_store(db_path: Path | None) -> Store:
    """The command's --db, else one given before it (`facilitator --db X list`,
    `facilitator actions --db X 1 list`)."""
    here = click.get_current_context()
    ctx = here.parent
    while db_path is None and ctx is not None:
        db_path = ctx.params.get("db_path")
        ctx = ctx.parent
    db = open_db(db_path)
    # Closed when the command ends: in a process that runs many commands (the tests run
    # them in-process) every left-open connection kept three files open.
    here.call_on_close(db.close)
    return Store(db)


def event_activity(store: Store, event: Event, activity_id: int) -> Activity:
    """One of the event's activities; another event's is refused (StateError)."""
    activity = store.activity(activity_id)
    if activity.event_id != event.id:
        raise StateError(f"activity {activity_id} is not part of event {event.id}")
    return activity


def one_line(text: str) -> str:
    """Text for a tab-separated line: its line breaks and tabs as single spaces."""
    return " ".join(text.split())


def read_text(value: str) -> str:
    """A TEXT argument as given, or standard input (UTF-8) for `-`."""
    if value != "-":
        return value
    with click.open_file("-", encoding="utf-8") as stdin:
        return stdin.read()


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
