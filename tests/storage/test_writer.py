"""The writer's small writes (a phone's post): at once on the loop's connection when the
database is free and nothing is queued, else on the writer thread, in order, without
the loop waiting for another process's lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

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


def numbered(n, order):
    """Post number `n`, as the server's are (its transaction first), noting its turn."""
    def job(s):
        with s.transaction():
            order.append(n)
            s.set_setting(f"post{n}", str(n))
        return n
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


async def test_a_small_write_holds_the_lock_to_its_commit_and_is_never_half_done(
        store, writer, db_path):
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    runs = []

    def two_steps(s):
        runs.append(1)
        s.set_setting("e", "step one")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # another process cannot come in between
        s.set_setting("f", "step two")
        raise RuntimeError("the third step fails")

    with pytest.raises(RuntimeError, match="third step"):
        await writer.run(two_steps, small=True)
    other.close()
    assert runs == [1]
    assert setting(db_path, "e") is None and setting(db_path, "f") is None
    assert not store.db.conn.in_transaction


async def test_the_small_writes_of_one_turn_share_a_commit_and_fall_alone(
        store, writer, db_path):
    """Posts that arrive together are written in one transaction; one refused (its
    method raised) leaves nothing of its own behind and takes nothing of the others."""
    def refused(s):
        with s.transaction():
            s.set_setting("refused", "written, then refused")
            raise ValueError("not this one")

    commits = store.commits
    results = await asyncio.gather(
        writer.run(write("p1", "1"), small=True), writer.run(refused, small=True),
        writer.run(write("p2", "2"), small=True), return_exceptions=True)
    assert results[0] == "1" and results[2] == "2"
    assert isinstance(results[1], ValueError)
    assert store.commits == commits + 1  # one commit for the three
    assert (setting(db_path, "p1"), setting(db_path, "p2")) == ("1", "2")
    assert setting(db_path, "refused") is None
    assert not store.db.conn.in_transaction


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


async def test_a_room_posting_at_once_is_written_a_batch_at_a_time_in_order(
        store, writer, db_path):
    from facilitator.storage.writer import BATCH

    order = []

    commits, room = store.commits, 2 * BATCH + BATCH // 2
    results = await asyncio.gather(*(writer.run(numbered(n, order), small=True)
                                     for n in range(room)))
    assert results == order == list(range(room))
    assert store.commits == commits + 3  # two full batches, then the rest at the turn's end
    assert setting(db_path, f"post{room - 1}") == str(room - 1)


async def test_a_small_job_that_writes_outside_a_transaction_is_still_all_or_nothing(
        store, writer, db_path):
    """Small jobs begin with their transaction; one that does not is still one write:
    what it wrote before it failed is not kept, and the loop's connection is free."""
    def careless(s):
        s.db.conn.execute("INSERT INTO settings (key, value) VALUES ('g', 'x')")
        raise RuntimeError("after its write")

    with pytest.raises(RuntimeError):
        await writer.run(careless, small=True)
    assert setting(db_path, "g") is None
    assert not store.db.conn.in_transaction
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the lock is free for the next writer
    other.execute("ROLLBACK")
    other.close()
    assert await writer.run(write("h", "after"), small=True) == "after"


async def test_a_batch_that_meets_a_full_disk_answers_each_post_as_it_is_stored(
        store, writer, db_path):
    """A full disk (SQLite's page limit gives the same error) in the middle of a batch:
    whatever SQLite then rolls back, a post acknowledged is on disk and a refused one is
    not."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    try:
        results = await asyncio.gather(
            writer.run(write("small", "1"), small=True),
            writer.run(write("big", "x" * 200_000), small=True),
            writer.run(write("small2", "2"), small=True), return_exceptions=True)
    finally:
        store.db.execute("PRAGMA max_page_count = 1073741823")
    assert isinstance(results[1], sqlite3.OperationalError) and "full" in str(results[1])
    for key, result in zip(("small", "big", "small2"), results, strict=True):
        stored = setting(db_path, key)
        assert stored == (None if isinstance(result, Exception) else result), key
    assert not store.db.conn.in_transaction
    assert await writer.run(write("after", "3"), small=True) == "3"


async def test_a_full_batch_that_finds_the_lock_taken_goes_to_the_thread_in_order(
        store, writer, db_path):
    """A batch filled to `BATCH` is written in the call that filled it; when another
    process holds the lock, its posts go to the thread in the order they came, the one
    that filled it last, not first."""
    from facilitator.storage.writer import BATCH

    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    order = []

    room = BATCH + 4
    posts = asyncio.gather(*(writer.run(numbered(n, order), small=True) for n in range(room)))
    await asyncio.sleep(0.2)
    other.execute("ROLLBACK")
    other.close()
    assert await asyncio.wait_for(posts, 5) == list(range(room))
    assert order == list(range(room))
