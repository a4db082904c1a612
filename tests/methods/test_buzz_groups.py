"""Porinaryhmät: groups and their key points (at most `points` each), the time box, the
facilitator's merges (the generic moderation, as buzz groups mean it), the console board
and the memo section."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from facilitator import methods, templates
from facilitator.methods import (
    Countdown,
    Form,
    Heading,
    InvalidInput,
    Items,
    Posted,
    Text,
    moderation,
)
from facilitator.methods.buzz_groups import METHOD
from facilitator.methods.groups import GROUP_FORM
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

TEMPLATE = """
[event]
title = "Testi"
[[parts]]
title = "Pohjustus"
[[parts.activities]]
method = "buzz_groups"
title = "Porinaryhmät"
prompt = "Mitä yhteisöllisyys tarkoittaa teidän oppilaitoksessanne?"
"""


def load(tmp_path, config: str = ""):
    path = tmp_path / "pori.toml"
    section = "[parts.activities.config]\n" + config if config else ""
    path.write_text(TEMPLATE + section, encoding="utf-8")
    return templates.load(path)


def made(store, tmp_path, config: str = ""):
    event = store.create_event(load(tmp_path, config))
    activity = activity_of(store, event, "buzz_groups")
    return event, store.set_activity_state(event.id, activity.id, "open")


def ctx_for(store, activity, participant=None, **kw) -> methods.Context:
    return methods.Context(store, store.activity(activity.id), participant=participant, **kw)


def member(store, event, activity, name: str, group_name: str):
    """A phone that joined `group_name` through the group form."""
    who = store.join(event.id, f"token-{name}")
    group = next(g for g in store.groups(activity.id) if g.name == group_name)
    METHOD.submit(ctx_for(store, activity, who), GROUP_FORM, Posted({"group": str(group.id)}))
    return who


def send(store, activity, who, text: str, **more):
    posted = Posted({"text": text, **more})
    return METHOD.submit(ctx_for(store, activity, who), "point", posted).note


def merge(store, activity, point, same_as):
    """The facilitator marks `point` the same as `same_as` (the generic merge)."""
    return moderation.merge(store, activity.event_id, same_as.id, [point.id])


def forms(view) -> dict[str, Form]:
    return {part.name: part for part in view if isinstance(part, Form)}


# -- configuration --------------------------------------------------------------------------


def test_seminar_two_has_eight_numbered_groups_of_two_points_and_ten_minutes(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    assert activity.config == {"minutes": 10, "groups": 8, "points": 2}
    assert [g.name for g in store.groups(activity.id)] == [f"Ryhmä {n}" for n in range(1, 9)]


def test_group_names_make_the_groups(store, tmp_path):
    _, activity = made(store, tmp_path, 'group_names = ["Ikkunapöytä", "Ovipöytä"]\n')
    assert [g.name for g in store.groups(activity.id)] == ["Ikkunapöytä", "Ovipöytä"]


@pytest.mark.parametrize(
    "config, key, reason",
    [
        ("groups = 0\n", "groups", "must be between 1 and 50, not 0"),
        ("groups = 51\n", "groups", "must be between 1 and 50, not 51"),
        ('minutes = "10"\n', "minutes", "must be a whole number"),
        ("minutes = 241\n", "minutes", "must be between 1 and 240"),
        ("points = 0\n", "points", "must be between 1 and 10, not 0"),
        ('group_names = ["A", "A "]\n', "group_names", "has the same text twice"),
        ('group_names = []\n', "group_names", "must have 1–50 items, not 0"),
        (f'group_names = ["{"x" * 201}"]\n', "group_names", "at most 200 characters"),
        ('groups = 3\ngroup_names = ["A"]\n', "group_names", "either groups or group_names"),
        ("rounds = 2\n", "rounds", "unknown key for buzz_groups"),
    ],
)
def test_broken_config_names_file_field_and_reason(tmp_path, config, key, reason):
    with pytest.raises(TemplateError) as caught:
        load(tmp_path, config)
    error = caught.value
    assert error.file == str(tmp_path / "pori.toml")
    assert error.field == f"parts[0].activities[0].config.{key}"
    assert reason in error.reason


# -- the phone --------------------------------------------------------------------------------


def test_a_phone_without_a_group_is_asked_to_choose_one(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    activity = store.set_activity_state(seminar.id, activity.id, "open")
    who = store.join(seminar.id, "token-a")
    [form] = METHOD.participant_view(ctx_for(store, activity, who))
    assert form.name == GROUP_FORM
    assert form.fields[0].choice_labels == tuple(f"Ryhmä {n}" for n in range(1, 9))
    with pytest.raises(InvalidInput) as refused:
        send(store, activity, who, "Yhteinen kahvihuone")
    assert refused.value.key == "methods.error.choose_group"
    assert store.notes(activity.id) == []


def test_in_a_group_the_phone_shows_the_clock_the_points_and_a_form(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    activity = store.set_activity_state(seminar.id, activity.id, "open")
    who = member(store, seminar, activity, "a", "Ryhmä 2")
    view = METHOD.participant_view(ctx_for(store, activity, who))
    assert view[0] == Text("Valittu ryhmä: Ryhmä 2", "strong")
    started = datetime.fromisoformat(activity.round_started_at)
    assert view[1] == Countdown((started + timedelta(minutes=10)).isoformat(), "Aikaa jäljellä")
    assert Text("Kirjoittakaa ryhmänne 2 tärkeintä kohtaa, yksi kerrallaan.") in view
    point = forms(view)["point"]
    assert [f.name for f in point.fields] == ["text"] and point.fields[0].label == "Kohta 1/2"
    assert forms(view)[GROUP_FORM].title == "Vaihda ryhmää"

    note = send(store, activity, who, "  Yhteinen  kahvihuone ")
    assert (note.kind, note.group_id, note.heading, note.participant_id, note.text) == (
        "point", store.member_group(activity.id, who.id).id, "Ryhmä 2", who.id,
        "Yhteinen  kahvihuone")
    view = METHOD.participant_view(ctx_for(store, activity, who))
    assert Heading("Ryhmänne kohdat (1/2)") in view
    assert forms(view)["point"].fields[0].label == "Kohta 2/2"


def test_a_group_sends_at_most_its_points_then_may_swap_one(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    activity = store.set_activity_state(seminar.id, activity.id, "open")
    a = member(store, seminar, activity, "a", "Ryhmä 1")
    b = member(store, seminar, activity, "b", "Ryhmä 1")
    other = member(store, seminar, activity, "c", "Ryhmä 3")
    first = send(store, activity, a, "Yhteinen kahvihuone")
    send(store, activity, b, "Oppilaskunta mukaan päätöksiin")
    send(store, activity, other, "Toisen ryhmän kohta")

    with pytest.raises(InvalidInput) as refused:
        send(store, activity, a, "Kolmas kohta")
    assert (refused.value.key, refused.value.status, refused.value.params) == (
        "buzz_groups.error.full", 409, {"limit": 2})
    assert [n.text for n in store.notes(activity.id)] == [
        "Yhteinen kahvihuone", "Oppilaskunta mukaan päätöksiin", "Toisen ryhmän kohta"]

    view = METHOD.participant_view(ctx_for(store, activity, b))
    assert Text("Ryhmänne kohdat ovat koossa. Kiitos!", "strong") in view
    swap = forms(view)["point"]  # the same form name: a refused point comes back in it
    assert swap.fields[0].choices == tuple(str(n.id) for n in store.notes(activity.id)[:2])

    # Another member's point: the page says "saved" rather than showing it back.
    assert send(store, activity, b, "Kolmas kohta", replace=str(first.id)) is None
    swapped = store.note(first.id)
    assert swapped.text == "Kolmas kohta"
    assert swapped.data == {"earlier": ["Yhteinen kahvihuone"]}
    assert len(store.notes(activity.id)) == 3

    theirs = store.notes(activity.id)[2]
    with pytest.raises(InvalidInput) as refused:
        send(store, activity, b, "Vieras", replace=str(theirs.id))
    assert refused.value.key == "buzz_groups.error.choose_replaced"
    assert store.note(theirs.id).text == "Toisen ryhmän kohta"


def test_a_hidden_point_makes_room_for_another(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    activity = store.set_activity_state(seminar.id, activity.id, "open")
    a = member(store, seminar, activity, "a", "Ryhmä 1")
    rude = send(store, activity, a, "Asiaton")
    send(store, activity, a, "Asiallinen")
    hide(store, rude.id)
    assert send(store, activity, a, "Korvaava").text == "Korvaava"


def test_a_point_stays_with_the_group_it_was_sent_for(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    activity = store.set_activity_state(seminar.id, activity.id, "open")
    a = member(store, seminar, activity, "a", "Ryhmä 1")
    note = send(store, activity, a, "Ykkösten kohta")
    ryhma4 = store.groups(activity.id)[3]
    METHOD.submit(ctx_for(store, activity, a), GROUP_FORM, Posted({"group": str(ryhma4.id)}))
    assert store.note(note.id).group_id == store.groups(activity.id)[0].id
    view = METHOD.participant_view(ctx_for(store, activity, a))
    assert view[0] == Text("Valittu ryhmä: Ryhmä 4", "strong")
    assert not any(isinstance(part, Items) for part in view)


def test_without_groups_in_the_template_the_first_member_names_one(store, tmp_path):
    event, activity = made(store, tmp_path, "minutes = 5\n")
    a, b = store.join(event.id, "token-a"), store.join(event.id, "token-b")
    [form] = METHOD.participant_view(ctx_for(store, activity, a))
    assert [f.name for f in form.fields] == ["name"]
    METHOD.submit(ctx_for(store, activity, a), GROUP_FORM, Posted({"name": "Keittiöpöytä"}))
    # The next phone may join it or name another.
    [form] = METHOD.participant_view(ctx_for(store, activity, b))
    assert [f.name for f in form.fields] == ["group", "name"]
    METHOD.submit(ctx_for(store, activity, b), GROUP_FORM, Posted({"name": " keittiöpöytä "}))
    assert store.member_group(activity.id, b.id).name == "Keittiöpöytä"


def test_one_point_a_group_is_asked_in_the_singular(store, tmp_path):
    event, activity = made(store, tmp_path, "groups = 2\npoints = 1\n")
    a = member(store, event, activity, "a", "Ryhmä 1")
    view = METHOD.participant_view(ctx_for(store, activity, a))
    assert Text("Kirjoittakaa ryhmänne tärkein kohta.") in view
    assert not any(isinstance(part, Countdown) for part in view)  # no time box set


def test_a_closed_activity_shows_phones_nothing(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    store.set_activity_state(seminar.id, activity.id, "open")
    a = member(store, seminar, activity, "a", "Ryhmä 1")
    store.set_activity_state(seminar.id, activity.id, "closed")
    assert METHOD.participant_view(ctx_for(store, activity, a)) == []


# -- the facilitator ------------------------------------------------------------------------


@pytest.fixture
def room(store, seminar):
    """Three groups' points: 1 and 3 both raise a coffee room, 2 and 3 the student union.
    Each point is keyed by its first word and its group's number ("Tutorit1")."""
    activity = store.set_activity_state(
        seminar.id, activity_of(store, seminar, "buzz_groups").id, "open")
    texts = {"Ryhmä 1": ["Yhteinen kahvihuone opettajille ja huoltajille", "Tutorit"],
             "Ryhmä 2": ["Oppilaskunta mukaan", "Yhteiset aamunavaukset"],
             "Ryhmä 3": ["Kahvihuone kaikille", "Oppilaskunta päättämään"]}
    notes = {}
    for group, points in texts.items():
        who = member(store, seminar, activity, group, group)
        for text in points:
            notes[text.split()[0] + group[-1]] = send(store, activity, who, text)
    return activity, notes


