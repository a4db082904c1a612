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

A phone's post is a few rows (`run(job, small=True)`): when nothing is queued and no
other process holds the lock, it is written on the loop's own connection, which finds
the lock free or taken without waiting (a WAL commit with NORMAL sync is a write to the
log, no fsync; the checkpoints run on their own thread). Handing each post to the thread
cost more than the write: at 300 phones posting, the loop spent a tenth of its time
waiting for the thread to let go of the GIL (benchmarks/load.py). The posts that arrive
in one turn of the loop are written together at its end (or as soon as `BATCH` have come),
each in a savepoint of one transaction (`Store.batched`): one commit instead of one per
post, each post still refused or kept on its own, and none answered before that commit.
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

from facilitator.storage.common import Locked
from facilitator.storage.db import _writable, connect
from facilitator.storage.store import Store

T = TypeVar("T")

#: Small writes in one transaction at most. A batch this full is written at once, in the
#: call that filled it, rather than at the end of the loop's turn: its posts are answered
#: a turn sooner, one commit is still a couple of microseconds of each, and the loop is
#: never held for more than this many posts' work.
BATCH = 32

#: How long a write may wait for another process's lock, from when it was queued. A
#: phone's browser gives up on a page after about 30 s; 8 s leaves a person time to
#: read the refusal and send again.
WRITE_BOUND = 8.0


class _Later(Exception):
    """A small write that could not go on the loop now: it waits on the thread."""


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
        #: Writes queued (counted on the loop) and finished (on the thread): the thread
        #: is idle when they are equal, and a small write may go first only then.
        self._queued = self._finished = 0
        #: Small writes of this turn of the loop, with their callers' futures.
        self._batch: list[tuple[Callable[[Store], object], asyncio.Future]] = []

    async def run(self, job: Callable[[Store], T], *, small: bool = False) -> T:
        """`job(store)` on the writer thread; its result once committed, or its error.
        `small`: a few rows, written on the loop's connection with the other small writes
        of this turn of the loop when the database is free and nothing is queued before
        them (see above); where the lock is taken, they are run on the thread instead."""
        if not self._path:
            return job(self.store)
        if small and self._queued == self._finished:
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            self._batch.append((job, future))
            filled = len(self._batch) >= BATCH
            if len(self._batch) == 1:
                loop.call_soon(self._write_batch)
            elif filled:
                self._write_batch()  # full: written now (see BATCH)
            try:
                return await future
            except _Later:
                # Nothing of it written: another process is writing, wait on the thread.
                if filled:
                    # Told so before it yielded once: the batch's others, woken in their
                    # order, go to the thread first, so the writes stay in the order they
                    # came (and the posts after this one stay behind them).
                    await asyncio.sleep(0)
        if self._batch:
            self._write_batch()  # the small writes that came before this one go first
        self._start()
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queued += 1
        self._queue.put((job, future, time.monotonic() + self.bound))
        return await asyncio.wrap_future(future)

    def _write_batch(self) -> None:
        """The small writes that came since the last batch, in one transaction on the
        loop's connection; each job in a savepoint of its own (`Store.batched`)."""
        batch, self._batch = self._batch, []
        batch = [(job, future) for job, future in batch if not future.done()]
        if not batch:
            return
        if self._queued != self._finished:  # a write went to the thread meanwhile
            for _, future in batch:
                future.set_exception(_Later())
            return
        store, done = self.store, []
        try:
            with store.without_waiting(), store.batched():
                for job, future in batch:
                    try:
                        with store.transaction():  # rolled back alone if it raises
                            done.append((future, job(store), None))
                    except Exception as exc:
                        if not store.db.conn.in_transaction:
                            # SQLite ended the whole transaction (a full disk, an I/O
                            # error): none of the batch is kept, every post is told so.
                            raise
                        done.append((future, None, exc))
                    if not store.db.conn.in_transaction:
                        raise sqlite3.OperationalError("the batch's transaction ended early")
        except Locked:  # another process holds the lock: nothing was begun
            for _, future in batch:
                future.set_exception(_Later())
            return
        except Exception as exc:  # the COMMIT failed: none of it is stored
            for _, future in batch:
                future.set_exception(exc)
            return
        for future, result, error in done:
            if future.done():
                continue  # its request went away meanwhile
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

    def configure(self, pragma: str) -> None:
        """A per-connection setting for the connections this writer writes with
        (`wal_autocheckpoint` while a Checkpointer runs): the loop's at once (its small
        writes), the thread's before its next write. Call it on the loop."""
        self.store.db.conn.execute(pragma)
        if not self._path:
            return
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
                    self._finished += 1
                    continue  # its request was cancelled before its turn: never ran
                result, error = None, None
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
                    error = exc
                # Counted done before its caller wakes: the caller's next small write
                # may then go first, on the loop.
                self._finished += 1
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(result)
        finally:
            if store is not None:
                with contextlib.suppress(sqlite3.Error):
                    store.db.conn.close()
