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