def test_merging_is_left_to_the_generic_moderation(store, room):
    activity, _ = room
    assert [a.id for a in METHOD.actions(ctx_for(store, activity))] == ["restart_timer"]
    for action in ("merge", "unmerge"):
        with pytest.raises(InvalidInput) as refused:
            METHOD.act(ctx_for(store, activity), action, Posted())
        assert refused.value.key == "methods.error.unknown_action"


def test_points_of_other_groups_make_one_item_of_several_groups(store, room):
    activity, notes = room
    step = merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    assert step.step == "merge"
    assert store.note(notes["Kahvihuone3"].id).ref_id == notes["Yhteinen1"].id
    assert store.note(notes["Kahvihuone3"].id).merged_into is None  # still group 3's point
    # A cluster joins another whole, under the point it was marked the same as.
    merge(store, activity, notes["Yhteinen1"], notes["Yhteiset2"])
    refs = {key: store.note(n.id).ref_id for key, n in notes.items()}
    root = notes["Yhteiset2"].id
    assert refs == {"Yhteinen1": root, "Tutorit1": None, "Oppilaskunta2": None,
                    "Yhteiset2": None, "Kahvihuone3": root, "Oppilaskunta3": None}
    assert not any(store.note(n.id).merged_into for n in notes.values())


