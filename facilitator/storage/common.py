"""What the store's modules share: errors, time stamps, ids, and the write transaction."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlite_utils


class EventNotFound(LookupError):
    """No event has that id or join code."""


class StateError(ValueError):
    """An activity cannot move to the asked state (or does not belong to the event)."""


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


class StoreBase:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._depth = 0
        self._read_cache: dict = {}  # see _cached

    def _cached(self, key: tuple, load):
        """What `load()` returns, kept until the database changes: another process's
        commit changes `PRAGMA data_version`, this connection's own writes (through the
        Store or not) change `total_changes`. One PRAGMA instead of a query and the rows
        turned into objects again, on every page and post a phone makes. The objects
        are frozen dataclasses, shared by every caller until then."""
        version = (self.db.conn.execute("PRAGMA data_version").fetchone()[0],
                   self.db.conn.total_changes)
        cache = self._read_cache
        if cache.get("version") != version:
            cache.clear()
            cache["version"] = version
        if key not in cache:
            cache[key] = load()
        return cache[key]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that stand or fall together (a method's check-then-write, such
        as "is this slot still free?"). Nested calls join the outer transaction."""
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, taking the write lock at its start.

        A deferred BEGIN reads first and must then upgrade to a writer; if another process
        (the CLI, a `serve`) holds the lock at that moment SQLite fails at once instead of
        waiting out the busy timeout. BEGIN IMMEDIATE waits, so a note is not lost because
        the facilitator opened an activity from another terminal. sqlite-utils' own
        atomic() blocks inside this become savepoints.
        """
        if self._depth:  # already inside one: its commit covers this too
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # What was read inside it may have seen its writes: total_changes does not
            # go back with them, so forget it all.
            self._read_cache.clear()
            raise
        finally:
            self._depth = 0
        conn.execute("COMMIT")

    def _rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        """Plain SELECTs for what every request reads: sqlite-utils' table helpers look
        up the schema on each call, which was most of a request's database time."""
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

