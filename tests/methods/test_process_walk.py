"""Prosessikävely: the rotation schedule, the config, the phone's station, the moves, the
facilitator's station summaries and the memo section."""

from __future__ import annotations

import itertools

import pytest

from facilitator import methods, templates
from facilitator.domain.rotation import groups_at, schedule, station_of
from facilitator.methods import (
    Context,
    Countdown,
    Form,
    Heading,
    InvalidInput,
    Items,
    Posted,
    Table,
    Text,
)
from facilitator.methods.groups import GROUP_FORM
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

STATIONS = ("Mistä puhumme paljon?", "Mistä puhumme vähän?", "Mistä ei puhuta, mutta pitäisi?")
METHOD = methods.get("process_walk")


# -- the rotation ---------------------------------------------------------------------------


@pytest.mark.parametrize("stations", range(2, 13))
def test_with_a_round_per_station_every_group_visits_every_station_once(stations):
    walk = schedule(stations, stations, stations)
    for group in range(stations):
        visited = [walk[r][group] for r in range(stations)]
        assert sorted(visited) == list(range(stations))


@pytest.mark.parametrize("stations, groups",
                         [(s, g) for s in range(2, 13) for g in range(1, s + 1)])
def test_no_two_groups_meet_while_there_are_no_more_groups_than_stations(stations, groups):
    for round_stations in schedule(groups, stations, stations):
        assert len(set(round_stations)) == groups


def test_groups_start_at_different_stations_and_move_one_along_each_round():
    assert schedule(3, 3, 3) == ((0, 1, 2), (1, 2, 0), (2, 0, 1))
    assert station_of(0, 1, 3) == 0 and station_of(2, 2, 3) == 0


def test_more_groups_than_stations_share_a_station_and_walk_together():
    assert groups_at(0, 1, groups=5, stations=3) == (0, 3)
    for round_ in range(1, 4):
        assert station_of(1, round_, 3) == station_of(4, round_, 3)
    # Every group is somewhere each round, exactly once.
    for round_ in range(1, 4):
        placed = list(itertools.chain(*(groups_at(s, round_, 5, 3) for s in range(3))))
        assert sorted(placed) == list(range(5))


@pytest.mark.parametrize("group, round_, stations", [(0, 0, 3), (-1, 1, 3), (0, 1, 0)])
def test_impossible_positions_are_errors(group, round_, stations):
    with pytest.raises(ValueError):
        station_of(group, round_, stations)


# -- configuration --------------------------------------------------------------------------


def test_seminar_2_walks_the_three_questions_in_three_numbered_groups():
    event = templates.load(templates.resolve("seminaari-2"))
    [walk] = [a for p in event.parts for a in p.activities if a.method == "process_walk"]
    assert tuple(walk.config["stations"]) == STATIONS
    assert walk.groups == ("Ryhmä 1", "Ryhmä 2", "Ryhmä 3")


TEMPLATE = """
[event]
title = "Testi"
[[parts]]
title = "Työpaja"
[[parts.activities]]
method = "process_walk"
title = "Kävely"
[parts.activities.config]
{config}
"""