def test_a_point_of_a_group_already_in_the_item_folds_under_that_groups_point(store, room):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    # Group 1 again: a duplicate of its own point, not a second group raising it.
    merge(store, activity, notes["Tutorit1"], notes["Yhteinen1"])
    assert store.note(notes["Tutorit1"].id).merged_into == notes["Yhteinen1"].id
    # Group 3 is in the item through Kahvihuone3: its other point folds under that one.
    merge(store, activity, notes["Oppilaskunta3"], notes["Yhteinen1"])
    folded = store.note(notes["Oppilaskunta3"].id)
    assert folded.merged_into == notes["Kahvihuone3"].id and folded.ref_id is None
    memo = memo_section(store, activity)
    assert "Tutorit" not in memo and "Oppilaskunta päättämään" not in memo
    # The folded point frees its group's place on the phone and in the count.
    group3 = store.join(activity.event_id, "token-Ryhmä 3")
    assert send(store, activity, group3, "Kolmas asia") is not None


@pytest.mark.parametrize(
    "point, same_as, key",
    [
        ("Tutorit1", "Tutorit1", "moderation.error.merge_two"),
        ("Kahvihuone3", "Yhteinen1", "moderation.error.already_merged"),
        ("Yhteinen1", "Kahvihuone3", "moderation.error.already_merged"),
    ],
)
def test_what_cannot_be_merged_is_refused(store, room, point, same_as, key):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    before = store.notes(activity.id)
    steps = store.moderation_steps(activity.event_id)
    with pytest.raises(InvalidInput) as refused:
        merge(store, activity, notes[point], notes[same_as])
    assert refused.value.key == key
    assert store.notes(activity.id) == before
    assert store.moderation_steps(activity.event_id) == steps


