"""`facilitator themes` and `facilitator theme` over a real database file: what they print,
what they change, that `--suggest` changes nothing, and every refusal one line."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from facilitator import templates
from tests.cli_runner import dump, ok, refused

TEXTS = ["Kokouksia on liian paljon", "Liian paljon kokouksia viikossa",
         "Tiedonkulku on hidasta", "Tieto kulkee hitaasti", "Kahvi loppui"]


@pytest.fixture
def room(store, db_path):
    """Event 1 from seminaari-1 (its 13 labels), notes 1–5 in its first activity; event 2
    with note 6."""
    first = store.create_event(templates.load(templates.resolve("seminaari-1")))
    second = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(first.id)[0]
    other = store.activities(second.id)[0]
    ids = [store.add_note(activity.id, text).id for text in TEXTS]
    elsewhere = store.add_note(other.id, "Muualla").id
    return SimpleNamespace(store=store, db=db_path, activity=activity.id, other=other.id,
                           ids=ids, elsewhere=elsewhere,
                           second_activity=store.activities(first.id)[1].id)


def listed(room):
    return json.loads(ok(room.db, "themes", "1", str(room.activity), "--json"))


def test_theme_puts_notes_in_a_theme_and_themes_lists_them(room):
    out = ok(room.db, "theme", "1", str(room.activity), "Kokoukset", "1", "2")
    assert out == "2 notes in theme 'Kokoukset' (undo: facilitator undo 1)\n"
    ok(room.db, "theme", "1", str(room.activity), "  tiedonkulku ", "3")
    ok(room.db, "theme", "1", str(room.activity), "TIEDONKULKU", "4", "2")  # the same theme
    assert ok(room.db, "themes", "1", str(room.activity)).splitlines() == [
        "Kokoukset\t1\t1", "tiedonkulku\t3\t2,3,4", "-\t1\t5"]
    data = listed(room)
    assert data["themes"] == [{"title": "Kokoukset", "notes": [1]},
                              {"title": "tiedonkulku", "notes": [2, 3, 4]}]
    assert data["unthemed"] == [5] and len(data["offered"]) == 13
    notes = {n["id"]: n for n in json.loads(ok(room.db, "notes", "1", "--json"))}
    assert notes[2]["theme"] == "tiedonkulku" and notes[5]["theme"] is None


def test_an_offered_label_is_used_as_written(room):
    label = room.store.event(1).themes[4]
    ok(room.db, "theme", "1", str(room.activity), label.upper(), "5")
    data = listed(room)
    assert data["themes"] == [{"title": label.upper(), "notes": [5]}]
    assert label not in data["offered"] and len(data["offered"]) == 12


def test_remove_deletes_the_theme_and_undo_brings_it_back(room):
    ok(room.db, "theme", "1", str(room.activity), "Kokoukset", "1", "2")
    out = ok(room.db, "theme", "1", str(room.activity), "kokoukset", "--remove")
    assert out.startswith("deleted theme 'Kokoukset'; 2 notes left without a theme")
    assert listed(room)["themes"] == []
    assert ok(room.db, "undo", "1") == "undid theme_delete of 2 notes (1, 2)\n"
    assert listed(room)["themes"] == [{"title": "Kokoukset", "notes": [1, 2]}]


def test_suggest_prints_groups_and_changes_nothing(room):
    before = dump(room.db)
    data = json.loads(ok(room.db, "themes", "1", str(room.activity), "--suggest", "--json"))
    assert dump(room.db) == before
    groups = [sorted(g["notes"]) for g in data["groups"]]
    assert [1, 2] in groups and [3, 4] in groups
    assert all(set(g) == {"label", "notes"} and g["label"] for g in data["groups"])
    assert data["backend"] in ("voikko", "snowball")
    text = ok(room.db, "themes", "1", str(room.activity), "--suggest")
    assert dump(room.db) == before
    assert any(line.split("\t")[1] in ("1,2", "2,1") for line in text.splitlines())


def test_suggest_leaves_out_notes_already_in_a_theme(room):
    ok(room.db, "theme", "1", str(room.activity), "Kokoukset", "1", "2")
    data = json.loads(ok(room.db, "themes", "1", str(room.activity), "--suggest", "--json"))
    assert all(not {1, 2} & set(g["notes"]) for g in data["groups"])


@pytest.mark.parametrize("args, message", [
    (("themes", "9", "1"), "no event with id 9"),
    (("themes", "1", "99"), "Activity 99 is not in this event."),
    (("themes", "1", "ACT_OTHER"), "Activity ACT_OTHER is not in this event."),
    (("themes", "1", "99", "--suggest"), "Activity 99 is not in this event."),
    (("theme", "1", "ACT", "A", "NOTE_ELSEWHERE"),
     "Note NOTE_ELSEWHERE is not a note of activity ACT."),
    (("theme", "1", "ACT_2", "A", "1"), "Note 1 is not a note of activity ACT_2."),
    (("theme", "1", "ACT", "A", "1", "77"), "Note 77 is not a note of activity ACT."),
    (("theme", "1", "ACT", "   ", "1"), "Give the theme a title."),
    (("theme", "1", "ACT", "Ei ole", "--remove"), "The activity has no theme “Ei ole”."),
    (("theme", "1", "ACT", "A"), "give the notes to put in the theme, or --remove"),
])
def test_refusals_are_one_line_and_change_nothing(room, args, message):
    names = {"ACT_OTHER": room.other, "ACT_2": room.second_activity, "ACT": room.activity,
             "NOTE_ELSEWHERE": room.elsewhere}
    args = tuple(str(names.get(a, a)) for a in args)
    for name, value in sorted(names.items(), key=lambda kv: -len(kv[0])):
        message = message.replace(name, str(value))
    assert refused(room.db, *args) == message


def test_rename_and_move_a_theme_and_refuse_both_at_once(tmp_path):
    """A theme renamed and moved up from the command line, both undoable; two changes
    asked at once are refused with one line and change nothing."""
    from click.testing import CliRunner

    from facilitator.cli import main
    from facilitator.storage import Store, open_db

    db = tmp_path / "t.db"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "demo", "--db", str(db)]).exit_code == 0
    store = Store(open_db(db))
    activity = store.activities(1)[0]
    ids = [str(store.add_note(activity.id, text).id) for text in ("a", "b")]

    def cli(*args):
        return runner.invoke(main, [*args, "--db", str(db)])

    assert cli("theme", "1", str(activity.id), "Kokoukset", ids[0]).exit_code == 0
    assert cli("theme", "1", str(activity.id), "Tiedonkulku", ids[1]).exit_code == 0
    done = cli("theme", "1", str(activity.id), "kokoukset", "--rename", "Palaverit")
    assert done.exit_code == 0 and "'Palaverit'" in done.output
    assert cli("theme", "1", str(activity.id), "Tiedonkulku", "--move", "up").exit_code == 0
    assert [t.title for t in store.themes(activity.id)] == ["Tiedonkulku", "Palaverit"]
    refused = cli("theme", "1", str(activity.id), "Palaverit", "--rename", "X", "--move", "up")
    assert refused.exit_code == 1 and [t.title for t in store.themes(activity.id)] == [
        "Tiedonkulku", "Palaverit"]
    assert cli("undo", "1").exit_code == 0  # the move
    assert [t.title for t in store.themes(activity.id)] == ["Palaverit", "Tiedonkulku"]
