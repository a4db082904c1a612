"""`facilitator next`, and the rule every new command keeps: EVENT is an id or a join code,
and an unknown one is a one-line refusal that changes nothing."""

from __future__ import annotations

import pytest

from facilitator import templates
from facilitator.i18n import t
from tests.cli_runner import ok, refused


@pytest.fixture
def seminar(store):
    """seminaari-2 (event 1) and the demo (event 2)."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    store.create_event(templates.load(templates.resolve("demo")))
    by_method = {a.method: a for a in store.activities(event.id)}
    return event, by_method


def test_next_moves_an_open_activity_to_its_next_round(store, db_path, seminar):
    event, by_method = seminar
    line = by_method["emotion_line"]
    ok(db_path, "open", "1", str(line.id))
    assert ok(db_path, "next", event.join_code, str(line.id)) == (
        t("en", "emotion_line.done.round", name="loppukierros") + "\n")
    assert store.activity(line.id).round == 2
    # At the last round the method refuses in its own words.
    assert refused(db_path, "next", "1", str(line.id)) == t(
        "en", "emotion_line.error.last_round", name="loppukierros")
    walk = by_method["process_walk"]
    ok(db_path, "open", "1", str(walk.id))
    assert ok(db_path, "next", "1", str(walk.id)) == (
        t("en", "process_walk.done.next_round", round=2, rounds=3) + "\n")
    assert store.activity(walk.id).round == 2


def test_next_refuses_an_activity_not_open_without_rounds_or_of_another_event(
        db_path, seminar):
    _, by_method = seminar
    line, treasure = by_method["emotion_line"], by_method["treasure_map"]
    assert refused(db_path, "next", "1", str(line.id)) == (
        f"activity {line.id} is draft; open it first")
    ok(db_path, "open", "1", str(treasure.id))
    assert refused(db_path, "next", "1", str(treasure.id)) == (
        f"activity {treasure.id} (treasure_map) has no rounds")
    assert refused(db_path, "next", "2", str(line.id)) == (
        f"activity {line.id} is not part of event 2")
    assert refused(db_path, "next", "1", "999") == "no activity with id 999"


@pytest.mark.parametrize("event", ["99", "NOPEE"])
@pytest.mark.parametrize("args", [
    ["notes", "{e}"], ["notes", "{e}", "--json"], ["hide", "{e}", "1"], ["unhide", "{e}", "1"],
    ["approve", "{e}", "1"], ["edit", "{e}", "1", "x"], ["star", "{e}", "1"],
    ["merge", "{e}", "1", "2"], ["unmerge", "{e}", "1"], ["undo", "{e}"],
    ["result", "{e}", "1", "x"], ["card", "{e}", "--aims", "x"],
    ["actions", "{e}", "add", "x"], ["actions", "{e}", "list"],
    ["actions", "{e}", "list", "--json"],
    ["actions", "{e}", "edit", "1", "--who", "x"], ["actions", "{e}", "remove", "1"],
    ["next", "{e}", "1"], ["open", "{e}", "1"], ["close", "{e}", "1"], ["memo", "{e}"],
])
def test_every_command_refuses_an_unknown_event(db_path, seminar, args, event):
    message = refused(db_path, *[a.format(e=event) for a in args])
    assert message == ("no event with id 99" if event == "99"
                       else "no event with join code 'NOPEE'")
