"""The writer's small writes (a phone's post): at once on the loop's connection when the
database is free and nothing is queued, else on the writer thread, in order, without
the loop waiting for another process's lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest

from facilitator.storage.writer import Writer


def setting(db_path, key):
    """Read by another connection: what is committed."""
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def write(key, value, seen=None):
    """A job as the server's are: its transaction first, then what it does."""
    def job(store):
        with store.transaction():
            if seen is not None:
                seen.append((key, threading.current_thread().name))
            store.set_setting(key, value)
        return value
    return job


@pytest.fixture
async def writer(store):
    w = Writer(store, bound=5.0)
    yield w
    w.stop()


async def test_a_small_write_on_a_free_database_is_done_at_once_on_the_loop(
        store, writer, db_path):
    seen = []
    assert await writer.run(write("a", "1", seen), small=True) == "1"
    assert seen == [("a", threading.current_thread().name)]
    assert setting(db_path, "a") == "1"  # committed before run returned
    await writer.run(write("b", "2", seen))  # not small: the thread's
    assert seen[-1] == ("b", "writer")


async def test_a_small_write_waits_for_another_connections_lock_off_the_loop(
        store, writer, db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    seen, ticks = [], []

    async def ticker():
        while True:
            ticks.append(1)
            await asyncio.sleep(0.01)

    task = asyncio.ensure_future(ticker())
    post = asyncio.ensure_future(writer.run(write("c", "3", seen), small=True))
    await asyncio.sleep(0.3)
    assert not post.done() and len(ticks) >= 10  # the loop went on meanwhile
    other.execute("ROLLBACK")
    other.close()
    assert await asyncio.wait_for(post, 5) == "3"
    task.cancel()
    assert seen == [("c", "writer")]
    assert setting(db_path, "c") == "3"


async def test_a_small_write_goes_behind_what_is_queued(store, writer, db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    seen = []
    first = asyncio.ensure_future(writer.run(write("d", "first", seen)))
    await asyncio.sleep(0.05)
    other.execute("ROLLBACK")  # free now, but the first write is still the thread's
    other.close()
    second = await writer.run(write("d", "second", seen), small=True)
    assert await first == "first" and second == "second"
    assert [key for key, _ in seen] == ["d", "d"]
    assert setting(db_path, "d") == "second"  # in the order they came


async def test_a_small_write_half_done_when_the_lock_is_taken_is_not_done_twice(
        store, writer, db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    runs = []

    def two_steps(s):
        runs.append(1)
        s.set_setting("e", "step one")
        other.execute("BEGIN IMMEDIATE")  # another process takes the lock in between
        s.set_setting("f", "step two")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await writer.run(two_steps, small=True)
    other.execute("ROLLBACK")
    other.close()
    assert runs == [1]
    assert setting(db_path, "e") == "step one" and setting(db_path, "f") is None


async def test_a_small_write_whose_commit_fails_leaves_the_loops_connection_free(
        store, writer, db_path):
    """A COMMIT can fail (a full disk, an I/O error; here a deferred foreign key, the one
    failure that can be made at will) and SQLite may keep the transaction open. On the
    loop's connection, which every page reads from, that would hold the write lock for
    good and show the failed post's rows to every page drawn after."""
    def job(store):
        with store.transaction():
            store.db.execute("PRAGMA defer_foreign_keys = ON")
            store.db.execute("INSERT INTO participants (event_id, token_hash) VALUES (?, ?)",
                             [987654, "phantom"])
    with pytest.raises(sqlite3.IntegrityError):
        await writer.run(job, small=True)
    assert not store.db.conn.in_transaction
    assert store.db.execute(
        "SELECT COUNT(*) FROM participants WHERE token_hash = 'phantom'").fetchone()[0] == 0
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the lock is free for the next writer
    other.execute("ROLLBACK")
    other.close()


async def test_a_small_job_that_writes_outside_a_transaction_never_holds_the_loop(
        store, writer, db_path):
    """Small jobs begin with their transaction; one that does not still meets the lock
    at once (refused as locked), instead of SQLite's busy wait on the loop."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    def careless(s):
        s.db.conn.execute("INSERT INTO settings (key, value) VALUES ('g', 'x')")

    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await writer.run(careless, small=True)
    assert time.monotonic() - started < 1.0  # the busy timeout is 5 s
    other.execute("ROLLBACK")
    other.close()
    assert setting(db_path, "g") is None
    assert not store.db.conn.in_transaction
    assert await writer.run(write("h", "after"), small=True) == "after"