def test_merge_refuses_points_not_of_this_event(store, room):
    activity, notes = room
    with pytest.raises(InvalidInput) as refused:
        moderation.merge(store, activity.event_id, notes["Tutorit1"].id, [999])
    assert refused.value.key == "moderation.error.unknown_note"
    assert refused.value.params == {"id": 999}
    assert store.note(notes["Tutorit1"].id).ref_id is None


def test_taking_the_first_point_apart_keeps_the_others_together(store, room):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    merge(store, activity, notes["Oppilaskunta2"], notes["Yhteinen1"])
    step = moderation.unmerge(store, activity.event_id, [notes["Yhteinen1"].id])
    assert step.step == "unmerge"
    assert store.note(notes["Yhteinen1"].id).ref_id is None
    assert store.note(notes["Oppilaskunta2"].id).ref_id is None  # raised first: the root
    assert store.note(notes["Kahvihuone3"].id).ref_id == notes["Oppilaskunta2"].id
    with pytest.raises(InvalidInput) as refused:
        moderation.unmerge(store, activity.event_id, [notes["Tutorit1"].id])
    assert refused.value.key == "moderation.error.not_merged"
    moderation.undo(store, activity.event_id)  # the item is whole again
    assert store.note(notes["Kahvihuone3"].id).ref_id == notes["Yhteinen1"].id
    assert store.note(notes["Oppilaskunta2"].id).ref_id == notes["Yhteinen1"].id


def test_unmerging_a_folded_point_lets_it_stand_alone(store, room):
    activity, notes = room
    merge(store, activity, notes["Tutorit1"], notes["Yhteinen1"])
    moderation.unmerge(store, activity.event_id, [notes["Tutorit1"].id])
    assert store.note(notes["Tutorit1"].id).merged_into is None
    assert "Tutorit" in memo_section(store, activity)


def test_swapping_a_marked_point_takes_it_out_of_the_item(store, room):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    group1 = store.join(activity.event_id, "token-Ryhmä 1")
    send(store, activity, group1, "Jotain muuta", replace=str(notes["Yhteinen1"].id))
    assert store.note(notes["Kahvihuone3"].id).ref_id is None
    with pytest.raises(InvalidInput) as refused:
        moderation.unmerge(store, activity.event_id, [notes["Kahvihuone3"].id])
    assert refused.value.key == "moderation.error.not_merged"


def test_restart_timer_starts_the_clock_again(store, room):
    activity, _ = room
    store.db.execute("UPDATE activities SET round_started_at = ? WHERE id = ?",
                     ["2020-01-01T09:00:00+00:00", activity.id])
    [clock] = [b for b in METHOD.live_view(ctx_for(store, activity)) if isinstance(b, Countdown)]
    assert clock.deadline == "2020-01-01T09:10:00+00:00"
    done = METHOD.act(ctx_for(store, activity), "restart_timer", Posted())
    assert done == "Aika alkoi alusta: 10 min."
    restarted = store.activity(activity.id)
    assert restarted.round == 1 and restarted.round_started_at > "2020-01-01T09:00:00+00:00"


