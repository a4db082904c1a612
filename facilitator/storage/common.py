"""What the store's modules share: errors, time stamps, ids, and the write transaction."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlite_utils


class EventNotFound(LookupError):
    """No event has that id or join code."""


class StateError(ValueError):
    """An activity cannot move to the asked state (or does not belong to the event)."""


class Locked(sqlite3.OperationalError):
    """Another connection holds the write lock, and the write was asked not to wait
    (`without_waiting`): that transaction did not begin."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _tuple(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value)) if value else ()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DIGITS = re.compile(r"[0-9]{1,18}")


def parse_id(text: str) -> int | None:
    """An id as typed or sent: ASCII digits that fit SQLite's integer, else None."""
    text = str(text).strip()
    return int(text) if _DIGITS.fullmatch(text) else None


#: The tables the programme is read from (events, their parts and activities, the
#: workshops): what every page and post reads, and what is written only when the
#: facilitator changes something.
PROGRAMME_TABLES = ("events", "parts", "activities", "workshops")
#: Who the phones are: read by every page and post, written when a phone first takes part
#: or names itself, not with each note.
PEOPLE_TABLES = ("participants",)
#: Each watched table, and the group whose writes it counts in (`_cached`'s `tables`).
_WATCHED = {table: group for group in (PROGRAMME_TABLES, PEOPLE_TABLES) for table in group}


