"""What the methods keep in the store: rounds, groups, members, votes, note data."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from facilitator import templates
from facilitator.storage import StateError, Store, open_db
from facilitator.storage.migrations import migrations


@pytest.fixture
def activity(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    return store.activities(event.id)[0]


def test_opening_starts_the_first_rounds_clock_and_set_round_restarts_it(store, activity):
    assert (activity.round, activity.round_started_at) == (1, "")
    opened = store.set_activity_state(activity.event_id, activity.id, "open")
    assert opened.round == 1 and opened.round_started_at
    moved = store.set_round(activity.id, 2)
    assert moved.round == 2 and moved.round_started_at >= opened.round_started_at
    store.db["activities"].update(activity.id, {"round_started_at": "2026-01-01T09:00:00+00:00"})
    store.set_activity_state(activity.event_id, activity.id, "closed")
    reopened = store.set_activity_state(activity.event_id, activity.id, "open")
    assert reopened.round == 2 and reopened.round_started_at > "2026-01-01T09:00:00+00:00"
    with pytest.raises(StateError):
        store.set_round(activity.id, 0)


def test_a_transaction_writes_all_or_nothing_and_nests(store, activity):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_note(activity.id, "eka")
        with store.transaction():  # joins the outer one
            store.add_note(activity.id, "toka")
        raise RuntimeError("a check failed after the writes")
    assert store.notes(activity.id) == []
    with store.transaction():
        store.add_note(activity.id, "kolmas")
    assert [n.text for n in store.notes(activity.id)] == ["kolmas"]


def test_committed_notes_are_seen_by_another_connection(store, activity, db_path):
    with store.transaction():
        store.add_note(activity.id, "levyllä", kind="topic", round=2, data={"slot": "12:00"})
    other = Store(open_db(db_path))
    [note] = other.notes(activity.id)
    assert (note.kind, note.round, note.data) == ("topic", 2, {"slot": "12:00"})


def test_groups_by_name_ignore_case_and_spacing(store, activity):
    team = store.add_group(activity.id, "Tiimi  Kallio")
    assert store.add_group(activity.id, " tiimi kallio ") == team
    other = store.add_group(activity.id, "Tiimi Järvi")
    assert [g.name for g in store.groups(activity.id)] == ["Tiimi  Kallio", "Tiimi Järvi"]
    assert other.position == 1


def test_a_member_moves_between_groups_of_one_activity_only(store, activity):
    event_id = activity.event_id
    person = store.join(event_id, "x" * 43)
    a, b = store.add_group(activity.id, "A"), store.add_group(activity.id, "B")
    store.set_member(activity.id, person.id, a.id)
    store.set_member(activity.id, person.id, b.id)
    assert store.member_group(activity.id, person.id) == b
    assert store.member_counts(activity.id) == {b.id: 1}
    elsewhere = store.activities(event_id)[1]
    with pytest.raises(StateError):
        store.set_member(elsewhere.id, person.id, a.id)


def test_groups_from_the_template_are_made_with_the_event(store):
    planned = templates.load(templates.resolve("seminaari-2"))
    event = store.create_event(planned)
    activities = [a for part in planned.parts for a in part.activities]
    stored = store.activities(event.id)
    assert any(a.groups for a in activities)  # the buzz groups and the process walk
    for template_activity, activity in zip(activities, stored, strict=True):
        names = [g.name for g in store.groups(activity.id)]
        assert names == list(template_activity.groups), activity.title


def test_set_votes_replaces_a_participants_dots(store, activity):
    person = store.join(activity.event_id, "y" * 43)
    store.set_votes(activity.id, person.id, {"A": 2, "B": 1})
    store.set_votes(activity.id, person.id, {"B": 3, "C": 0})
    assert store.votes(activity.id) == [(person.id, "B", 3)]


def test_update_note_changes_only_what_is_named(store, activity):
    note = store.add_note(activity.id, "tyypo", "Otsikko", data={"a": 1})
    fixed = store.update_note(note.id, text="typo", data={"a": 2})
    assert (fixed.text, fixed.heading, fixed.data) == ("typo", "Otsikko", {"a": 2})
    with pytest.raises(ValueError):
        store.update_note(note.id, hidden=True)


def test_settings_keep_small_values(store):
    assert store.setting("discussion.seen.1") == ""
    store.set_setting("discussion.seen.1", "5")
    store.set_setting("discussion.seen.1", "9")
    assert store.setting("discussion.seen.1") == "9"


def test_a_database_from_before_the_methods_is_migrated(tmp_path):
    """A file made by the walking skeleton (only m001) opens, keeps its notes and gains
    the new columns and tables."""
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m002_method_state")
    old["events"].insert({"id": 1, "title": "Vanha", "join_code": "VANHA"})
    old["activities"].insert({"id": 1, "event_id": 1, "method": "question", "title": "K",
                              "state": "open"})
    old["notes"].insert({"activity_id": 1, "text": "säilyy", "hidden": 0, "starred": 0})
    old.close()
    store = Store(open_db(path))
    [note] = store.notes(1)
    assert (note.text, note.kind, note.round, note.data) == ("säilyy", "note", 1, {})
    assert store.activity(1).round == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM members").fetchone() == (0,)


def test_notes_are_narrowed_by_columns_in_sql(store, activity):
    store.add_note(activity.id, "a", "Pysäkki 1", kind="note", round=1)
    store.add_note(activity.id, "b", "Pysäkki 2", kind="note", round=2)
    store.add_note(activity.id, "c", "Pysäkki 1", kind="summary")
    assert [n.text for n in store.notes(activity.id, kind="note", heading="Pysäkki 1")] == ["a"]
    assert [n.text for n in store.notes(activity.id, round=2)] == ["b"]
    assert [n.text for n in store.notes(activity.id, group_id=None)] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="cannot filter by text"):
        store.notes(activity.id, text="a")