def test_no_timer_before_opening_or_after_closing(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    assert METHOD.actions(ctx_for(store, activity)) == []
    assert not any(isinstance(b, Countdown) for b in METHOD.live_view(ctx_for(store, activity)))
    with pytest.raises(InvalidInput) as refused:
        METHOD.act(ctx_for(store, activity), "restart_timer", Posted())
    assert refused.value.key == "buzz_groups.error.no_timer"
    assert store.activity(activity.id).round_started_at == ""


def test_the_board_shows_each_group_its_count_and_the_shared_items(store, room):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    hide(store, notes["Tutorit1"].id)
    blocks = METHOD.live_view(ctx_for(store, activity))
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings[:4] == ["Ryhmä 1 · kohtia 1/2 · 1 jäsen",
                            "Ryhmä 2 · kohtia 2/2 · 1 jäsen",
                            "Ryhmä 3 · kohtia 2/2 · 1 jäsen",
                            "Ryhmä 4 · kohtia 0/2 · 0 jäsentä"]
    assert headings[-1] == "Usean ryhmän esiin nostamat"
    first = blocks[headings.index("Ryhmä 1 · kohtia 1/2 · 1 jäsen") + 2]  # after the clock
    assert [(i.text, i.meta, i.hidden) for i in first.items] == [
        ("Yhteinen kahvihuone opettajille ja huoltajille", "Sama asia myös ryhmällä 3", False),
        ("Tutorit", "", True)]
    shared = blocks[-1]
    assert [(i.text, i.meta) for i in shared.items] == [
        ("Yhteinen kahvihuone opettajille ja huoltajille", "Ryhmä 1, Ryhmä 3")]
    assert METHOD.count(ctx_for(store, activity)) == 6


def test_memo_section(store, room):
    activity, notes = room
    merge(store, activity, notes["Kahvihuone3"], notes["Yhteinen1"])
    merge(store, activity, notes["Oppilaskunta3"], notes["Oppilaskunta2"])
    hide(store, notes["Tutorit1"].id)  # moderated: not in the memo
    check_golden("buzz_groups.md", memo_section(store, activity))


def test_a_hidden_point_raises_nothing_with_the_others(store, room):
    activity, notes = room
    merge(store, activity, notes["Oppilaskunta3"], notes["Oppilaskunta2"])
    hide(store, notes["Oppilaskunta2"].id)
    assert "Usean ryhmän" not in memo_section(store, activity)
    merge(store, activity, notes["Yhteiset2"], notes["Oppilaskunta3"])
    # The item stands on its point raised first that is still shown.
    assert memo_section(store, activity).endswith(
        "#### Usean ryhmän esiin nostamat\n\n- *Ryhmä 2, Ryhmä 3:* Yhteiset aamunavaukset\n")


def test_memo_of_an_activity_without_points_is_empty(store, seminar):
    assert memo_section(store, activity_of(store, seminar, "buzz_groups")) == "\n"


def test_pre_moderated_points_of_a_group_mate_hold_their_places(store, seminar):
    """A group mate's points waiting for approval are unseen on another member's phone,
    but they take the places: no form that would only be refused, and a line says why."""
    activity = activity_of(store, seminar, "buzz_groups")
    store.set_activity_state(seminar.id, activity.id, "open")
    store.set_premoderated(activity.id, True)
    activity = store.activity(activity.id)
    first = member(store, seminar, activity, "first", "Ryhmä 3")
    send(store, activity, first, "Kummioppilaat")
    send(store, activity, first, "Yhteiset välitunnit")
    second = member(store, seminar, activity, "second", "Ryhmä 3")
    view = METHOD.participant_view(ctx_for(store, activity, second))
    texts = [b.text for b in view if isinstance(b, methods.Text)]
    assert any("odottaa fasilitaattorin hyväksyntää: 2" in text for text in texts)
    assert not [f for f in view if isinstance(f, methods.Form) and f.name == "point"]
    with pytest.raises(methods.InvalidInput) as refused:
        send(store, activity, second, "Kolmas")
    assert refused.value.key == "buzz_groups.error.full"
