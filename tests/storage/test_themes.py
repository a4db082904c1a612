"""Themes in the store: order, unique titles, and every change one undoable step."""

from __future__ import annotations

import pytest

from facilitator.storage import StateError


@pytest.fixture
def notes(store, demo):
    _event, activity = demo
    return [store.add_note(activity.id, f"vastaus {i}") for i in range(4)]


def theme_of(store, note):
    return store.note(note.id).theme_id


def test_create_puts_the_notes_in_and_undo_takes_the_theme_away(store, demo, notes):
    event, activity = demo
    theme, _ = store.create_theme(activity.id, "  Johtaminen   ja  tahto ", [notes[0].id])
    assert theme.title == "Johtaminen ja tahto"
    assert [t.title for t in store.themes(activity.id)] == ["Johtaminen ja tahto"]
    assert theme_of(store, notes[0]) == theme.id
    assert store.undo_step(event.id).step == "theme_new"
    assert store.themes(activity.id) == []
    assert theme_of(store, notes[0]) is None


def test_a_title_is_unique_per_activity_whatever_its_case_and_spacing(store, demo):
    event, activity = demo
    store.create_theme(activity.id, "Yhteistyö")
    with pytest.raises(StateError):
        store.create_theme(activity.id, " yhteistyö ")
    other = store.activities(event.id)[0]
    store.create_theme(other.id, "Yhteistyö")  # another activity may have it too
    assert store.find_theme(activity.id, "YHTEISTYÖ").title == "Yhteistyö"


def test_a_note_is_in_one_theme_at_most(store, demo, notes):
    event, activity = demo
    a, _ = store.create_theme(activity.id, "A", [notes[0].id, notes[1].id])
    b, _ = store.create_theme(activity.id, "B", [notes[1].id])
    assert (theme_of(store, notes[0]), theme_of(store, notes[1])) == (a.id, b.id)
    store.assign_theme(activity.id, None, [notes[0].id])
    assert theme_of(store, notes[0]) is None
    store.undo_step(event.id)
    assert theme_of(store, notes[0]) == a.id


def test_rename_and_move_are_undone(store, demo):
    event, activity = demo
    a, _ = store.create_theme(activity.id, "A")
    b, _ = store.create_theme(activity.id, "B")
    c, _ = store.create_theme(activity.id, "C")
    store.move_theme(c.id, 0)
    assert [t.title for t in store.themes(activity.id)] == ["C", "A", "B"]
    store.rename_theme(a.id, "Aa")
    with pytest.raises(StateError):
        store.rename_theme(b.id, "aa")
    assert [t.title for t in store.themes(activity.id)] == ["C", "Aa", "B"]
    store.undo_step(event.id)
    store.undo_step(event.id)
    assert [t.title for t in store.themes(activity.id)] == ["A", "B", "C"]


def test_delete_leaves_the_notes_unthemed_and_undo_brings_both_back(store, demo, notes):
    event, activity = demo
    theme, _ = store.create_theme(activity.id, "A", [n.id for n in notes[:3]])
    step = store.delete_theme(theme.id)
    assert step.step == "theme_delete" and len(step.note_ids) == 3
    assert store.themes(activity.id) == []
    assert store.count_notes(activity.id, theme_id=None) == 4
    assert store.theme(theme.id) is None
    store.create_theme(activity.id, "a")  # the title is free again
    store.undo_step(event.id)
    store.undo_step(event.id)
    assert [t.title for t in store.themes(activity.id)] == ["A"]
    assert store.count_notes(activity.id, theme_id=theme.id) == 3


def test_assigning_into_another_activitys_theme_is_refused(store, demo, notes):
    event, activity = demo
    other = store.activities(event.id)[0]
    theme, _ = store.create_theme(other.id, "Muualla")
    with pytest.raises(StateError):
        store.assign_theme(activity.id, theme.id, [notes[0].id])


def test_the_events_labels_are_kept(store):
    from facilitator import templates

    event = store.create_event(templates.load(templates.resolve("seminaari-1")))
    assert len(store.event(event.id).themes) == 13
    assert store.event(event.id).themes[4] == "Ennaltaehkäisevä työ ja yhteisöllisyys"
