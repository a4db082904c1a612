"""`facilitator result`, `card` and `actions` over a real database file: what the facilitator
writes down, and refusals that are one line and change nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from facilitator import templates
from tests.cli_runner import invoke, ok, refused


@pytest.fixture
def events(store):
    """Two demo events: 1 (activities 1–3) and 2 (activities 4–6)."""
    demo = templates.load(templates.resolve("demo"))
    first, second = store.create_event(demo), store.create_event(demo)
    assert [a.id for a in store.activities(second.id)] == [4, 5, 6]
    return first, second


# -- result ---------------------------------------------------------------------------------


def test_result_sets_and_clears_the_activity_summary(store, db_path, events):
    title = store.activity(2).title
    assert ok(db_path, "result", "1", "2", "Sovimme kolme asiaa") == (
        f"set the result of activity 2 ({title})\n")
    assert store.activity(2).summary == "Sovimme kolme asiaa"
    assert ok(db_path, "result", events[0].join_code, "2", "") == (
        f"cleared the result of activity 2 ({title})\n")
    assert store.activity(2).summary == ""


def test_result_reads_standard_input_for_a_dash(store, db_path, events):
    ok(db_path, "result", "1", "2", "-", input="Ensimmäinen rivi\nToinen rivi\n")
    assert store.activity(2).summary == "Ensimmäinen rivi\nToinen rivi"


def test_result_from_a_pipe_in_a_real_process(store, db_path, events):
    env = {**os.environ, "FACILITATOR_DB": str(db_path)}
    result = subprocess.run([sys.executable, "-m", "facilitator", "result", "1", "3", "-"],
                            input="Yhteenveto: äänestys\n".encode(), env=env,
                            capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert store.activity(3).summary == "Yhteenveto: äänestys"


@pytest.mark.parametrize("args, message", [
    (["result", "1", "4", "x"], "activity 4 is not part of event 1"),
    (["result", "2", "1", "x"], "activity 1 is not part of event 2"),
    (["result", "1", "99", "x"], "no activity with id 99"),
    (["result", "99", "1", "x"], "no event with id 99"),
])
def test_result_refusals(db_path, events, args, message):
    assert refused(db_path, *args) == message


# -- card -----------------------------------------------------------------------------------


def test_card_edits_the_event_card_one_item_a_line(store, db_path, events):
    assert ok(db_path, "card", "1", "--aims", "Yhteinen kuva\n\n  Seuraavat askeleet ",
              "--how", "-", input="Porinaryhmät\nÄänestys\n") == (
        "updated the card of event 1: aims, how\n")
    event = store.event(1)
    assert event.aims == ("Yhteinen kuva", "Seuraavat askeleet")
    assert event.how == ("Porinaryhmät", "Äänestys")
    assert store.event(2).aims == events[1].aims  # the other event's card is as it was
    ok(db_path, "card", "1", "--results", "Sovittiin kolme asiaa\nSeuraava tapaaminen")
    event = store.event(1)
    assert event.summary == "Sovittiin kolme asiaa\nSeuraava tapaaminen"
    assert event.aims == ("Yhteinen kuva", "Seuraavat askeleet")  # not given: kept


def test_card_with_activity_edits_its_part(store, db_path, events):
    activity = store.activity(2)
    part = next(p for p in store.parts(1) if p.id == activity.part_id)
    assert ok(db_path, "card", "1", "--activity", "2", "--how", "Parit\nKooste") == (
        f"updated the card of part {part.id} ({part.title}): how\n")
    after = next(p for p in store.parts(1) if p.id == part.id)
    assert (after.aims, after.how) == (part.aims, ("Parit", "Kooste"))
    assert store.event(1).how == events[0].how


@pytest.mark.parametrize("args, message", [
    (["card", "1"], "give --aims, --how or --results"),
    (["card", "1", "--activity", "2"], "give --aims, --how or --results"),
    (["card", "1", "--aims", "-", "--how", "-"],
     "only one of --aims, --how and --results can read standard input"),
    (["card", "1", "--activity", "2", "--results", "x"],
     "a part's results are its activities' results: set them with"
     " `facilitator result EVENT ACTIVITY TEXT`"),
    (["card", "1", "--activity", "4", "--aims", "x"], "activity 4 is not part of event 1"),
    (["card", "1", "--activity", "99", "--aims", "x"], "no activity with id 99"),
    (["card", "99", "--aims", "x"], "no event with id 99"),
])
def test_card_refusals(db_path, events, args, message):
    assert refused(db_path, *args, input="x\n") == message


# -- actions --------------------------------------------------------------------------------


def test_actions_add_list_edit_remove(store, db_path, events):
    assert ok(db_path, "actions", "1", "add", "Kirjoita muistio", "--who", "Maija",
              "--due", "2025-06-30") == "1\n"
    assert ok(db_path, "actions", events[0].join_code, "add", "Kutsu verkosto") == "2\n"
    assert ok(db_path, "actions", "2", "add", "Toisen tilaisuuden asia") == "3\n"
    assert ok(db_path, "actions", "1", "list").splitlines() == [
        "1\tKirjoita muistio\tMaija\t2025-06-30",
        "2\tKutsu verkosto\t-\t-",
    ]
    listed = json.loads(ok(db_path, "actions", "1", "list", "--json"))
    assert listed == [
        {"id": 1, "what": "Kirjoita muistio", "who": "Maija", "due": "2025-06-30",
         "part": None},
        {"id": 2, "what": "Kutsu verkosto", "who": "", "due": "", "part": None},
    ]
    assert ok(db_path, "actions", "1", "edit", "2", "--who", "Pekka", "--due", "syyskuu") == (
        "2\tKutsu verkosto\tPekka\tsyyskuu\n")
    assert ok(db_path, "actions", "1", "remove", "1") == "removed action item 1\n"
    assert [(i.id, i.what, i.who) for i in store.action_items(1)] == [
        (2, "Kutsu verkosto", "Pekka")]
    assert [i.id for i in store.action_items(2)] == [3]


def test_actions_take_db_after_the_subcommand_or_before_event(db_path, tmp_path, events):
    ok(db_path, "actions", "1", "add", "Asia")
    elsewhere = tmp_path / "muu.db"
    for args in (["actions", "1", "list", "--db", str(db_path)],
                 ["actions", "--db", str(db_path), "1", "list"]):
        ran = invoke(elsewhere, *args)  # the root --db is another file: the nearest wins
        assert (ran.code, ran.stdout) == (0, "1\tAsia\t-\t-\n"), ran.stderr


@pytest.mark.parametrize("args, message", [
    (["actions", "1", "remove", "9"], "no action item 9 in event 1"),
    (["actions", "1", "remove", "3"], "no action item 3 in event 1"),  # event 2's
    (["actions", "1", "edit", "3", "--who", "x"], "no action item 3 in event 1"),
    (["actions", "1", "edit", "1"], "give --what, --who or --due"),
    (["actions", "1", "edit", "1", "--what", " "], "--what is empty"),
    (["actions", "1", "add", "  "], "WHAT is empty"),
])
def test_actions_refusals(store, db_path, events, args, message):
    store.add_action_item(1, "Ensimmäinen")
    store.add_action_item(1, "Toinen")
    store.add_action_item(2, "Toisen tilaisuuden")
    assert refused(db_path, *args) == message
