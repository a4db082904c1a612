"""`facilitator notes` and the moderation commands, over a real database file: what they
print, what they change, and that every refusal is one line that changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from types import SimpleNamespace

import pytest

from facilitator import templates
from facilitator.i18n import t
from tests.cli_runner import ok, refused

JSON_FIELDS = {"id", "activity", "kind", "heading", "text", "original", "hidden", "starred",
               "pending", "merged_into", "group", "theme", "created"}


@pytest.fixture
def room(store, db_path):
    """Event 1 (notes 1–3 in activity 2, note 5 in activity 1; note 3 waits for approval)
    and event 2 (note 4 in activity 4)."""
    demo = templates.load(templates.resolve("demo"))
    first, second = store.create_event(demo), store.create_event(demo)
    activity, elsewhere = store.activities(first.id)[1], store.activities(first.id)[0]
    other_activity = store.activities(second.id)[0]
    ids = [store.add_note(activity.id, "Ensimmäinen\nrivi\tja sarkain").id,
           store.add_note(activity.id, "Toinen").id,
           store.add_note(activity.id, "Odottaa", pending=True).id,
           store.add_note(other_activity.id, "Toisen tilaisuuden").id,
           store.add_note(elsewhere.id, "Toisessa tehtävässä").id]
    assert (first.id, second.id, activity.id, other_activity.id, ids) == (1, 2, 2, 4,
                                                                          [1, 2, 3, 4, 5])
    return SimpleNamespace(store=store, db=db_path, code=first.join_code)


def notes_json(db, *args):
    return {n["id"]: n for n in json.loads(ok(db, "notes", "1", "--json", *args))}


def test_notes_lists_every_note_of_the_event_one_line_each(room):
    assert ok(room.db, "notes", "1").splitlines() == [
        "1\t2\t-\t-\tEnsimmäinen rivi ja sarkain",
        "2\t2\t-\t-\tToinen",
        "3\t2\tpending\t-\tOdottaa",
        "5\t1\t-\t-\tToisessa tehtävässä",
    ]
    assert ok(room.db, "notes", room.code.lower(), "--activity", "1") == (
        "5\t1\t-\t-\tToisessa tehtävässä\n")


def test_notes_json_has_exactly_the_documented_fields(room):
    listed = json.loads(ok(room.db, "notes", "1", "--json"))
    assert [n["id"] for n in listed] == [1, 2, 3, 5]
    assert all(set(n) == JSON_FIELDS for n in listed)
    first = listed[0]
    assert {k: v for k, v in first.items() if k != "created"} == {
        "id": 1, "activity": 2, "kind": "note", "heading": "",
        "text": "Ensimmäinen\nrivi\tja sarkain", "original": None, "hidden": False,
        "starred": False, "pending": False, "merged_into": None, "group": None,
        "theme": None,
    }
    assert datetime.fromisoformat(first["created"]).tzinfo is not None
    assert listed[2]["pending"] is True


def test_notes_show_a_group_by_name(store, db_path):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if store.groups(a.id))
    group = store.groups(activity.id)[0]
    note = store.add_note(activity.id, "Ryhmän ajatus", group_id=group.id)
    (listed,) = json.loads(ok(db_path, "notes", str(event.id), "--json"))
    assert listed["group"] == group.name
    assert ok(db_path, "notes", str(event.id)) == (
        f"{note.id}\t{activity.id}\t-\t{group.name}\tRyhmän ajatus\n")


def test_hide_and_unhide(room):
    assert ok(room.db, "hide", "1", "1", "2") == "hidden 2 notes (undo: facilitator undo 1)\n"
    notes = notes_json(room.db)
    assert (notes[1]["hidden"], notes[2]["hidden"], notes[3]["hidden"]) == (True, True, False)
    assert ok(room.db, "notes", "1").splitlines()[1] == "2\t2\thidden\t-\tToinen"
    assert ok(room.db, "unhide", "1", "2") == "unhidden 1 note (undo: facilitator undo 1)\n"
    notes = notes_json(room.db)
    assert (notes[1]["hidden"], notes[2]["hidden"]) == (True, False)


def test_approve_lets_waiting_notes_through(room):
    assert ok(room.db, "approve", "1", "3", "2") == (
        "approved 1 note; 1 was not waiting (undo: facilitator undo 1)\n")
    assert notes_json(room.db)[3]["pending"] is False


def test_edit_keeps_the_original(room):
    assert ok(room.db, "edit", "1", "2", "Toinen, korjattu") == (
        "edited note 2 (undo: facilitator undo 1)\n")
    note = notes_json(room.db)[2]
    assert (note["text"], note["original"]) == ("Toinen, korjattu", "Toinen")
    assert ok(room.db, "notes", "1").splitlines()[1] == "2\t2\tedited\t-\tToinen, korjattu"
    ok(room.db, "edit", "1", "2", "-", input="Toinen\n")  # back as sent: nothing edited
    note = notes_json(room.db)[2]
    assert (note["text"], note["original"]) == ("Toinen", None)


def test_star_toggles_as_the_console_does(room):
    assert ok(room.db, "star", "1", "1", "2") == "starred 2 notes (undo: facilitator undo 1)\n"
    assert ok(room.db, "star", "1", "1", "2") == "unstarred 2 notes (undo: facilitator undo 1)\n"
    ok(room.db, "star", "1", "1")
    ok(room.db, "star", "1", "1", "2", "--on")  # one was starred: --on stars the other
    assert [notes_json(room.db)[i]["starred"] for i in (1, 2)] == [True, True]
    ok(room.db, "star", "1", "2", "--off")
    # Asked again: already so, no step logged (nothing turns up to undo), exit 0.
    assert ok(room.db, "star", "1", "2", "--off").startswith("nothing to change: ")
    assert ok(room.db, "undo", "1") == "undid unstar of 1 note (2)\n"
    ok(room.db, "star", "1", "2", "--off")
    assert [notes_json(room.db)[i]["starred"] for i in (1, 2)] == [True, False]
    assert ok(room.db, "notes", "1").splitlines()[0].split("\t")[2] == "starred"


def test_merge_and_unmerge(room):
    assert ok(room.db, "merge", "1", "1", "2") == (
        "merged 1 note into 1 (undo: facilitator undo 1)\n")
    assert notes_json(room.db)[2]["merged_into"] == 1
    assert ok(room.db, "notes", "1").splitlines()[1] == "2\t2\tmerged:1\t-\tToinen"
    assert ok(room.db, "unmerge", "1", "1") == "unmerged 1 note (undo: facilitator undo 1)\n"
    assert notes_json(room.db)[2]["merged_into"] is None


def test_undo_takes_back_the_last_step_then_says_there_is_none(room):
    ok(room.db, "hide", "1", "1", "2")
    ok(room.db, "star", "1", "2")
    assert ok(room.db, "undo", "1") == "undid star of 1 note (2)\n"
    assert ok(room.db, "undo", room.code) == "undid hide of 2 notes (1, 2)\n"
    assert not any(n["hidden"] or n["starred"] for n in notes_json(room.db).values())
    assert ok(room.db, "undo", "1") == "nothing to undo\n"


def unknown_note(note_id: int) -> str:
    return t("en", "moderation.error.unknown_note", id=note_id)


@pytest.mark.parametrize("args, message", [
    (["notes", "99"], "no event with id 99"),
    (["notes", "NOPEE"], "no event with join code 'NOPEE'"),
    (["notes", "1", "--activity", "4"], "activity 4 is not part of event 1"),
    (["notes", "1", "--activity", "99"], "no activity with id 99"),
    (["hide", "99", "1"], "no event with id 99"),
    (["hide", "NOPEE", "1"], "no event with join code 'NOPEE'"),
    (["hide", "1", "1", "4"], unknown_note(4)),  # note 1 is not hidden either
    (["hide", "1", "1", "999"], unknown_note(999)),
    (["hide", "2", "1"], unknown_note(1)),
    (["unhide", "1", "4"], unknown_note(4)),
    (["approve", "1", "3", "4"], unknown_note(4)),
    (["approve", "1", "1"], t("en", "moderation.error.not_pending")),
    (["edit", "1", "4", "uusi"], unknown_note(4)),
    (["edit", "99", "1", "uusi"], "no event with id 99"),
    (["edit", "1", "1", "  "], t("en", "methods.error.empty_note")),
    (["star", "1", "1", "4"], unknown_note(4)),
    (["merge", "1", "1", "4"], unknown_note(4)),
    (["merge", "1", "4", "1"], unknown_note(4)),
    (["merge", "1", "1", "1"], t("en", "moderation.error.merge_two")),
    (["merge", "1", "1", "5"], t("en", "moderation.error.merge_activity")),
    (["unmerge", "1", "1"], t("en", "moderation.error.not_merged")),
    (["unmerge", "1", "4"], unknown_note(4)),
    (["undo", "99"], "no event with id 99"),
])
def test_refusals_are_one_line_and_change_nothing(room, args, message):
    ok(room.db, "hide", "2", "4")  # a step of event 2: `undo 99` must not touch it
    assert refused(room.db, *args) == message


def test_a_refusal_in_a_real_process_is_one_line_without_a_traceback(room):
    env = {**os.environ, "FACILITATOR_DB": str(room.db)}
    result = subprocess.run([sys.executable, "-m", "facilitator", "hide", "1", "1", "4"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr == f"facilitator: {unknown_note(4)}\n"
    assert not notes_json(room.db)[1]["hidden"]


def test_an_id_in_other_digits_is_no_id(room):
    """int() reads "３" and "١" as 3 and 1: the CLI must not act on a note no one typed."""
    from click.testing import CliRunner

    from facilitator.cli import main

    for odd in ("３", "١"):
        result = CliRunner().invoke(main, ["hide", "1", odd, "--db", str(room.db)])
        assert result.exit_code == 2 and "not an id" in result.output
    assert not any(n["hidden"] for n in notes_json(room.db).values())
