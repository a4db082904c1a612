"""Tunnerivi: the median and the shift between rounds, the line a config describes,
positions as the phones post them, rounds, and the memo section (golden file)."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.domain import Note
from facilitator.methods.emotion_line import Movement, latest, mean, median, movement
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

# -- median and shift ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "positions, expected",
    [
        ([], None),
        ([4], 4.0),
        ([5, 1, 3], 3.0),  # any order
        ([1, 2, 2, 5], 2.0),  # even count, the two middle ones agree: a step
        ([2, 3], 2.5),  # even count, they differ: between the two steps
        ([1, 1, 4, 5], 2.5),
        ([3, 3, 3, 5, 5, 5], 4.0),
    ],
)
def test_median(positions, expected):
    assert median(positions) == expected


def test_mean():
    assert mean([]) is None
    assert mean([1, 2, 2, 5]) == 2.5


def test_movement_counts_each_participant_on_the_line_in_both_rounds():
    before = {1: 2, 2: 2, 3: 4, 4: 3, 5: None, 6: 1}
    after = {1: 3, 2: 2, 3: 1, 4: 5, 5: 4, 7: 5}
    # 1 right, 2 stayed, 3 left, 4 right; 5 could not say first; 6 left, 7 came later.
    assert movement(before, after) == Movement(left=1, stayed=1, right=2)
    assert movement(before, after).both == 4
    assert movement({}, after) == Movement()


def _note(id, who, round, position, hidden=False):
    return Note(id=id, activity_id=1, text="", participant_id=who, kind="position",
                round=round, data={"position": position}, hidden=hidden)


def test_latest_position_per_participant_per_round_counts():
    notes = [
        _note(1, 10, 1, 2), _note(2, 11, 1, 4), _note(3, 10, 1, 5),  # 10 moved to 5
        _note(4, 10, 2, 1),  # another round
        _note(5, None, 1, 3), _note(6, None, 1, 3),  # typed in by hand: two people
        Note(id=7, activity_id=1, text="x", participant_id=11, round=1),  # not a position
    ]
    assert [n.id for n in latest(notes, 1)] == [2, 3, 5, 6]
    assert [n.id for n in latest(notes, 2)] == [4]


# -- the line a config describes -------------------------------------------------------------


def _event(tmp_path, config: str, name="rivi.toml"):
    path = tmp_path / name
    path.write_text(
        '[event]\ntitle = "Testi"\n[[parts]]\ntitle = "Osa"\n[[parts.activities]]\n'
        'method = "emotion_line"\ntitle = "Tunnerivi"\nprompt = "Miltä tuntuu?"\n'
        "[parts.activities.config]\n" + config, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "config, field, reason",
    [
        ('scale = ["a", "b"]\nends = ["a", "b"]\n', "ends", "use either scale or ends+steps"),
        ('scale = ["a", "b"]\nsteps = 5\n', "steps", "use either scale or ends+steps"),
        ('ends = ["a", "b", "c"]\n', "ends", "must be [left, right]: 2 texts, not 3"),
        ('ends = ["a", "b"]\nsteps = 12\n', "steps", "must be between 3 and 11, not 12"),
        ('scale = ["a", "b", "c", "d", "e"]\nemoji = ["😟", "😐", "🙂", "😀"]\n',
         "emoji", "must have 5 items (one per step), not 4"),
        ('ends = ["a", "b"]\nsteps = 3\nemoji = ["😟", "😐", "🙂", "😀"]\n',
         "emoji", "must have 3 items (one per step), not 4"),
        ('scale = ["a"]\n', "scale", "must have 2–11 items, not 1"),
        ("dont_know = 1\n", "dont_know", "must be true or false"),
        ("rounds = []\n", "rounds", "must have 1–5 items, not 0"),
        ("colour = 1\n", "colour", "unknown key for emotion_line"),
    ],
)
def test_config_errors_name_file_field_and_reason(tmp_path, config, field, reason):
    with pytest.raises(TemplateError) as caught:
        templates.load(_event(tmp_path, config))
    error = caught.value
    assert error.file.endswith("rivi.toml")
    assert error.field == f"parts[0].activities[0].config.{field}"
    assert reason in error.reason


def _opened(store, tmp_path, config: str):
    event = store.create_event(templates.load(_event(tmp_path, config)))
    activity = store.activities(event.id)[0]
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


def _form(view) -> methods.Form:
    return next(p for p in view if isinstance(p, methods.Form))


def test_ends_steps_and_emoji_make_the_labels(store, tmp_path):
    event, activity = _opened(store, tmp_path, 'ends = ["huolestuttaa", "innostaa"]\nsteps = 4\n'
                              'emoji = ["😟", "😐", "🙂", "😀"]\ndont_know = false\n'
                              'rounds = ["tunnelma"]\n')
    me = store.join(event.id, "puhelin")
    ctx = methods.Context(store, activity, participant=me)
    method = methods.get("emotion_line")
    view = method.participant_view(ctx)
    assert not any(isinstance(p, methods.Text) for p in view)  # one round: none to name
    assert method.actions(ctx) == []
    field = _form(view).fields[0]
    assert field.kind == "scale"
    assert field.labelled_choices() == [
        ("1", "😟 1 huolestuttaa"), ("2", "😐 2"), ("3", "🙂 3"), ("4", "😀 4 innostaa"),
    ]


def test_without_a_scale_the_line_has_five_steps_and_en_osaa_sanoa(store, tmp_path):
    _, activity = _opened(store, tmp_path, "")
    view = methods.get("emotion_line").participant_view(methods.Context(store, activity))
    assert view[0] == methods.Text("Kierros 1/2: alkukierros", "strong")
    assert _form(view).fields[0].labelled_choices() == [
        ("1", "1 huolestuttaa"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5 innostaa"),
        ("dont_know", "En osaa sanoa"),
    ]


# -- positions, as the phones post them ---------------------------------------------------------


@pytest.fixture
def line(store, seminar):
    activity = activity_of(store, seminar, "emotion_line")
    store.set_activity_state(seminar.id, activity.id, "open")
    return seminar, store.activity(activity.id)


def _post(store, activity_id, who, position, reason=""):
    ctx = methods.Context(store, store.activity(activity_id), participant=who)
    posted = methods.Posted({"position": position, "reason": reason})
    return methods.get("emotion_line").submit(ctx, "position", posted).note


def test_a_position_is_stored_with_its_round_and_reason(store, line):
    event, activity = line
    me = store.join(event.id, "puhelin")
    note = _post(store, activity.id, me, "4", "  Uusia mahdollisuuksia\r\n")
    assert (note.kind, note.round, note.data, note.text, note.heading) == (
        "position", 1, {"position": 4}, "Uusia mahdollisuuksia", "kiinnostaa")
    unsure = _post(store, activity.id, me, "dont_know")
    assert (unsure.data, unsure.text, unsure.heading) == ({"position": None}, "", "En osaa sanoa")


@pytest.mark.parametrize("position", ["", "0", "6", "2.0", " 2", "innostaa", "dont-know"])
def test_a_position_off_the_line_is_refused_and_nothing_is_stored(store, line, position):
    event, activity = line
    me = store.join(event.id, "puhelin")
    with pytest.raises(methods.InvalidInput) as caught:
        _post(store, activity.id, me, position, "perustelu")
    assert (caught.value.key, caught.value.status) == ("emotion_line.error.choose_position", 422)
    assert store.notes(activity.id) == []


def test_en_osaa_sanoa_is_refused_when_the_template_leaves_it_out(store, tmp_path):
    event, activity = _opened(store, tmp_path, 'scale = ["a", "b", "c"]\ndont_know = false\n')
    me = store.join(event.id, "puhelin")
    with pytest.raises(methods.InvalidInput):
        _post(store, activity.id, me, "dont_know")
    assert store.notes(activity.id) == []


def test_moving_keeps_every_post_and_the_latest_counts(store, line):
    event, activity = line
    me, other = store.join(event.id, "a"), store.join(event.id, "b")
    _post(store, activity.id, me, "1", "Huoli jaksamisesta")
    _post(store, activity.id, other, "3")
    _post(store, activity.id, me, "2", "Tuli selvyyttä")
    method = methods.get("emotion_line")
    ctx = methods.Context(store, store.activity(activity.id), participant=me)
    assert len(store.notes(activity.id)) == 3  # nothing lost
    assert method.count(ctx) == 2
    bars = next(b for b in method.live_view(ctx) if isinstance(b, methods.Bars))
    assert [n for _, n in bars.rows] == [0, 1, 1, 0, 0]
    assert bars.marker == ""  # 2.5: between two steps, no one step to point at
    # The phone shows where it stands now, chosen already, with its reason to edit.
    form = _form(method.participant_view(ctx))
    assert form.values == {"position": "2", "reason": "Tuli selvyyttä", "round": "1"}
    assert form.title == "Paikkasi nyt: mietityttää"


def test_live_view_lists_reasons_by_position_and_the_median(store, line):
    event, activity = line
    for n, (position, reason) in enumerate(
        [("2", "Resurssit"), ("2", ""), ("3", "Odotan ohjeita"), ("dont_know", "Liian aikaista")]
    ):
        _post(store, activity.id, store.join(event.id, f"p{n}"), position, reason)
    blocks = methods.get("emotion_line").live_view(
        methods.Context(store, store.activity(activity.id)))
    bars = next(b for b in blocks if isinstance(b, methods.Bars))
    assert bars.marker == "mietityttää"
    assert methods.Text("Janalla 3 · en osaa sanoa 1 · mediaani: mietityttää · keskiarvo: 2,3"
                        ) in blocks
    headings = [(b.text, b.count) for b in blocks if isinstance(b, methods.Heading)]
    assert headings == [("mietityttää", 1), ("neutraali", 1), ("En osaa sanoa", 1)]
    assert not any(b.text == "Muutos kierrosten välillä" for b in blocks
                   if isinstance(b, methods.Heading))  # one round: nothing to compare


# -- rounds ---------------------------------------------------------------------------------------


def _act(store, activity_id, action):
    ctx = methods.Context(store, store.activity(activity_id))
    return methods.get("emotion_line").act(ctx, action, methods.Posted())


def test_next_round_moves_on_and_refuses_past_the_last(store, line):
    _, activity = line
    method = methods.get("emotion_line")
    ctx = methods.Context(store, activity)
    assert [a.id for a in method.actions(ctx)] == ["next_round"]
    assert _act(store, activity.id, "next_round") == "Kierros nyt: loppukierros"
    assert store.activity(activity.id).round == 2
    ctx = methods.Context(store, store.activity(activity.id))
    assert [a.id for a in method.actions(ctx)] == ["previous_round"]
    with pytest.raises(methods.InvalidInput) as caught:
        _act(store, activity.id, "next_round")
    assert caught.value.key == "emotion_line.error.last_round"
    assert methods.Context(store, activity).t(caught.value.key, **caught.value.params) == (
        "Tämä on jo viimeinen kierros (loppukierros).")
    assert store.activity(activity.id).round == 2
    assert _act(store, activity.id, "previous_round") == "Kierros nyt: alkukierros"
    with pytest.raises(methods.InvalidInput, match="first_round"):
        _act(store, activity.id, "previous_round")


def test_a_new_round_starts_with_no_position_chosen(store, line):
    event, activity = line
    me = store.join(event.id, "puhelin")
    _post(store, activity.id, me, "1", "Huoli")
    _act(store, activity.id, "next_round")
    ctx = methods.Context(store, store.activity(activity.id), participant=me)
    view = methods.get("emotion_line").participant_view(ctx)
    assert view[0] == methods.Text("Kierros 2/2: loppukierros", "strong")
    assert _form(view).values == {"round": "2"} and _form(view).submit == "Lähetä"
    assert _post(store, activity.id, me, "4").round == 2


def test_the_shift_table_appears_from_the_second_round(store, line):
    event, activity = line
    people = [store.join(event.id, f"p{n}") for n in range(4)]
    for who, position in zip(people, ["1", "2", "3", "dont_know"], strict=True):
        _post(store, activity.id, who, position)
    _act(store, activity.id, "next_round")
    for who, position in zip(people, ["3", "2", "2", "5"], strict=True):
        _post(store, activity.id, who, position)
    blocks = methods.get("emotion_line").live_view(
        methods.Context(store, store.activity(activity.id)))
    stats, moves = [b for b in blocks if isinstance(b, methods.Table)]
    assert stats.rows == (("alkukierros", "3", "mietityttää", "2,0"),
                          ("loppukierros", "4", "mietityttää- ja neutraali-kohdan välissä",
                           "3,0"))
    assert moves.headers[1:] == ("Vastasi molemmilla kierroksilla", "Siirtyi huolestuneemmaksi",
                                 "Pysyi paikallaan", "Siirtyi innostuneemmaksi")
    assert moves.rows == (("alkukierros → loppukierros", "3", "1", "1", "1"),)


def test_a_hidden_position_does_not_count_nor_brings_back_the_earlier_one(store, line):
    event, activity = line
    me, other = store.join(event.id, "a"), store.join(event.id, "b")
    _post(store, activity.id, me, "1", "Ensimmäinen")
    rude = _post(store, activity.id, me, "5", "Asiaton perustelu")
    _post(store, activity.id, other, "3")
    hide(store, rude.id)
    method = methods.get("emotion_line")
    console = methods.Context(store, store.activity(activity.id))
    assert method.count(console) == 1
    bars = next(b for b in method.live_view(console) if isinstance(b, methods.Bars))
    assert [n for _, n in bars.rows] == [0, 0, 1, 0, 0]
    # The console still lists it, struck through, so it can be let back in.
    items = [i for b in method.live_view(console) if isinstance(b, methods.Items)
             for i in b.items]
    assert [(i.text, i.hidden) for i in items] == [("Asiaton perustelu", True)]
    assert "Asiaton" not in memo_section(store, activity)
    assert "Ensimmäinen" not in memo_section(store, activity)


def test_closed_it_shows_phones_nothing(store, line):
    event, activity = line
    store.set_activity_state(event.id, activity.id, "closed")
    ctx = methods.Context(store, store.activity(activity.id))
    assert methods.get("emotion_line").participant_view(ctx) == []


# -- the memo ------------------------------------------------------------------------------------


def test_memo_section(store, line):
    event, activity = line
    opening = [("1", "Huoli omasta jaksamisesta"), ("2", "Resurssit eivät riitä"),
               ("2", ""), ("3", "Odotan tarkempia ohjeita"), ("4", "Uusia mahdollisuuksia"),
               ("dont_know", "Liian aikaista sanoa"), ("2", "Aikataulu on *tiukka*")]
    people = [store.join(event.id, f"p{n}") for n in range(len(opening))]
    for who, (position, reason) in zip(people, opening, strict=True):
        _post(store, activity.id, who, position, reason)
    hidden = _post(store, activity.id, store.join(event.id, "x"), "5", "Asiaton")
    hide(store, hidden.id)
    _act(store, activity.id, "next_round")
    closing = [("2", "Yhä huolettaa"), ("3", ""), ("3", "Työpaja selkeytti"),
               ("5", "Yhteinen suunta löytyi"), ("4", ""), ("4", "")]
    for who, (position, reason) in zip(people, closing, strict=False):
        _post(store, activity.id, who, position, reason)
    check_golden("emotion_line.md", memo_section(store, activity))


def test_memo_section_is_empty_without_positions(store, line):
    _, activity = line
    assert memo_section(store, activity) == "\n"
