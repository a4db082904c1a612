"""Verkkokeskustelu: teams answer, read the others only after answering, and comment;
the console marks what is new since the facilitator last looked; the memo lists it all."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.methods import Form, InvalidInput, Items, Posted, Text
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

METHOD = methods.get("discussion")


@pytest.fixture
def running(store, online):
    """Verkkokeskustelu 2's discussion, open."""
    activity = activity_of(store, online, "discussion")
    store.set_activity_state(online.id, activity.id, "open")
    return online, store.activity(activity.id)


class Room:
    """Phones of one event, each posting as a person would through the method."""

    def __init__(self, store, event, activity):
        self.store, self.event, self.activity = store, event, activity
        self._phones = 0

    def phone(self, team: str | None = None):
        self._phones += 1
        participant = self.store.join(self.event.id, f"phone-{self._phones}")
        if team:
            self.post(participant, "group", name=team)
        return participant

    def ctx(self, participant=None, **kw):
        return methods.Context(self.store, self.store.activity(self.activity.id), "fi",
                               participant, **kw)

    def post(self, participant, form: str, **fields):
        return METHOD.submit(self.ctx(participant), form, Posted(fields)).note

    def view(self, participant):
        return METHOD.participant_view(self.ctx(participant))

    def console(self) -> str:
        return console_text(METHOD.live_view(self.ctx()))