class StoreBase:
    #: What one of `_cached`'s caches holds at most: a room of 1,000 phones' participants
    #: and the programme many times over, a few MB.
    CACHE_LIMIT = 10_000

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._depth = 0
        self._at_once = False  # see without_waiting
        self._batch = False  # see batched
        self._pinned: int | None = None  # see reading
        #: Transactions committed through `transaction` (the writer's loop writes count).
        self.commits = 0
        #: What `_cached` keeps: one cache per set of tables read (None: any).
        self._caches: dict[tuple[str, ...] | None, dict] = {}
        #: This connection's writes to each group of watched tables; None where not
        #: counted.
        self._writes: dict[tuple[str, ...], int] | None = dict.fromkeys(_WATCHED.values(), 0)
        self._watch_tables()

    def _watch_tables(self) -> None:
        """Count this connection's writes to the tables every request reads
        (`_WATCHED`; TEMP triggers: they fire for this connection only, and need nothing
        in the file), so what is read from them survives the notes a room writes. Where
        that cannot be set up, every write counts (`_writes` None)."""
        conn = self.db.conn
        name = f"facilitator_watched_{id(self)}"
        writes = self._writes

        def changed(table: str) -> None:
            writes[_WATCHED[table]] += 1

        try:
            conn.create_function(name, 1, changed)
            for table in _WATCHED:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {name}_{table}_{op}"
                                 f" AFTER {op} ON main.{table} BEGIN SELECT {name}('{table}');"
                                 " END")
        except sqlite3.Error:
            self._writes = None

    def _cached(self, key: tuple, load, *, tables: tuple[str, ...] | None = None):
        """What `load()` returns, kept until the database changes: another process's
        commit changes `PRAGMA data_version`, this connection's own writes (through the
        Store or not) change `total_changes`. One PRAGMA instead of a query and the rows
        turned into objects again, on every page and post a phone makes. The objects
        are frozen dataclasses, shared by every caller until then.

        `tables`: `load` reads only these (`PROGRAMME_TABLES` or `PEOPLE_TABLES`), so
        what it returns is kept over this connection's writes to others: at 200 notes a
        second every page and post would otherwise read the event, its activities and the
        phone's participant afresh."""
        writes = self._writes
        if tables is not None and writes is not None:
            version = (self._version(), writes[tables])
        else:
            tables, version = None, (self._version(), self.db.conn.total_changes)
        cache = self._caches.get(tables)
        if cache is None or cache["version"] != version or (
                key not in cache and len(cache) > self.CACHE_LIMIT):
            # Past its bound, started anew: keys a request names (a device's token, and
            # "nobody" for one that has not posted) must not fill memory between writes.
            cache = self._caches[tables] = {"version": version}
        if key not in cache:
            cache[key] = load()
        return cache[key]

    def data_version(self) -> int:
        """Changes when *another* connection commits; cheap enough to poll every second.
        Always asked afresh (the console polls it); `_version` is what the caches use."""
        return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def _version(self) -> int:
        """`data_version()`, or the one taken for what runs now (`reading`, `_begun`)."""
        return self._pinned if self._pinned is not None else self.data_version()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads that ask the database's version once, not once for each thing kept
        (`_cached`): a phone's page reads its event, participant, workshops and
        activities, and each asking was 7 % of the server's time under a room's posts.
        Only around code that does not await: another process's commit in the middle of
        it is then one that landed just after. Inside a write transaction the version
        is taken once anyway (`_begun`)."""
        if self._pinned is not None:
            yield
            return
        self._pinned = self.data_version()
        try:
            yield
        finally:
            self._pinned = None

    def _forget(self) -> None:
        """Drop everything `_cached` keeps (a rollback: what was read may have seen it)."""
        self._caches.clear()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that stand or fall together (a method's check-then-write, such
        as "is this slot still free?"). Nested calls join the outer transaction (in a
        batch, a job's own transaction is a savepoint of it: see `batched`)."""
        with self._writing():
            yield

    @contextmanager
    def batched(self) -> Iterator[None]:
        """One write transaction for several jobs (storage/writer.py: the phones' posts
        that came in the same turn of the loop): each job, and each job's own
        `transaction`, is a savepoint in it, so each stands or falls on its own as it would
        outside a batch (deeper ones join), and one COMMIT writes them all to the log
        (at 300 phones posting, the commit of each post on its own was a third of its
        cost). Nothing in it is kept unless that COMMIT is."""
        with self._begun():
            self._batch = True
            try:
                yield
            finally:
                self._batch = False

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Writes in here raise `Locked` where another connection holds the write lock,
        rather than wait for it (a write on the event loop: storage/writer.py). SQLite's
        busy wait is off for all of it, so no statement in here can hold the caller."""
        conn = self.db.conn
        waits = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
        self._at_once = True
        try:
            yield
        finally:
            self._at_once = False
            if conn.in_transaction and not self._depth:
                # Written outside `transaction` (Python's implicit BEGIN), and never
                # committed: not kept, and the lock not left taken on this connection.
                conn.execute("ROLLBACK")
                self._forget()
            conn.execute(f"PRAGMA busy_timeout = {int(waits)}")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, taking the write lock at its start.

        A deferred BEGIN reads first and must then upgrade to a writer; if another process
        (the CLI, a `serve`) holds the lock at that moment SQLite fails at once instead of
        waiting out the busy timeout. BEGIN IMMEDIATE waits, so a note is not lost because
        the facilitator opened an activity from another terminal. sqlite-utils' own
        atomic() blocks inside this become savepoints.
        """
        if self._batch and self._depth < 2:
            # In a batch: the writer's savepoint for the job, and the job's own
            # transaction, each roll back alone; deeper ones join, as outside a batch.
            yield from self._savepoint()
            return
        if self._depth:  # already inside one: its commit covers this too
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._begun():
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0

    @contextmanager
    def _begun(self) -> Iterator[None]:
        """BEGIN IMMEDIATE (at once in `without_waiting`), and COMMIT at the end."""
        conn = self.db.conn
        if self._at_once:
            _begin_at_once(conn)
        else:
            conn.execute("BEGIN IMMEDIATE")
        outside = self._pinned
        try:
            # Holding the write lock, no other connection can commit until this one does:
            # the version read now holds for the whole transaction. In the try: a BEGIN
            # left open would hold the lock for good.
            self._pinned = self.data_version()
            yield
            # In the try too: a COMMIT that fails (a full disk, an I/O error) may leave
            # the transaction open, holding the write lock and showing its rows to
            # whatever this connection reads next (the loop's: every page).
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # What was read inside it may have seen its writes: total_changes and the
            # tables' write counts do not go back with them, so forget it all.
            self._forget()
            raise
        finally:
            self._pinned = outside
        self.commits += 1

    def _savepoint(self) -> Iterator[None]:
        """A `transaction` inside a batch: rolled back alone when it raises."""
        conn = self.db.conn
        conn.execute("SAVEPOINT facilitator_write")
        self._depth += 1
        try:
            try:
                yield
            finally:
                self._depth -= 1
            conn.execute("RELEASE facilitator_write")
        except BaseException:
            if conn.in_transaction:  # else SQLite has rolled it all back (a full disk)
                conn.execute("ROLLBACK TO facilitator_write")
                conn.execute("RELEASE facilitator_write")
            # What was read inside it may have seen its writes (see `_begun`).
            self._forget()
            raise

    def _rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        """Plain SELECTs for what every request reads: sqlite-utils' table helpers look
        up the schema on each call, which was most of a request's database time."""
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _begin_at_once(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE where the busy wait is off (`without_waiting`): taken or not."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # locked, or busy: nothing was begun
        raise Locked(str(exc)) from None
