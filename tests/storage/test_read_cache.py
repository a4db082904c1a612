"""The store keeps what every request reads until the database changes, from anywhere."""

from __future__ import annotations

import sqlite3

import pytest

from facilitator.storage import EventNotFound


def test_a_change_by_another_process_or_this_connection_is_seen(store, demo, db_path):
    event, activity = demo
    assert store.event_by_code(event.join_code).place == event.place
    assert [a.state for a in store.activities(event.id)][1] == "open"
    # Another process (the CLI) closes the activity and renames the place.
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE activities SET state = 'closed' WHERE id = ?", [activity.id])
        other.execute("UPDATE events SET place = 'Hyvinkää' WHERE id = ?", [event.id])
    assert store.activities(event.id)[1].state == "closed"
    assert store.event_by_code(event.join_code).place == "Hyvinkää"
    # This process, through the store and past it.
    store.set_activity_state(event.id, activity.id, "open")
    assert store.activities(event.id, state="open")[0].id == activity.id
    store.db.execute("UPDATE events SET place = 'Järvenpää' WHERE id = ?", [event.id])
    assert store.event_by_code(event.join_code).place == "Järvenpää"


def test_an_unknown_code_is_looked_up_again(store, demo, db_path):
    event, _ = demo
    with pytest.raises(EventNotFound):
        store.event_by_code("ZZZZZ")
    store.db.execute("UPDATE events SET join_code = 'ZZZZZ' WHERE id = ?", [event.id])
    assert store.event_by_code("zzzzz").id == event.id


def test_the_programme_is_kept_over_notes_but_not_over_its_own_changes(store, demo):
    event, activity = demo
    reads: list[str] = []
    store.activities(event.id)
    store.event_by_code(event.join_code)
    store.db.conn.set_trace_callback(reads.append)
    try:
        # A room writing notes: the event and its activities are not read again.
        for n in range(3):
            store.add_note(activity.id, f"muistiinpano {n}")
            assert store.activity(activity.id).state == "open"
            store.event_by_code(event.join_code)
            store.activities(event.id)
        assert not [sql for sql in reads if "FROM events" in sql or "FROM activities" in sql]
        # A change to them from this connection, past the store, is read at once.
        store.db.execute("UPDATE activities SET round = 7 WHERE id = ?", [activity.id])
        assert store.activity(activity.id).round == 7
        assert store.activities(event.id)[1].round == 7
        # A change rolled back is forgotten with what was read inside it.
        with pytest.raises(RuntimeError), store.transaction():
            store.db.execute("UPDATE activities SET round = 8 WHERE id = ?", [activity.id])
            assert store.activity(activity.id).round == 8
            raise RuntimeError("refused")
        assert store.activity(activity.id).round == 7
    finally:
        store.db.conn.set_trace_callback(None)


def test_a_second_store_on_the_same_connection_sees_the_first_ones_writes(store, demo):
    from facilitator.storage import Store

    _, activity = demo
    other = Store(store.db)
    assert other.activity(activity.id).round == 1
    store.set_round(activity.id, 2)
    assert other.activity(activity.id).round == 2


async def test_the_phones_that_only_look_fill_no_memory_for_ever(server, store, demo):
    """Every page read looks up its device's participant, and a device that has not
    posted has none: kept as "nobody", a first visit (a link preview, a scanner, a
    script without cookies) would stay in memory until a participant joins or another
    process writes; on a quiet `serve` on the internet, for ever. What is kept stays
    under its bound however many devices only look."""
    import aiohttp

    event, _ = demo
    store.CACHE_LIMIT = 50  # the same bound, reached sooner
    url = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
    async with aiohttp.ClientSession() as visitor:
        for _ in range(200):  # no cookie kept: each GET is a device seen once
            async with visitor.get(url) as r:
                assert r.status == 200
            visitor.cookie_jar.clear()
    kept = [len(cache) - 1 for cache in store._caches.values()]  # less its version
    assert max(kept) <= store.CACHE_LIMIT, kept


def test_a_stretch_of_reads_asks_the_version_once_and_sees_changes_after_it(
        store, demo, db_path):
    event, activity = demo
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        with store.reading():
            store.event_by_code(event.join_code)
            store.activities(event.id)
            store.participant(event.id, "a device")
            store.change_stamp()
        with store.transaction():  # a write takes it once, under its lock
            store.activity(activity.id)
            store.add_note(activity.id, "huomio")
            store.activities(event.id)
    finally:
        store.db.conn.set_trace_callback(None)
    assert sum("data_version" in sql for sql in statements) == 2
    # Another process closes the activity: the next reads, in a stretch or not, see it.
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE activities SET state = 'closed' WHERE id = ?", [activity.id])
    with store.reading():
        assert store.activities(event.id)[1].state == "closed"
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE activities SET state = 'open' WHERE id = ?", [activity.id])
    assert store.activity(activity.id).state == "open"


def test_a_write_whose_version_cannot_be_read_leaves_no_lock_taken(store, demo, db_path):
    """The write transaction asks the version after its BEGIN: if that fails (here the
    authorizer refuses it; an interrupt, a signal), the BEGIN must not stay open, holding
    the write lock on the loop's connection and showing uncommitted rows to every page."""
    def deny(action, name, *_):
        refused = action == sqlite3.SQLITE_PRAGMA and name == "data_version"
        return sqlite3.SQLITE_DENY if refused else sqlite3.SQLITE_OK

    store.db.conn.set_authorizer(deny)
    try:
        with pytest.raises(sqlite3.DatabaseError), store.transaction():
            store.set_setting("never", "written")
    finally:
        store.db.conn.set_authorizer(None)
    assert not store.db.conn.in_transaction
    assert store._pinned is None
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the lock is free for the next writer
    other.execute("ROLLBACK")
    other.close()