def console_text(blocks) -> str:
    """The console's blocks as plain lines (newest first where the console shows them so),
    without the console's widgets: these tests are about the method, not about drawing."""
    lines: list[str] = []
    for block in methods.resolve(blocks):
        if isinstance(block, methods.Heading):
            count = f" ({block.count})" if block.count is not None else ""
            lines += [f"{block.text}{count}"]
        elif isinstance(block, Text):
            lines += [block.text]
        elif isinstance(block, Items):
            for item in block.items:
                hidden = "(piilotettu) " if item.hidden else ""
                meta = f"{item.meta}: " if item.meta else ""
                lines += [f"• {meta}{hidden}{item.text}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def room(store, running):
    return Room(store, *running)


def texts_in(view) -> list[str]:
    """Everything a phone's view shows, forms by their names."""
    out = []
    for part in view:
        if isinstance(part, Items):
            out += [f"{i.meta}: {i.text}" if i.meta else i.text for i in part.items]
        elif isinstance(part, Form):
            out.append(f"<form {part.name}>")
        else:
            out.append(part.text)
    return out


def refused(room, participant, form: str, **fields) -> InvalidInput:
    before = room.store.note_count(room.activity.id)
    with pytest.raises(InvalidInput) as caught:
        room.post(participant, form, **fields)
    assert room.store.note_count(room.activity.id) == before  # nothing half-written
    return caught.value


# -- configuration -----------------------------------------------------------------------------

TEMPLATE = """
[event]
title = "Testi"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "discussion"
title = "Keskustelu"
"""


@pytest.mark.parametrize("config, field, reason", [
    ("", "config.questions", "required: the questions each team answers (1–12)"),
    ("[parts.activities.config]\ncomments = true\n", "config.questions", "required"),
    ("[parts.activities.config]\nquestions = []\n", "config.questions",
     "must have 1–12 items, not 0"),
    ("[parts.activities.config]\nquestions = [" + ", ".join(f'"k{i}"' for i in range(13))
     + "]\n", "config.questions", "must have 1–12 items, not 13"),
    ('[parts.activities.config]\nquestions = ["a", " a"]\n', "config.questions",
     "has the same text twice"),
    ('[parts.activities.config]\nquestions = ["a"]\ncomments = "kyllä"\n', "config.comments",
     "must be true or false"),
    ('[parts.activities.config]\nquestions = ["a"]\nvotes = 3\n', "config.votes",
     "unknown key for discussion (known: comments, material_url, questions)"),
])
def test_a_broken_config_names_file_field_and_reason(tmp_path, config, field, reason):
    path = tmp_path / "rikki.toml"
    path.write_text(TEMPLATE + config, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    assert caught.value.file == str(path)
    assert caught.value.field == f"parts[0].activities[0].{field}"
    assert reason in caught.value.reason


def test_the_bundled_discussions_have_their_questions():
    for name, count in (("verkkokeskustelu-1", 3), ("verkkokeskustelu-2", 2)):
        event = templates.load(templates.resolve(name))
        [activity] = [a for p in event.parts for a in p.activities if a.method == "discussion"]
        assert METHOD.config_errors(activity.config) == []
        assert len(activity.config["questions"]) == count


# -- teams -----------------------------------------------------------------------------------


def test_a_phone_without_a_team_sees_the_questions_and_chooses_or_names_one(room):
    first = room.phone()
    view = room.view(first)
    assert [f.name for f in view if isinstance(f, Form)] == ["group"]
    assert room.activity.config["questions"][0] in texts_in(view)
    room.post(first, "group", name="Tiimi  A ")
    # Another member types the name differently, or chooses it: one team either way.
    second, third = room.phone(), room.phone()
    [form] = [f for f in room.view(second) if isinstance(f, Form)]
    assert [f.name for f in form.fields] == ["group", "name"]
    room.post(second, "group", name="tiimi a")
    [team] = room.store.groups(room.activity.id)
    room.post(third, "group", group=str(team.id))
    members = {room.store.member_group(room.activity.id, p.id) for p in (first, second, third)}
    assert members == {team}


def test_without_a_team_nothing_can_be_answered(room):
    assert refused(room, room.phone(), "answer-1", text="Vastaus").key == "discussion.error.no_team"


# -- answering, reading, commenting ------------------------------------------------------------


def test_others_answers_show_only_after_the_team_has_answered(room):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    second = room.activity.config["questions"][1]
    room.post(a, "answer-1", text="A:n vastaus")
    view = texts_in(room.view(b))
    assert "Tiimi A: A:n vastaus" not in view
    assert "Muiden työryhmien vastaukset näkyvät, kun työryhmänne on vastannut tähän kysymykseen."\
        in view
    room.post(b, "answer-1", text="B:n vastaus")
    view = texts_in(room.view(b))
    assert "Tiimi A: A:n vastaus" in view and "Tiimi B: B:n vastaus" in view
    # Answering one question opens that one only.
    assert view.index("Tiimi A: A:n vastaus") < view.index(second)
    # A team member on another phone sees what the team sees.
    b2 = room.phone("tiimi b")
    assert "Tiimi A: A:n vastaus" in texts_in(room.view(b2))


def test_switching_into_a_team_that_has_answered_more_is_refused(room, store):
    """Otherwise a member could hop into an answered team, read, and hop back (review)."""
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    room.post(a, "answer-1", text="A:n vastaus")
    team_a = store.member_group(room.activity.id, a.id)
    team_b = store.member_group(room.activity.id, b.id)
    refusal = refused(room, b, "group", group=str(team_a.id))
    assert (refusal.key, refusal.status, refusal.params) == (
        "discussion.error.switch_ahead", 409, {"team": "Tiimi B"})
    assert store.member_group(room.activity.id, b.id) == team_b  # the move was undone
    # A latecomer without a team joins the answered team; equal teams swap freely.
    late = room.phone("Tiimi A")
    assert store.member_group(room.activity.id, late.id) == team_a
    room.post(b, "answer-1", text="B:n vastaus")
    room.post(b, "group", group=str(team_a.id))
    assert store.member_group(room.activity.id, b.id) == team_a


def test_answers_and_comments_are_stored_with_team_question_and_answer(room, store):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    question = room.activity.config["questions"][1]
    answer = room.post(a, "answer-2", text="  Resurssit\r\nyhteiseen työhön  ")
    assert (answer.kind, answer.heading, answer.text) == ("answer", question,
                                                          "Resurssit\nyhteiseen työhön")
    assert answer.group_id == store.member_group(room.activity.id, a.id).id
    room.post(b, "answer-2", text="B")
    comment = room.post(b, f"comment-{answer.id}", text="Hyvä ajatus")
    assert (comment.kind, comment.ref_id, comment.heading) == ("comment", answer.id, question)
    assert comment.group_id == store.member_group(room.activity.id, b.id).id
    assert comment.participant_id == b.id
    # The team that was commented on reads it under its own answer.
    assert "↳ Tiimi B: Hyvä ajatus" in texts_in(room.view(a))
    # A team may answer again: a second answer adds to the first.
    room.post(a, "answer-2", text="Lisäys")
    assert [n.text for n in store.notes(room.activity.id) if n.kind == "answer"
            and n.group_id == answer.group_id] == ["Resurssit\nyhteiseen työhön", "Lisäys"]


def test_comment_forms_are_for_others_answers_once_answered(room):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    answer = room.post(a, "answer-1", text="A")
    names = [f.name for f in room.view(b) if isinstance(f, Form)]
    assert f"comment-{answer.id}" not in names
    own = room.post(b, "answer-1", text="B")
    names = [f.name for f in room.view(b) if isinstance(f, Form)]
    assert f"comment-{answer.id}" in names and f"comment-{own.id}" not in names


def test_refusals_say_why_and_store_nothing(room, store, seminar):
    a, b, c = room.phone("Tiimi A"), room.phone("Tiimi B"), room.phone("Tiimi C")
    answer = room.post(a, "answer-1", text="A")
    # Before the team has answered that question, no reading ahead by commenting either.
    assert refused(room, b, f"comment-{answer.id}", text="x").key == (
        "discussion.error.answer_first")
    room.post(b, "answer-2", text="toiseen")
    assert refused(room, b, f"comment-{answer.id}", text="x").key == (
        "discussion.error.answer_first")
    own = room.post(b, "answer-1", text="B")
    assert refused(room, b, f"comment-{own.id}", text="x").key == "discussion.error.own_answer"
    comment = room.post(b, f"comment-{answer.id}", text="kommentti")
    # Not an answer, another activity's answer, no such note, or no number at all.
    elsewhere = store.activities(seminar.id)[0]
    foreign = store.add_note(elsewhere.id, "muualla", kind="answer")
    for target in (str(comment.id), str(foreign.id), "999999", "x", ""):
        assert refused(room, b, f"comment-{target}", text="x").key == (
            "discussion.error.no_answer"), target
    for form in ("answer-0", "answer-3", "answer-x", "answer"):
        assert refused(room, c, form, text="x").key == "discussion.error.no_question", form
    assert refused(room, c, "note", text="x").key == "discussion.error.unknown_form"
    assert refused(room, c, "answer-1", text="  ").key == "methods.error.empty_note"
    assert refused(room, c, "answer-1", text="x" * 2001).status == 413


def test_a_hidden_answer_leaves_the_phones_and_takes_no_comments(room, store):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    answer = room.post(a, "answer-1", text="Asiaton")
    mine = room.post(b, "answer-1", text="B")
    hide(store, answer.id)
    assert "Tiimi A: Asiaton" not in texts_in(room.view(b))
    assert refused(room, b, f"comment-{answer.id}", text="x").key == "discussion.error.no_answer"
    # The hidden answer still counts as answered: the team is not locked out again.
    hide(store, mine.id)
    room.post(a, "answer-1", text="Asiallinen")
    assert "Tiimi A: Asiallinen" in texts_in(room.view(b))


def test_without_comments_there_are_no_comment_forms_and_none_are_taken(store, tmp_path):
    path = tmp_path / "ilman.toml"
    path.write_text(TEMPLATE + '[parts.activities.config]\nquestions = ["Yksi"]\n'
                    "comments = false\n", encoding="utf-8")
    event = store.create_event(templates.load(path))
    [activity] = store.activities(event.id)
    store.set_activity_state(event.id, activity.id, "open")
    room = Room(store, event, activity)
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    answer = room.post(a, "answer-1", text="A")
    room.post(b, "answer-1", text="B")
    view = room.view(b)
    assert "Tiimi A: A" in texts_in(view)
    assert [f.name for f in view if isinstance(f, Form)] == ["answer-1", "group"]
    assert refused(room, b, f"comment-{answer.id}", text="x").key == (
        "discussion.error.no_comments")


def test_once_closed_everyone_reads_everything_and_no_one_writes(room, store):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    answer = room.post(a, "answer-1", text="A")
    room.post(b, "answer-1", text="B")
    room.post(b, f"comment-{answer.id}", text="kommentti")
    store.set_activity_state(room.event.id, room.activity.id, "closed")
    for reader in (a, room.phone(), None):
        view = room.view(reader)
        assert not [f for f in view if isinstance(f, Form)]
        assert {"Tiimi A: A", "↳ Tiimi B: kommentti", "Tiimi B: B"} <= set(texts_in(view))


def test_closed_without_answers_shows_nothing(room, store):
    store.set_activity_state(room.event.id, room.activity.id, "closed")
    assert room.view(room.phone()) == []


# -- the console -----------------------------------------------------------------------------------


def test_the_console_marks_what_is_new_since_the_facilitator_last_looked(room, store):
    a, b = room.phone("Tiimi A"), room.phone("Tiimi B")
    assert "Ei uusia vastauksia eikä kommentteja." in room.console()
    answer = room.post(a, "answer-1", text="Ensimmäinen")
    room.post(b, "answer-1", text="Toinen")
    room.post(b, f"comment-{answer.id}", text="Kommentti")
    board = room.console()
    assert "Uusia: 3" in board and "Työryhmät (2): Tiimi A, Tiimi B" in board
    question = room.activity.config["questions"][0]
    # Per question its answers, newest first, each followed by its comments.
    thread = [b for b in METHOD.live_view(room.ctx()) if isinstance(b, Items)]
    assert [[(i.meta, i.text) for i in b.items] for b in thread[:2]] == [
        [("UUSI · Tiimi B", "Toinen")],
        [("UUSI · Tiimi A", "Ensimmäinen"), ("↳ UUSI · Tiimi B", "Kommentti")]]
    assert f"{question} (2)" in board
    assert [a.id for a in METHOD.actions(room.ctx())] == ["mark_read"]
    assert METHOD.act(room.ctx(), "mark_read", Posted()) == "Merkitty luetuiksi: 3."
    # Kept in the database: another console (or a restart) sees the same.
    assert store.setting(f"discussion.seen.{room.activity.id}") == str(
        max(n.id for n in store.notes(room.activity.id)))
    board = room.console()
    assert "UUSI" not in board and "Ei uusia vastauksia eikä kommentteja." in board
    room.post(a, "answer-2", text="Kolmas")
    board = room.console()
    assert "Uusia: 1" in board and "• UUSI · Tiimi A: Kolmas" in board
    assert board.count("UUSI") == 1
    assert METHOD.count(room.ctx()) == 4
    with pytest.raises(InvalidInput):
        METHOD.act(room.ctx(), "next_round", Posted())


def test_the_console_shows_hidden_notes_struck_and_leaves_them_out_of_the_new(room, store):
    a = room.phone("Tiimi A")
    answer = room.post(a, "answer-1", text="Asiaton")
    hide(store, answer.id)
    blocks = METHOD.live_view(room.ctx())
    assert Text("Ei uusia vastauksia eikä kommentteja.", "muted") in blocks
    assert "(piilotettu) Asiaton" in room.console()


# -- the memo --------------------------------------------------------------------------------------


def test_memo_lists_answers_per_question_with_their_comments(room, store):
    a, b, c = room.phone("Tiimi A"), room.phone("Opiskeluhuolto *B*"), room.phone("Tiimi C")
    first = room.post(a, "answer-1", text="Opiskeluhuollon suunnitelma\n- yhteinen runko")
    second = room.post(b, "answer-1", text="Tiedonkulku ja tietosuoja")
    room.post(b, f"comment-{first.id}", text="Samaa mieltä, runko säästää työtä.")
    room.post(a, f"comment-{second.id}", text="Myös rekisterit")
    moderated = room.post(c, "answer-1", text="Asiaton vastaus")
    room.post(a, f"comment-{moderated.id}", text="Kommentti piilotettuun")
    hide(store, moderated.id)
    hidden_comment = room.post(c, f"comment-{first.id}", text="Piilotettu kommentti")
    hide(store, hidden_comment.id)
    check_golden("discussion.md", memo_section(store, room.activity))


def test_memo_of_a_discussion_without_answers_is_empty(room, store):
    room.phone("Tiimi A")
    assert METHOD.memo_view(room.ctx(audience="memo")) == []


def test_memo_lists_a_questions_answers_under_their_themes(room, store):
    from facilitator.methods import Heading, theming

    a, b, c = room.phone("Tiimi A"), room.phone("Tiimi B"), room.phone("Tiimi C")
    first = room.post(a, "answer-1", text="Tiedonkulku ja tietosuoja")
    room.post(b, "answer-1", text="Yhteinen suunnitelma")
    third = room.post(c, "answer-1", text="Rekisterit")
    theming.assign(store, room.event.id, room.activity.id, "Tieto", [first.id, third.id])
    blocks = METHOD.memo_view(room.ctx(audience="memo"))
    headings = [(b.text, b.level) for b in blocks if isinstance(b, Heading)]
    assert headings[1:3] == [("Tieto", 2), ("Muut", 2)]
    answers = [blk.items[0].text for blk in blocks if hasattr(blk, "items")]
    assert answers == ["Tiedonkulku ja tietosuoja", "Rekisterit", "Yhteinen suunnitelma"]
