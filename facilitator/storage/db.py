"""Opening the database file and keeping its schema current."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

import platformdirs
import sqlite_utils

from facilitator.storage.migrations import migrations

ENV_VAR = "FACILITATOR_DB"
#: How long a write waits for another process's write to finish before giving up.
BUSY_TIMEOUT_MS = 5000
#: Files up to this size are checked at open (`PRAGMA quick_check`, every page read
#: once). Measured on a loaded 2-core machine: 0.11-0.23 s for 16.6 MB (50,000 long
#: notes, five times a big seminar), so a room's file costs a few milliseconds; a
#: bigger file is checked by `facilitator backup` instead, not at every command.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


class DatabaseError(Exception):
    """The database cannot be opened or written; the message is one line for the user."""


def default_db_path() -> Path:
    """`FACILITATOR_DB` if set, else facilitator.db in the user's data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("facilitator")) / "facilitator.db"


class Checkpointer:
    """Copies the write-ahead log into the database file from a thread of its own.

    SQLite does this itself every 1,000 pages, inside whichever commit crosses the line:
    in the server that is a phone's post, on the loop the console draws from, and the
    checkpoint's fsync held the loop for tens of milliseconds (the console's slowest key
    presses under load). A long-running server turns that off (`wal_autocheckpoint = 0`)
    and runs this instead: a PASSIVE checkpoint never waits for a reader or a writer."""

    def __init__(self, path: str | Path, every: float = 2.0):
        self.path = str(path)
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            while not self._stop.wait(self.every):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            with contextlib.suppress(sqlite3.Error):  # a tidy file for the next start
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()


def _may_write(path: Path) -> bool:
    """We may write it: the system lets us, and its mode has a write bit (root may write
    anything, but a file made read-only on purpose is read-only to us too)."""
    try:
        return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """Whether to open for writing: the file, and its directory for the -wal and -shm."""
    if path.exists():
        return _may_write(path) and _may_write(path.parent)
    return True  # to be created: mkdir or connect says why not


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database.

    WAL lets the console, a `facilitator serve` and CLI commands share the file. NORMAL
    sync: a commit is in the WAL file before the HTTP response, so it survives a crash of
    the program; only a power cut or kernel crash can lose the last commits. FULL (an
    fsync per note) measured 307 vs 514 notes/s in benchmarks/load.py and blocks the
    console's loop on every fsync. The busy timeout makes a second process wait for a
    write lock instead of failing.

    A file (or its directory) we cannot write is opened read-only, so `list`, `memo` and
    the exports work from a copy on a read-only medium; it is not migrated, and one that
    would need migrating is refused in one line. A file that is not a database, or is
    damaged (a quick check at open, see `QUICK_CHECK_MAX_BYTES`), is one line too.
    """
    path = Path(path) if path is not None else default_db_path()
    try:
        if not _writable(path):
            db = _open_read_only(path)
            _check(db, path)
            return db
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        _check(db, path)
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_say(path, exc)) from exc
    except OSError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    return db


def connect(path: str | Path) -> sqlite_utils.Database:
    """A connection with the settings every writer needs (they are per connection, not
    kept in the file): `open_db` opens one, the writer thread (`storage.writer`) its own."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def _check(db: sqlite_utils.Database, path: Path) -> None:
    """SQLite's quick check on a file small enough; its first finding, in one line."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > QUICK_CHECK_MAX_BYTES:
        return
    found = db.conn.execute("PRAGMA quick_check(1)").fetchone()
    if found and found[0] != "ok":
        db.conn.close()
        # SQLite heads its findings "*** in database main ***" on a line of their own.
        finding = " ".join(found[0].replace("*** in database main ***", "").split())
        raise DatabaseError(f"database {path} is damaged ({finding}); restore a backup")


def open_reader(path: str | Path) -> sqlite_utils.Database:
    """A connection of its own, for a thread that only reads (a memo built off the event
    loop): a connection is not shared between threads that may use it at once, and this
    one cannot write (`query_only`). No migrations: whoever opened the file ran them."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return sqlite_utils.Database(conn)


def _say(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return (f"database {path} is damaged or is not a facilitator database ({text}); "
                "restore a backup")
    return f"cannot open database {path}: {text}"


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """`mode=ro` when SQLite can still make its -shm file next to it; `immutable=1`
    when the directory is read-only too (nothing else can be writing it then)."""
    uri = path.resolve().as_uri()
    flags = "mode=ro" if _may_write(path.parent) else "immutable=1"
    conn = sqlite3.connect(f"{uri}?{flags}", uri=True, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    try:
        pending = migrations.pending(db) if db["_sqlite_migrations"].exists() else [None]
    except sqlite3.DatabaseError:
        conn.close()
        raise
    if pending:
        conn.close()
        raise DatabaseError(
            f"database {path} is read-only and needs upgrading to this version; "
            "open a writable copy once"
        )
    return db
