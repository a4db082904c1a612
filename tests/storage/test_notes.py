"""Who may read which note, decided once in SQL (`Store.notes(visible=...)`), and who
counts as a participant; and the cockpit migration on a database made before it."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from facilitator.methods import moderation
from facilitator.storage import Store
from facilitator.storage.migrations import migrations
from tests.conftest import hide


@pytest.fixture
def board(store, demo):
    """One note of each kind of state, by two phones."""
    event, activity = demo
    mine, theirs = (store.join(event.id, f"{who}-" + "x" * 30) for who in ("oma", "muu"))
    notes = {
        "plain": store.add_note(activity.id, "tavallinen", participant_id=theirs.id),
        "hidden": store.add_note(activity.id, "piilotettu", participant_id=theirs.id),
        "my_pending": store.add_note(activity.id, "oma odottaa", participant_id=mine.id,
                                     pending=True),
        "their_pending": store.add_note(activity.id, "muu odottaa",
                                        participant_id=theirs.id, pending=True),
        "folded": store.add_note(activity.id, "tavallinen!", participant_id=theirs.id),
    }
    hide(store, notes["hidden"].id)
    moderation.merge(store, event.id, notes["plain"].id, [notes["folded"].id])
    return activity, mine, notes


@pytest.mark.parametrize("visible, viewer, expected", [
    ("all", None, {"plain", "hidden", "my_pending", "their_pending", "folded"}),
    ("counted", None, {"plain", "folded"}),
    ("public", None, {"plain"}),
    ("phone", None, {"plain"}),
    ("phone", "mine", {"plain", "my_pending"}),
])
def test_each_reader_sees_what_it_may(store, board, visible, viewer, expected):
    activity, mine, notes = board
    who = mine.id if viewer else None
    names = {n.id: k for k, n in notes.items()}
    read = store.notes(activity.id, visible=visible, viewer=who)
    assert {names[n.id] for n in read} == expected
    assert store.count_notes(activity.id, visible=visible, viewer=who) == len(expected)


def test_notes_refuse_an_unknown_filter(store, board):
    activity, _, _ = board
    with pytest.raises(ValueError):
        store.notes(activity.id, colour="red")


def test_a_device_is_a_participant_once_it_posts_joins_a_group_or_votes(store, demo):
    event, activity = demo
    _reader, writer, member, voter = (store.join(event.id, f"{n}-" + "x" * 30)
                                     for n in ("lukija", "kirjoittaja", "jasen", "aanestaja"))
    assert store.participant_count(event.id) == 0
    store.add_note(activity.id, "ajatus", participant_id=writer.id)
    group = store.add_group(activity.id, "Pöytä 1")
    store.set_member(activity.id, member.id, group.id)
    store.set_votes(activity.id, voter.id, {"a": 1})
    assert store.participant_count(event.id) == 3
    assert store.participant(event.id, "lukija-" + "x" * 30) is not None  # known, not counted


def test_the_cockpit_migration_counts_earlier_contributors_and_keeps_notes(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    old = sqlite_utils.Database(conn)
    migrations.apply(old, stop_before="m004_cockpit")
    # Written as the program of then wrote them (its store knew no cockpit columns).
    event_id = old["events"].insert({"title": "Vanha", "join_code": "VANHA"}).last_pk
    activity_id = old["activities"].insert({"event_id": event_id, "method": "question",
                                            "title": "Kysymys", "state": "open"}).last_pk
    for token in ("a", "b"):  # b only opened the page, as every visit joined then
        old["participants"].insert({"event_id": event_id, "token_hash": token,
                                    "created_at": "2026-01-01T10:00:00+00:00"})
    wrote = old.execute("SELECT id FROM participants WHERE token_hash = 'a'").fetchone()[0]
    old["notes"].insert({"activity_id": activity_id, "participant_id": wrote, "text": "vanha",
                         "heading": "", "hidden": 1, "starred": 0, "kind": "note",
                         "round": 1, "created_at": "2026-01-01T10:01:00+00:00"})
    conn.commit()
    migrations.apply(old)
    migrated = Store(old)
    assert migrated.participant_count(event_id) == 1  # only the one who wrote
    [note] = migrated.notes(activity_id)
    assert (note.text, note.hidden, note.pending, note.original, note.merged_into) == (
        "vanha", True, False, None, None)
    assert migrated.moderation_steps(event_id) == []


def _discussion_with_comments(store, comments: int):
    """A discussion's first question: 60 answers, then `comments` comments on the
    oldest of them (a lively thread under answers no longer among the newest 50)."""
    from facilitator import templates

    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-1")))
    [activity] = [a for a in store.activities(event.id) if a.method == "discussion"]
    question = activity.config["questions"][0]
    with store.transaction():
        answers = [store.add_note(activity.id, f"vastaus {n}", question, kind="answer").id
                   for n in range(60)]
        for n in range(comments):
            store.add_note(activity.id, f"kommentti {n}", question, kind="comment",
                           ref_id=answers[n % 5])
    return activity, question


def test_a_questions_newest_answers_are_read_past_none_of_its_comments(store):
    """A question's answers read unmoderated (`visible="all"`: the discussion's reading
    view outside the phone's audience, and the console), newest first, stop at what is
    shown: read by kind and heading in an index, not by walking every comment written
    under the same question (m016 dropped `(activity_id, kind, heading)`; the longer
    index it left has `hidden` and `pending` before the note's id, so SQLite took
    `(activity_id, heading)` and read each comment's row to check its kind). The
    phone's and projector's reads (every visibility column equal) are not affected."""
    def steps(comments):
        activity, question = _discussion_with_comments(store, comments)
        counted = [0]

        def step():
            counted[0] += 1
            return 0

        store.db.conn.set_progress_handler(step, 100)
        try:
            shown = store.notes(activity.id, kind="answer", heading=question,
                                newest_first=True, limit=50)
        finally:
            store.db.conn.set_progress_handler(None, 0)
        assert [n.text for n in shown] == [f"vastaus {n}" for n in range(59, 9, -1)]
        return counted[0]

    few, many = steps(10), steps(3000)
    assert many <= few + 5, (few, many)
