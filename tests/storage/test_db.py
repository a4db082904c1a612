from __future__ import annotations

import contextlib
import sqlite3

from facilitator.storage import open_db
from facilitator.storage.migrations import migrations

TABLES = {"events", "parts", "activities", "participants", "groups", "notes", "votes",
          "themes", "action_items", "settings"}


def test_migrations_on_an_empty_database(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert set(db.table_names()) >= TABLES
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_on_an_already_migrated_database_keep_the_data(tmp_path, store, demo):
    path = tmp_path / "facilitator.db"
    event, _ = demo
    again = open_db(path)
    assert migrations.pending(again) == []
    assert again["events"].count == 1 and again["events"].get(event.id)["title"] == event.title
    applied = again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(migrations._migrations)


def test_foreign_keys_are_enforced(store):
    try:
        store.add_note(activity_id=999, text="orpo")
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a note for a missing activity was stored")


def test_a_failed_event_creation_writes_nothing(store, monkeypatch):
    from facilitator import templates

    event = templates.load(templates.resolve("demo"))
    # The third insert (event, part, then the first activity) fails: all must roll back.
    original = store.db["activities"].insert
    calls = []

    def failing_insert(record, *args, **kwargs):
        calls.append(record)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return original(record, *args, **kwargs)

    monkeypatch.setattr(type(store.db["activities"]), "insert",
                        lambda self, record, *a, **k: failing_insert(record, *a, **k))
    with contextlib.suppress(sqlite3.OperationalError):
        store.create_event(event)
    assert store.db["events"].count == 0 and store.db["activities"].count == 0
