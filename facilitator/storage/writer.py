"""Every write of a long-running process (the server, the console) on one thread.

SQLite waits for another process's write lock inside the call that wants it: on the event
loop that was the whole room waiting. A 30 s `BEGIN IMMEDIATE` from another terminal
held a stylesheet for 28 s and the console ignored Esc for 18 s. So the loop only reads
(in WAL a reader never waits for a writer) and hands each write to this thread, which
has a connection of its own and runs the writes one after another, in the order they
came: posts queue behind a lock instead of stopping everything else.

A write is the same Store call as anywhere else, run on the thread's Store:
`await writer.run(lambda store: store.hide(...))`. It waits for the lock at most `bound`
seconds from when it was queued, then fails as SQLite does ("database is locked"), so
the phone gets its text back; what it acknowledges is committed before `run` returns.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from facilitator.storage.db import _writable, connect
from facilitator.storage.store import Store

T = TypeVar("T")

#: How long a write may wait for another process's lock, from when it was queued. A
#: phone's browser gives up on a page after about 30 s; 8 s leaves a person time to
#: read the refusal and send again.
WRITE_BOUND = 8.0


class Writer:
    """One thread with its own connection; `run` queues a write and awaits its commit."""

    def __init__(self, store: Store, bound: float = WRITE_BOUND):
        #: The loop's Store: the writes of an in-memory database run on it (a second
        #: connection would be another database; nothing else can lock it either), and
        #: those of a read-only file.
        self.store = store
        self.bound = bound
        # A file opened read-only (write-protected on purpose, or on a read-only medium)
        # stays so: its writes go to the loop's read-only connection, which refuses them
        # at once, instead of a connection of ours that could write it anyway (as root).
        self._path = store.path if store.path and _writable(Path(store.path)) else ""
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        #: Statements for the thread's connection when it opens (see `configure`).
        self._pragmas: list[str] = []

    async def run(self, job: Callable[[Store], T]) -> T:
        """`job(store)` on the writer thread; its result once committed, or its error."""
        if not self._path:
            return job(self.store)
        self._start()
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put((job, future, time.monotonic() + self.bound))
        return await asyncio.wrap_future(future)

    def configure(self, pragma: str) -> None:
        """A per-connection setting for the writer's connection (`wal_autocheckpoint`
        while a Checkpointer runs), applied before its next write."""
        with self._lock:
            if self._thread is None:
                self._pragmas.append(pragma)
            else:
                self._queue.put(pragma)

    def stop(self) -> None:
        """Finish what is queued (it may be acknowledged already), then close."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=self.bound + 5)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="writer",
                                                daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        store: Store | None = None
        try:
            while (item := self._queue.get()) is not None:
                if isinstance(item, str):  # a setting (`configure`)
                    if store is None:
                        self._pragmas.append(item)
                    else:
                        with contextlib.suppress(sqlite3.Error):
                            store.db.conn.execute(item)
                    continue
                job, future, deadline = item
                if not future.set_running_or_notify_cancel():
                    continue  # its request was cancelled before its turn: never ran
                try:
                    if store is None:
                        store = Store(connect(self._path))
                        for pragma in self._pragmas:
                            store.db.conn.execute(pragma)
                        self._pragmas.clear()
                    left = deadline - time.monotonic()
                    if left <= 0:  # waited its bound behind other writes: not started
                        raise sqlite3.OperationalError("database is locked")
                    # SQLite's own wait, so the write starts the moment the lock is free.
                    store.db.conn.execute(f"PRAGMA busy_timeout = {int(left * 1000)}")
                    result = job(store)
                except Exception as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
        finally:
            if store is not None:
                with contextlib.suppress(sqlite3.Error):
                    store.db.conn.close()
