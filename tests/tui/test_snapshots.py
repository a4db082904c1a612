"""Snapshots of the console's key screens at fixed sizes, with a fixed URL and join codes.

Regenerate after an intended change with `pytest tests/tui/test_snapshots.py
--snapshot-update`, then look at the SVGs: readable, QR code intact, black on white.
"""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.storage import Store
from facilitator.tui import FacilitatorApp
from tests.seed import per_phone

BASE_URLS = ["http://192.168.1.20:8080"]


def add_event(store: Store, template: str, code: str):
    # The snapshots show each phone's ballot (the bundled round's vote is per team).
    event = store.create_event(per_phone(templates.load(templates.resolve(template))))
    store.db["events"].update(event.id, {"join_code": code})
    return store.event(event.id)


@pytest.fixture
def room(store):
    """The demo mid-session: the first activity done, the second open with notes."""
    event = add_event(store, "demo", "KOKEE")
    first, second, _ = store.activities(event.id)
    store.set_activity_state(event.id, first.id, "open")
    store.set_activity_state(event.id, first.id, "closed")
    store.set_activity_state(event.id, second.id, "open")
    for n in range(3):
        store.join(event.id, f"phone-{n}")
    store.add_note(second.id, "Yhteinen kalenteri toimii hyvin", "Mikä toimii?")
    store.add_note(second.id, "[bold]y[/] ja [@click=app.quit]x[/]", "Mikä toimii?")
    store.add_note(second.id, "Tieto ei kulje koulun ja kunnan välillä.", "Mitä pitäisi muuttaa?")
    return event


class TestEventScreen:
    def test_wide(self, store, room, snap_compare):
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        assert snap_compare(app, terminal_size=(120, 40))

    def test_narrow_in_english(self, store, room, snap_compare):
        app = FacilitatorApp(store, lang="en", base_urls=[*BASE_URLS, "http://10.0.0.7:8080"])
        assert snap_compare(app, terminal_size=(80, 24))


class TestHomeScreen:
    def test_events_and_templates(self, store, room, snap_compare):
        add_event(store, "seminaari-1", "SEMIN")
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        assert snap_compare(app, terminal_size=(120, 40))


def submit(store, activity, participant, form: str, fields: dict):
    activity = store.activity(activity.id)
    ctx = methods.Context(store, activity, "fi", participant)
    return methods.get(activity.method).submit(ctx, form, methods.Posted(fields))


def stop_the_clock(store, activity):
    """A countdown long run out reads 0:00 in every run of the snapshot."""
    store.db["activities"].update(activity.id, {"round_started_at": "2026-01-01T09:00:00+00:00"})


class TestMethodBoards:
    def test_process_walk_in_its_second_round(self, store, snap_compare):
        event = add_event(store, "seminaari-2", "PROSE")
        walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
        store.set_activity_state(event.id, walk.id, "open")
        groups = store.groups(walk.id)
        notes = ["Hyvinvointisuunnitelmat", "Tiedonkulku kodin kanssa", "Opiskelijoiden ääni"]
        for n, (group, text) in enumerate(zip(groups, notes, strict=True)):
            person = store.join(event.id, f"phone-{n}")
            submit(store, walk, person, "group", {"group": str(group.id)})
            station = walk.config["stations"][n]
            submit(store, walk, person, "note", {"station": station, "text": text})
        store.set_round(walk.id, 2)
        stop_the_clock(store, walk)
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        assert snap_compare(app, terminal_size=(160, 48))

    def test_dot_vote_closed_with_a_tie(self, store, snap_compare):
        event = add_event(store, "verkkokeskustelu-2", "AANES")
        vote = next(a for a in store.activities(event.id) if a.method == "dot_vote")
        store.set_activity_state(event.id, vote.id, "open")
        for n, chosen in enumerate([["1", "3", "4"], ["3", "4", "6"], ["4", "6"]]):
            person = store.join(event.id, f"phone-{n}")
            submit(store, vote, person, "vote", {"option": chosen})
        store.set_activity_state(event.id, vote.id, "closed")
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        # Nothing is open, so the programme starts at the top: move down to the vote.
        assert snap_compare(app, terminal_size=(160, 48), press=["down"])


@pytest.fixture
def moderated(store):
    """Seminaari 2's process walk mid-round: a hidden note, one waiting for approval, a
    corrected one, a starred one, and two notes selected on the board."""
    event = add_event(store, "seminaari-2", "MODER")
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "open")
    store.set_premoderated(walk.id, True)
    store.set_activity_state(event.id, walk.id, "open")
    group = store.groups(walk.id)[0]
    station = walk.config["stations"][0]
    person = store.join(event.id, "phone-snapshot")
    store.set_member(walk.id, person.id, group.id)
    texts = ["Hyvinvointisuunnitelmat puhuttavat", "Rehtori X on täysi idiootti",
             "Tiedonkulku kodin kanssa 🙂", "Opiskelijoiden ääni kuuluviin",
             "Yhteistyä kunnan kanssa", "Odottaa hyväksyntää tämä"]
    notes = [store.add_note(walk.id, text, station, person.id, group_id=group.id,
                            pending=text.startswith("Odottaa")) for text in texts]
    from facilitator.methods import moderation

    moderation.hide(store, event.id, [notes[1].id])
    moderation.edit(store, event.id, notes[4].id, "Yhteistyö kunnan kanssa")
    moderation.star(store, event.id, [notes[0].id])
    stop_the_clock(store, store.activity(walk.id))
    return event


class TestCockpit:
    """The board with selected, hidden, waiting, corrected and starred notes."""

    @pytest.mark.parametrize("size", [(80, 24), (160, 48)])
    def test_board_with_moderated_notes(self, store, moderated, snap_compare, size):
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        # To the board, select two notes (space moves on), and rest on a third.
        assert snap_compare(app, terminal_size=size,
                            press=["tab", "down", "space", "space", "end"])