@pytest.mark.parametrize(
    "config, field, reason",
    [
        ("round_minutes = 10", "config.stations", "is required"),
        ('stations = ["Yksi"]', "config.stations", "must have 2–12 items, not 1"),
        (f"stations = {[f'P{i}' for i in range(13)]}", "config.stations",
         "must have 2–12 items, not 13"),
        ('stations = ["A", "B"]\nrounds = 3', "config.rounds",
         "must be at most the number of stations (2), not 3"),
        ('stations = ["A", "B"]\nround_minutes = 0', "config.round_minutes",
         "must be between 1 and 240, not 0"),
        ('stations = ["A", "B"]\ngroups = 0', "config.groups", "must be between 1 and 50, not 0"),
        ('stations = ["A", "B"]\ngroups = "kolme"', "config.groups", "must be a whole number"),
        ('stations = ["A", "B"]\nminutes = 5', "config.minutes", "unknown key for process_walk"),
    ],
)
def test_a_broken_config_names_file_field_and_reason(tmp_path, config, field, reason):
    path = tmp_path / "rikki.toml"
    path.write_text(TEMPLATE.format(config=config), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    error = caught.value
    assert error.file == str(path)
    assert error.field == f"parts[0].activities[0].{field}"
    assert reason in error.reason


def test_groups_and_rounds_can_be_set(tmp_path):
    path = tmp_path / "oma.toml"
    path.write_text(TEMPLATE.format(config='stations = ["A", "B", "C"]\ngroups = 5\nrounds = 2'),
                    encoding="utf-8")
    [activity] = templates.load(path).parts[0].activities
    assert len(activity.groups) == 5 and METHOD.rounds(activity) == 2
    assert METHOD.minutes(activity) == 15  # the default when the template says nothing


# -- the walk in a running seminar ------------------------------------------------------------


@pytest.fixture
def walk(store, seminar):
    activity = activity_of(store, seminar, "process_walk")
    store.set_activity_state(seminar.id, activity.id, "open")
    return store.activity(activity.id)


def phone(store, walk, name: str, group: int | None = None):
    """A participant; with `group` (1-based) joined to that group through its form."""
    participant = store.join(walk.event_id, name * 43)
    if group is not None:
        chosen = store.groups(walk.id)[group - 1]
        METHOD.submit(ctx(store, walk, participant), GROUP_FORM, Posted({"group": str(chosen.id)}))
    return participant


def ctx(store, walk, participant=None, **kw) -> Context:
    return Context(store, store.activity(walk.id), "fi", participant, **kw)


def send(store, walk, participant, text, station):
    return METHOD.submit(ctx(store, walk, participant), "note",
                         Posted({"text": text, "station": station}))


def note_form(view) -> Form:
    return next(p for p in view if isinstance(p, Form) and p.name == "note")


def test_without_a_group_the_phone_asks_for_one(store, walk):
    view = METHOD.participant_view(ctx(store, walk, phone(store, walk, "a")))
    forms = [p for p in view if isinstance(p, Form)]
    assert [f.name for f in forms] == [GROUP_FORM]
    assert forms[0].fields[0].choice_labels == ("Ryhmä 1", "Ryhmä 2", "Ryhmä 3")


def test_opening_starts_round_one_with_each_group_at_its_own_station(store, walk):
    assert walk.round == 1 and walk.round_started_at
    for number, station in enumerate(STATIONS, start=1):
        view = METHOD.participant_view(ctx(store, walk, phone(store, walk, str(number), number)))
        texts = [b.text for b in view if isinstance(b, Text)]
        assert f"Kierros 1/3 · ryhmäsi on pysäkillä: {station}" in texts
        form = note_form(view)
        assert form.fields[0].choices == (station,) and form.values == {"station": station}
        [countdown] = [b for b in view if isinstance(b, Countdown)]
        assert countdown.label == "Seuraavaan siirtymään"
        assert countdown.deadline > walk.round_started_at  # 15 minutes on


def test_a_note_is_stored_at_the_groups_station_with_round_and_group(store, walk):
    alice = phone(store, walk, "a", 2)
    receipt = send(store, walk, alice, "  Oppilashuoltoryhmän kokoonpano  ", STATIONS[1])
    note = receipt.note
    assert (note.text, note.heading, note.kind, note.round) == (
        "Oppilashuoltoryhmän kokoonpano", STATIONS[1], "note", 1)
    assert note.group_id == store.groups(walk.id)[1].id
    assert note.participant_id == alice.id


def test_the_next_group_at_a_station_reads_what_the_earlier_one_left(store, walk):
    first = phone(store, walk, "a", 1)
    send(store, walk, first, "Tietosuoja", STATIONS[0])
    METHOD.act(ctx(store, walk), "next_round", Posted())
    third = phone(store, walk, "c", 3)  # group 3 walks from the last station to the first
    view = methods.resolve(METHOD.participant_view(ctx(store, walk, third)))
    assert f"Kierros 2/3 · ryhmäsi on pysäkillä: {STATIONS[0]}" in [
        b.text for b in view if isinstance(b, Text)]
    [items] = [b for b in view if isinstance(b, Items)]
    assert [(i.text, i.meta) for i in items.items] == [("Tietosuoja", "Ryhmä 1, kierros 1")]


def test_a_note_for_a_station_the_group_has_left_is_refused_and_not_stored(store, walk):
    alice = phone(store, walk, "a", 1)
    METHOD.act(ctx(store, walk), "next_round", Posted())  # while alice typed
    with pytest.raises(InvalidInput) as refused:
        send(store, walk, alice, "Myöhässä", STATIONS[0])
    assert refused.value.key == "process_walk.error.moved"
    assert refused.value.status == 409
    assert refused.value.params == {"station": STATIONS[1], "round": 2, "rounds": 3}
    assert store.notes(walk.id) == []
    # The same text sent for the station the group is at now is accepted, in round 2.
    assert send(store, walk, alice, "Myöhässä", STATIONS[1]).note.round == 2


@pytest.mark.parametrize("station", ["", "Keksitty pysäkki"])
def test_a_station_that_is_no_station_is_a_422(store, walk, station):
    alice = phone(store, walk, "a", 1)
    with pytest.raises(InvalidInput) as refused:
        send(store, walk, alice, "Teksti", station)
    assert (refused.value.key, refused.value.status) == ("process_walk.error.choose_station", 422)
    assert store.notes(walk.id) == []


def test_a_note_needs_a_group_and_text(store, walk):
    loner = phone(store, walk, "a")
    with pytest.raises(InvalidInput) as refused:
        send(store, walk, loner, "Teksti", STATIONS[0])
    assert refused.value.key == "methods.error.choose_group"
    member = phone(store, walk, "b", 1)
    with pytest.raises(InvalidInput) as refused:
        send(store, walk, member, "  \n ", STATIONS[0])
    assert refused.value.key == "methods.error.empty_note"
    assert store.notes(walk.id) == []


def test_rounds_advance_to_the_last_and_no_further(store, walk):
    console = ctx(store, walk)
    assert METHOD.act(console, "next_round", Posted()) == (
        "Kierros 2/3 alkoi: ryhmät siirtyvät seuraavalle pysäkille.")
    METHOD.act(ctx(store, walk), "next_round", Posted())
    last = store.activity(walk.id)
    assert last.round == 3
    with pytest.raises(InvalidInput) as refused:
        METHOD.act(ctx(store, walk), "next_round", Posted())
    assert refused.value.key == "process_walk.error.last_round"
    assert store.activity(walk.id).round_started_at == last.round_started_at
    countdown = next(b for b in METHOD.live_view(ctx(store, walk)) if isinstance(b, Countdown))
    assert countdown.label == "Aikaa jäljellä"


def test_restarting_the_timer_keeps_the_round(store, walk):
    with store.db.conn:  # a round that started long ago
        store.db.execute("UPDATE activities SET round = 2, round_started_at = ? WHERE id = ?",
                         ["2020-01-01T09:00:00+00:00", walk.id])
    done = METHOD.act(ctx(store, walk), "restart_timer", Posted())
    assert done == "Kierroksen 2/3 aika alkoi alusta: 15 min."
    again = store.activity(walk.id)
    assert again.round == 2 and again.round_started_at > "2020-01-01T09:00:00+00:00"


def test_moves_are_offered_only_while_the_walk_is_open(store, seminar):
    draft = activity_of(store, seminar, "process_walk")
    ids = [a.id for a in METHOD.actions(ctx(store, draft))]
    assert "next_round" not in ids and "restart_timer" not in ids
    with pytest.raises(InvalidInput) as refused:
        METHOD.act(ctx(store, draft), "next_round", Posted())
    assert refused.value.key == "process_walk.error.not_open"
    assert store.activity(draft.id).round == 1


def test_a_station_summary_is_written_then_rewritten_not_doubled(store, walk):
    actions = {a.id: a for a in METHOD.actions(ctx(store, walk))}
    assert actions["summary-2"].label == f"Yhteenveto: {STATIONS[1]}"
    assert actions["summary-2"].values == {"text": ""}
    METHOD.act(ctx(store, walk), "summary-2", Posted({"text": "Puhumme vähän arvioinnista."}))
    METHOD.act(ctx(store, walk), "summary-2", Posted({"text": "Arvioinnista vähän."}))
    [summary] = [n for n in store.notes(walk.id) if n.kind == "summary"]
    assert (summary.heading, summary.text, summary.participant_id) == (
        STATIONS[1], "Arvioinnista vähän.", None)
    # The dialog opens with what was written, to edit.
    actions = {a.id: a for a in METHOD.actions(ctx(store, walk))}
    assert actions["summary-2"].values == {"text": "Arvioinnista vähän."}
    assert METHOD.count(ctx(store, walk)) == 0  # a summary is no participant's note
    # Emptying removes it from the views; an empty first summary is refused.
    METHOD.act(ctx(store, walk), "summary-2", Posted({"text": " "}))
    assert not [b for b in METHOD.live_view(ctx(store, walk)) if isinstance(b, Text)
                and b.style == "summary"]
    with pytest.raises(InvalidInput):
        METHOD.act(ctx(store, walk), "summary-1", Posted({"text": ""}))
    for unknown in ("summary-0", "summary-4", "summary-x", "summary-²", "jump"):
        with pytest.raises(InvalidInput):
            METHOD.act(ctx(store, walk), unknown, Posted({"text": "x"}))


def test_the_console_grid_shows_who_is_where_and_the_current_round(store, walk):
    METHOD.act(ctx(store, walk), "next_round", Posted())
    alice = phone(store, walk, "a", 1)
    send(store, walk, alice, "Opiskeluhuoltosuunnitelma", STATIONS[1])
    blocks = METHOD.live_view(ctx(store, walk))
    assert blocks[0] == Text("Kierros 2/3", "strong")
    [grid] = [b for b in blocks if isinstance(b, Table)]
    assert grid.headers == ("Pysäkki", "1", "▶ 2", "3")
    assert grid.rows == (("1", "1", "3", "2"), ("2", "2", "1", "3"), ("3", "3", "2", "1"))
    headings = [(b.text, b.count) for b in blocks if isinstance(b, Heading)]
    assert headings == [(f"1. {STATIONS[0]}", 0), (f"2. {STATIONS[1]}", 1),
                        (f"3. {STATIONS[2]}", 0)]
    assert METHOD.count(ctx(store, walk)) == 1


def test_more_groups_than_stations_share_a_cell(store, tmp_path):
    path = tmp_path / "iso.toml"
    path.write_text(TEMPLATE.format(config='stations = ["A", "B"]\ngroups = 3'),
                    encoding="utf-8")
    event = store.create_event(templates.load(path))
    walk = store.set_activity_state(event.id, store.activities(event.id)[0].id, "open")
    [grid] = [b for b in METHOD.live_view(ctx(store, walk)) if isinstance(b, Table)]
    assert grid.rows == (("1", "1, 3", "2"), ("2", "2", "1, 3"))


def test_a_walk_with_nothing_written_has_no_memo_section(store, walk):
    assert METHOD.memo_view(ctx(store, walk, audience="memo")) == []


def test_memo_lists_each_stations_summary_then_its_notes(store, walk):
    groups = [phone(store, walk, c, n) for n, c in enumerate("abc", start=1)]
    send(store, walk, groups[0], "Tietosuoja ja tiedonsiirto", STATIONS[0])
    send(store, walk, groups[1], "Oppilaan osallisuus", STATIONS[1])
    hidden = send(store, walk, groups[2], "asiaton", STATIONS[2]).note
    hide(store, hidden.id)
    METHOD.act(ctx(store, walk), "next_round", Posted())
    send(store, walk, groups[2], "Kuraattorin saatavuus\ntoisella rivillä", STATIONS[0])
    send(store, walk, groups[0], "*Yhteisöllinen* opiskeluhuolto", STATIONS[1])
    METHOD.act(ctx(store, walk), "summary-1",
               Posted({"text": "Paljon puhutaan tiedonkulusta ja saatavuudesta."}))
    check_golden("process_walk.md", memo_section(store, walk))
