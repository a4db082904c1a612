"""Open space: the marketplace's rules (free cells, one session per window), the forms'
refusals, the facilitator's actions, the template's config and the memo section."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.domain import Note
from facilitator.methods import Context, Form, InvalidInput, Posted, Table
from facilitator.methods.open_space import (
    METHOD,
    crowded_slots,
    free_cells,
    slot_labels,
    taken_cells,
)
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

SLOTS = ("12:15–13:00", "13:15–14:00")
SPACES = ("Tila A", "Tila B", "Tila C", "Tila D")


def topic(note_id: int, slot: str | None = None, space: str | None = None) -> Note:
    return Note(id=note_id, activity_id=1, text=f"aihe {note_id}", kind="topic",
                data={"convener": "K", "slot": slot, "space": space})


# -- the pure rules -----------------------------------------------------------------------------


def test_free_cells_are_every_window_and_space_no_topic_holds():
    taken = taken_cells([topic(1, SLOTS[0], "Tila B"), topic(2), topic(3, SLOTS[1], "Tila A")])
    assert taken == {(SLOTS[0], "Tila B"): 1, (SLOTS[1], "Tila A"): 3}
    free = free_cells(SLOTS, SPACES, taken)
    assert len(free) == 6 and (SLOTS[0], "Tila B") not in free
    assert free[0] == (SLOTS[0], "Tila A")  # window by window, space by space
    assert free_cells(SLOTS, SPACES, {}) == [(s, p) for s in SLOTS for p in SPACES]


def test_a_topic_being_moved_does_not_block_its_own_cell():
    topics = [topic(1, SLOTS[0], "Tila A")]
    assert taken_cells(topics, except_id=1) == {}


def test_one_session_per_window():
    assert crowded_slots([SLOTS[0], SLOTS[1]]) == []
    assert crowded_slots([SLOTS[0], SLOTS[1], SLOTS[0]]) == [SLOTS[0]]
    assert crowded_slots([]) == []


def test_windows_are_labels_or_numbered():
    assert slot_labels({"slots": list(SLOTS)}) == SLOTS
    assert slot_labels({"slots": 2}) == ("Aikaikkuna 1", "Aikaikkuna 2")


# -- the template's config ----------------------------------------------------------------------

TEMPLATE = """
[event]
title = "Testi"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "open_space"
title = "Open space"
[parts.activities.config]
{config}
"""


@pytest.mark.parametrize("config, field, reason", [
    ('slots = "12–13"\nspaces = ["A"]', "slots", "must be a list of time windows"),
    ("slots = 0\nspaces = [\"A\"]", "slots", "must be between 1 and 12, not 0"),
    ('slots = ["12–13", " 12–13"]\nspaces = ["A"]', "slots", "has the same text twice"),
    ('slots = ["12–13"]', "spaces", "missing: open_space needs spaces"),
    ('spaces = ["A"]', "slots", "missing: open_space needs time windows"),
    ('slots = 2\nspaces = []', "spaces", "must have 1–30 items, not 0"),
    ('slots = 2\nspaces = ["A"]\nrooms = 3', "rooms", "unknown key for open_space"),
])
def test_a_broken_config_names_file_field_and_reason(tmp_path, config, field, reason):
    path = tmp_path / "broken.toml"
    path.write_text(TEMPLATE.format(config=config), encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        templates.load(path)
    assert error.value.file == str(path)
    assert error.value.field == f"parts[0].activities[0].config.{field}"
    assert reason in error.value.reason


def test_the_seminar_has_labelled_windows_within_its_workshop(seminar, store):
    activity = activity_of(store, seminar, "open_space")
    assert activity.config["slots"] == ["12:15–13:00", "13:15–14:00"]
    assert METHOD.config_errors({"slots": 3, "spaces": ["A"]}) == []  # a number still works


# -- the forms ------------------------------------------------------------------------------------


@pytest.fixture
def space(store, seminar):
    activity = activity_of(store, seminar, "open_space")
    store.set_activity_state(seminar.id, activity.id, "open")
    return store.activity(activity.id)


def phone(store, activity, n: int) -> Context:
    """The n:th phone in the room."""
    participant = store.join(activity.event_id, f"token-{n:02d}-" + "x" * 30)
    return Context(store, activity, participant=participant)


def propose(ctx: Context, title: str, convener: str = "Maija") -> Note:
    return METHOD.submit(ctx, "topic", Posted({"title": title, "convener": convener})).note


def place(ctx: Context, note: Note, slot: int, space: int) -> None:
    METHOD.submit(ctx, f"place-{note.id}", Posted({"cell": f"{slot}.{space}"}))


def join(ctx: Context, *notes: Note) -> None:
    METHOD.submit(ctx, "join", Posted([("sessions", str(n.id)) for n in notes]))


def refused(call, *args) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        call(*args)
    return error.value


def form(ctx: Context, name: str) -> Form:
    return next(f for f in METHOD.participant_view(ctx)
                if isinstance(f, Form) and f.name.startswith(name))


def test_a_topic_is_stored_with_its_convener_and_no_place(store, space):
    maija = phone(store, space, 1)
    note = METHOD.submit(maija, "topic", Posted({
        "title": "  Yhteisöllisyys\n välitunneilla ", "convener": "Maija M",
        "description": "Miten oppilaat otetaan mukaan?"})).note
    assert (note.kind, note.text, note.participant_id) == (
        "topic", "Yhteisöllisyys välitunneilla", maija.participant.id)
    assert note.data == {"convener": "Maija M", "description": "Miten oppilaat otetaan mukaan?",
                         "slot": None, "space": None}
    assert refused(METHOD.submit, maija, "topic", Posted({"title": "x", "convener": " "})).key \
        == "open_space.error.no_convener"
    assert refused(METHOD.submit, maija, "topic", Posted({"convener": "M"})).key \
        == "open_space.error.no_title"
    assert len(store.notes(space.id)) == 1


def test_the_place_form_offers_only_free_cells_and_refuses_a_taken_one(store, space):
    maija, pekka = phone(store, space, 1), phone(store, space, 2)
    first, second = propose(maija, "Välitunnit"), propose(pekka, "Kodin ja koulun yhteistyö")
    offered = form(pekka, f"place-{second.id}").fields[0]
    assert len(offered.choices) == 8
    # Both phones show the cell free; Maija takes it first.
    place(maija, first, 0, 1)
    assert "0.1" not in form(pekka, f"place-{second.id}").fields[0].choices
    error = refused(place, pekka, second, 0, 1)
    assert (error.key, error.status) == ("open_space.error.cell_taken", 409)
    assert error.params == {"slot": "12:15–13:00", "space": "Tila B"}
    assert store.note(second.id).data["slot"] is None  # nothing written
    assert store.note(first.id).data["space"] == "Tila B"
    place(pekka, second, 0, 2)
    assert store.note(second.id).data == {**second.data, "slot": "12:15–13:00",
                                           "space": "Tila C"}


def test_only_the_convener_places_once_and_only_in_the_grid(store, space):
    maija, pekka = phone(store, space, 1), phone(store, space, 2)
    note = propose(maija, "Välitunnit")
    assert refused(place, pekka, note, 0, 0).status == 403
    assert refused(place, maija, note, 2, 0).key == "open_space.error.choose_cell"
    place(maija, note, 0, 0)
    assert refused(place, maija, note, 1, 1).key == "open_space.error.already_placed"
    assert not any(f.name.startswith("place-") for f in METHOD.participant_view(maija)
                   if isinstance(f, Form))


def test_a_participant_joins_one_session_per_window_and_may_move(store, space):
    maija, pekka, liisa = (phone(store, space, n) for n in (1, 2, 3))
    a, b = propose(maija, "Välitunnit"), propose(pekka, "Kerhot")
    c = propose(pekka, "Oppilaskunta")
    place(maija, a, 0, 0)
    place(pekka, b, 0, 1)
    place(pekka, c, 1, 0)
    join(liisa, a, c)
    assert sorted(store.votes(space.id)) == [(liisa.participant.id, str(a.id), 1),
                                             (liisa.participant.id, str(c.id), 1)]
    error = refused(join, liisa, a, b)
    assert (error.key, error.params) == ("open_space.error.one_per_slot",
                                         {"slot": "12:15–13:00"})
    assert len(store.votes(space.id)) == 2  # the refusal changed nothing
    join(liisa, b)  # the law of two feet: off to another session
    assert store.votes(space.id) == [(liisa.participant.id, str(b.id), 1)]
    assert form(liisa, "join").values == {"sessions": [str(b.id)]}
    unplaced = propose(maija, "Ei vielä paikkaa")
    assert refused(join, liisa, unplaced).key == "open_space.error.choose_session"
    join(liisa)  # leaving every session is a choice too
    assert store.votes(space.id) == []


def test_a_second_report_replaces_the_first(store, space):
    maija, liisa = phone(store, space, 1), phone(store, space, 2)
    note = propose(maija, "Välitunnit")
    report = {"summary": "Välitunnit yhdistävät.", "proposals": "Välituntikummit",
              "next_steps": "", "participants": "9"}
    assert refused(METHOD.submit, maija, f"report-{note.id}", Posted(report)).key \
        == "open_space.error.not_placed"
    place(maija, note, 0, 0)
    join(liisa, note)
    assert form(maija, "report-").values == {"participants": "1"}  # those who marked it
    assert refused(METHOD.submit, liisa, f"report-{note.id}", Posted(report)).status == 403
    for bad in ({"participants": "0"}, {"participants": "yhdeksän"}, {"summary": " "}):
        assert refused(METHOD.submit, maija, f"report-{note.id}", Posted({**report, **bad}))
    first = METHOD.submit(maija, f"report-{note.id}", Posted(report)).note
    assert (first.kind, first.ref_id, first.text) == ("report", note.id, "Välitunnit yhdistävät.")
    assert first.data == {"proposals": "Välituntikummit", "next_steps": "", "participants": 9}
    second = METHOD.submit(maija, f"report-{note.id}", Posted({**report, "participants": "11",
                                                              "next_steps": "Kokeillaan"})).note
    assert second.id == first.id
    reports = [n for n in store.notes(space.id) if n.kind == "report"]
    assert [(n.text, n.data["participants"], n.data["next_steps"]) for n in reports] == [
        ("Välitunnit yhdistävät.", 11, "Kokeillaan")]
    assert form(maija, "report-").values["participants"] == "11"


def test_an_unknown_form_is_refused(store, space):
    maija = phone(store, space, 1)
    assert refused(METHOD.submit, maija, "place-x", Posted({"cell": "0.0"})).status == 404
    assert refused(METHOD.submit, maija, "vote", Posted()).status == 400


# -- the facilitator's actions --------------------------------------------------------------------


def act(store, activity, action: str, **values) -> str:
    ctx = Context(store, store.activity(activity.id))
    return METHOD.act(ctx, action, Posted(values))


def test_the_facilitator_places_moves_and_unplaces(store, space):
    maija, liisa = phone(store, space, 1), phone(store, space, 2)
    note = propose(maija, "Välitunnit")
    console = Context(store, space)
    [offer] = METHOD.actions(console)
    # Nothing chosen in advance: a guessed topic or cell is a wrong placing a key away.
    assert offer.id == "place" and offer.values == {}
    assert offer.fields[0].choices == (str(note.id),) and offer.fields[1].choices[0] == "0.0"
    assert act(store, space, "place", topic=str(note.id), cell="0.3") \
        == "Välitunnit: 12:15–13:00 · Tila D"
    join(liisa, note)
    act(store, space, "place", topic=str(note.id), cell="0.0")  # another space, same window
    assert len(store.votes(space.id)) == 1
    act(store, space, "place", topic=str(note.id), cell="1.0")  # another window: seats freed
    assert store.votes(space.id) == []
    join(liisa, note)
    assert [a.id for a in METHOD.actions(console)] == ["place", "unplace", "report"]
    assert "paikka vapautettu" in act(store, space, "unplace", topic=str(note.id))
    assert cell_data(store, note) == (None, None) and store.votes(space.id) == []
    assert refused(lambda: act(store, space, "unplace", topic=str(note.id))).status == 409
    assert refused(lambda: act(store, space, "place", topic="999", cell="0.0")).status == 404


def test_the_facilitator_writes_a_report_for_a_convener_without_a_phone(store, space):
    maija = phone(store, space, 1)
    note = propose(maija, "Välitunnit")
    place(maija, note, 0, 0)
    report = {"topic": str(note.id), "summary": "Paperilta: välitunnit yhdistävät.",
              "proposals": "", "next_steps": "", "participants": "7"}
    assert act(store, space, "report", **report) == "Raportti tallennettu: Välitunnit"
    [stored] = store.notes(space.id, kind="report")
    assert (stored.ref_id, stored.participant_id, stored.data["participants"]) == (
        note.id, None, 7)
    # The convener's own later report replaces it: one report per session.
    METHOD.submit(maija, f"report-{note.id}", Posted({**report, "summary": "Oma raportti"}))
    assert [n.text for n in store.notes(space.id, kind="report")] == ["Oma raportti"]
    assert refused(lambda: act(store, space, "report", **{**report, "summary": ""})).key == (
        "open_space.error.no_summary")


def cell_data(store, note: Note) -> tuple:
    data = store.note(note.id).data
    return data["slot"], data["space"]


def test_a_hidden_topic_keeps_its_cell_until_unplaced(store, space):
    maija, pekka = phone(store, space, 1), phone(store, space, 2)
    spam, other = propose(maija, "mainos"), propose(pekka, "Kerhot")
    place(maija, spam, 0, 0)
    hide(store, spam.id)
    assert refused(place, pekka, other, 0, 0).key == "open_space.error.cell_taken"
    view = METHOD.participant_view(pekka)
    assert "mainos" not in repr(view)  # a phone never shows moderated text
    [wall] = [b for b in view if isinstance(b, Table)]
    assert wall.rows[0][1] == "varattu"  # held, so not offered as free either
    act(store, space, "unplace", topic=str(spam.id))
    place(pekka, other, 0, 0)


def test_every_cell_taken_says_so_instead_of_an_empty_form(store, tmp_path):
    path = tmp_path / "pieni.toml"
    path.write_text(TEMPLATE.format(config='slots = 1\nspaces = ["Nurkka"]'), encoding="utf-8")
    event = store.create_event(templates.load(path))
    activity = store.activities(event.id)[0]
    store.set_activity_state(event.id, activity.id, "open")
    activity = store.activity(activity.id)
    maija, pekka = phone(store, activity, 1), phone(store, activity, 2)
    place(maija, propose(maija, "Ainoa paikka"), 0, 0)
    propose(pekka, "Myöhästynyt")
    texts = [b.text for b in METHOD.participant_view(pekka) if isinstance(b, methods.Text)]
    assert any("Kaikki aikaikkunat ja tilat on jo varattu" in text for text in texts)
    assert [a.id for a in METHOD.actions(Context(store, activity))] == ["unplace", "report"]


# -- the memo ----------------------------------------------------------------------------------


def test_memo_has_the_marketplace_and_the_book_of_proceedings(store, space):
    maija, pekka, liisa, spammer = (phone(store, space, n) for n in (1, 2, 3, 4))
    a = METHOD.submit(maija, "topic", Posted({
        "title": "Yhteisöllisyys välitunneilla", "convener": "Maija",
        "description": "Miten *kaikki* pääsevät mukaan?"})).note
    b = propose(pekka, "Kodin ja koulun yhteistyö", "Pekka")
    c = propose(pekka, "Oppilaskunnan rooli", "Pekka")
    propose(liisa, "Hyvinvointikysely", "Liisa")  # never placed
    spam = propose(spammer, "mainos", "x")
    place(maija, a, 0, 0)
    place(pekka, b, 0, 1)
    place(pekka, c, 1, 0)
    place(spammer, spam, 1, 1)
    hide(store, spam.id)
    join(liisa, a, c)
    METHOD.submit(maija, f"report-{a.id}", Posted({
        "summary": "Välitunnit ovat yhteisön ydin.\nYhteiset pelit auttavat.",
        "proposals": "1. Välituntikummit\n2. Pelivälineet lainaan",
        "next_steps": "Rehtori vie ehdotukset johtoryhmään (Maija, toukokuu)",
        "participants": "12"}))
    METHOD.submit(pekka, f"report-{b.id}", Posted({
        "summary": "Vanhempainillat uusiksi.", "proposals": "", "next_steps": "",
        "participants": "5"}))
    text = memo_section(store, space)
    assert "mainos" not in text
    check_golden("open_space.md", text)


def test_a_phone_that_has_only_read_the_page_is_offered_the_sessions(store, space):
    # A device becomes a participant with its first post: until then its context has
    # no participant, and joining a session is how it takes part.
    maija = phone(store, space, 1)
    note = propose(maija, "Välitunnit")
    place(maija, note, 0, 0)
    reader = Context(store, store.activity(space.id), audience="phone")
    joining = next(f for f in METHOD.participant_view(reader)
                   if isinstance(f, Form) and f.name == "join")
    assert joining.fields[0].choices == (str(note.id),) and not joining.values.get("sessions")
