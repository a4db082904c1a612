"""The facilitator's moderation over a real database: each step, what it means to the
methods that count or link notes, undo, and refusals that change nothing."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.methods import InvalidInput, Items, Posted, moderation
from tests.methods.conftest import activity_of, memo_section


@pytest.fixture
def demo(store):
    """The demo event with its first activity (an open question) open."""
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.set_activity_state(event.id, store.activities(event.id)[0].id, "open")
    return event, activity


def notes_of(store, activity) -> list:
    return store.notes(activity.id)


def phone_texts(store, activity, participant=None) -> list[str]:
    """What the phone of `participant` (or another phone) reads of the activity."""
    other = participant or store.join(activity.event_id, "lukija-" + "x" * 30)
    ctx = methods.Context(store, store.activity(activity.id), participant=other)
    return [n.text for n in ctx.notes()]


def memo_texts(store, activity) -> list[str]:
    ctx = methods.Context(store, store.activity(activity.id), audience="memo")
    return [n.text for n in ctx.notes()]


# -- hide, approve, edit, star --------------------------------------------------------------


def test_hide_and_unhide(store, demo):
    event, activity = demo
    a = store.add_note(activity.id, "asiaton")
    b = store.add_note(activity.id, "asiallinen")
    step = moderation.hide(store, event.id, [a.id])
    assert (step.step, step.note_ids) == ("hide", (a.id,))
    assert store.note(a.id).hidden and not store.note(b.id).hidden
    assert phone_texts(store, activity) == ["asiallinen"] == memo_texts(store, activity)
    console = methods.Context(store, activity, audience="console")
    assert [n.text for n in console.notes()] == ["asiaton", "asiallinen"]  # struck there
    assert [n.text for n in console.counted()] == ["asiallinen"]
    moderation.hide(store, event.id, [a.id], hidden=False)
    assert not store.note(a.id).hidden
    assert [s.step for s in store.moderation_steps(event.id)] == ["hide", "unhide"]


def test_approve_lets_a_waiting_note_through(store, demo):
    event, activity = demo
    store.set_premoderated(activity.id, True)
    author = store.join(event.id, "kirjoittaja-" + "x" * 30)
    ctx = methods.Context(store, store.activity(activity.id), participant=author)
    note = methods.get(activity.method).submit(ctx, "note", Posted({"text": "odottaa"})).note
    assert store.note(note.id).pending
    assert phone_texts(store, activity) == [] and memo_texts(store, activity) == []
    assert phone_texts(store, activity, author) == ["odottaa"]  # its author sees it waiting
    assert store.pending_count(activity.id) == 1
    moderation.approve(store, event.id, [note.id])
    assert not store.note(note.id).pending
    assert phone_texts(store, activity) == ["odottaa"] == memo_texts(store, activity)
    with pytest.raises(InvalidInput) as refused:
        moderation.approve(store, event.id, [note.id])
    assert refused.value.key == "moderation.error.not_pending"


def test_edit_keeps_the_original_and_editing_back_forgets_it(store, demo):
    event, activity = demo
    note = store.add_note(activity.id, "Yhteistyö toimi huonsoti")
    moderation.edit(store, event.id, note.id, "  Yhteistyö toimi huonosti ")
    edited = store.note(note.id)
    assert (edited.text, edited.original) == ("Yhteistyö toimi huonosti",
                                              "Yhteistyö toimi huonsoti")
    assert edited.edited and memo_texts(store, activity) == ["Yhteistyö toimi huonosti"]
    moderation.edit(store, event.id, note.id, "Yhteistyö toimi hyvin")  # a second edit
    assert store.note(note.id).original == "Yhteistyö toimi huonsoti"  # as sent, still
    moderation.edit(store, event.id, note.id, "Yhteistyö toimi huonsoti")
    back = store.note(note.id)
    assert (back.text, back.original, back.edited) == ("Yhteistyö toimi huonsoti", None, False)
    for text, key in (("   ", "methods.error.empty_note"),
                      ("x" * (methods.MAX_NOTE_CHARS + 1), "methods.error.note_too_long")):
        with pytest.raises(InvalidInput) as refused:
            moderation.edit(store, event.id, note.id, text)
        assert refused.value.key == key
    assert store.note(note.id) == back


def test_star_toggles(store, demo):
    event, activity = demo
    a, b = (store.add_note(activity.id, t) for t in ("yksi", "kaksi"))
    assert moderation.star(store, event.id, [a.id]).step == "star"
    assert store.note(a.id).starred
    # Mixed: star them all; all starred: unstar them all.
    assert moderation.star(store, event.id, [a.id, b.id]).step == "star"
    assert store.note(a.id).starred and store.note(b.id).starred
    assert moderation.star(store, event.id, [a.id, b.id]).step == "unstar"
    assert not store.note(a.id).starred and not store.note(b.id).starred
    moderation.star(store, event.id, [b.id], starred=True)
    assert store.note(b.id).starred and not store.note(a.id).starred


# -- merge and unmerge ----------------------------------------------------------------------


def test_merge_folds_duplicates_under_the_one_that_stays(store, demo):
    event, activity = demo
    keep, dup, dup2, other = (store.add_note(activity.id, t) for t in
                              ("Kahvihuone", "kahvihuone!", "Kahvi", "Tutorit"))
    moderation.merge(store, event.id, dup.id, [dup2.id])  # one already holds another
    moderation.merge(store, event.id, keep.id, [dup.id])
    assert store.note(dup.id).merged_into == keep.id
    assert store.note(dup2.id).merged_into == keep.id  # what was folded under it follows
    assert store.merged_counts([keep.id]) == {keep.id: 2}
    assert phone_texts(store, activity) == ["Kahvihuone", "Tutorit"]
    assert memo_texts(store, activity) == ["Kahvihuone", "Tutorit"]
    ctx = methods.Context(store, activity, audience="console")
    assert len(ctx.counted()) == 4  # a folded duplicate still counts
    # Merging into a folded note merges into its keeper.
    moderation.merge(store, event.id, dup.id, [other.id])
    assert store.note(other.id).merged_into == keep.id
    assert store.note(keep.id).merged_into is None


def test_merge_refuses_one_note_and_notes_of_two_activities(store, demo):
    event, activity = demo
    second = store.activities(event.id)[1]
    a = store.add_note(activity.id, "yksi")
    b = store.add_note(second.id, "toinen", heading=second.headings[0])
    for keep, others, key in ((a.id, [a.id], "moderation.error.merge_two"),
                              (a.id, [], "moderation.error.merge_two"),
                              (a.id, [b.id], "moderation.error.merge_activity")):
        with pytest.raises(InvalidInput) as refused:
            moderation.merge(store, event.id, keep, others)
        assert refused.value.key == key
    assert store.note(b.id).merged_into is None and store.moderation_steps(event.id) == []


def test_unmerge(store, demo):
    event, activity = demo
    keep, a, b = (store.add_note(activity.id, t) for t in ("pää", "kopio 1", "kopio 2"))
    moderation.merge(store, event.id, keep.id, [a.id, b.id])
    moderation.unmerge(store, event.id, [a.id])  # a folded one stands alone
    assert store.note(a.id).merged_into is None and store.note(b.id).merged_into == keep.id
    moderation.unmerge(store, event.id, [keep.id])  # a keeper lets all its folded go
    assert store.note(b.id).merged_into is None
    with pytest.raises(InvalidInput) as refused:
        moderation.unmerge(store, event.id, [keep.id])
    assert refused.value.key == "moderation.error.not_merged"


def test_buzz_groups_merge_across_groups_is_one_item_within_a_group_a_fold(store, seminar):
    activity = activity_of(store, seminar, "buzz_groups")
    store.set_activity_state(seminar.id, activity.id, "open")
    groups = store.groups(activity.id)
    points = {}
    for group, texts in ((groups[0], ("Kahvihuone", "Kahvitila")), (groups[1], ("Kahvio",))):
        who = store.join(seminar.id, f"token-{group.id}-" + "x" * 30)
        store.set_member(activity.id, who.id, group.id)
        ctx = methods.Context(store, store.activity(activity.id), participant=who)
        for text in texts:
            points[text] = methods.get("buzz_groups").submit(
                ctx, "point", Posted({"text": text})).note
    moderation.merge(store, seminar.id, points["Kahvihuone"].id, [points["Kahvio"].id])
    kahvio = store.note(points["Kahvio"].id)
    assert kahvio.ref_id == points["Kahvihuone"].id and kahvio.merged_into is None
    moderation.merge(store, seminar.id, points["Kahvihuone"].id, [points["Kahvitila"].id])
    kahvitila = store.note(points["Kahvitila"].id)
    assert kahvitila.merged_into == points["Kahvihuone"].id and kahvitila.ref_id is None
    memo = memo_section(store, activity)
    assert "Kahvitila" not in memo and "Usean ryhmän esiin nostamat" in memo


def test_open_space_a_merged_topic_frees_its_cell_and_its_marks_count_for_the_survivor(
        store, seminar):
    from tests.methods.test_open_space import join, phone, place, propose

    activity = activity_of(store, seminar, "open_space")
    store.set_activity_state(seminar.id, activity.id, "open")
    activity = store.activity(activity.id)
    maija, pekka, liisa = (phone(store, activity, n) for n in (1, 2, 3))
    survivor, duplicate = propose(maija, "Välitunnit"), propose(pekka, "Välituntien ilo")
    place(maija, survivor, 0, 0)
    place(pekka, duplicate, 0, 1)
    join(liisa, duplicate)
    space = methods.get("open_space")
    console = methods.Context(store, activity, audience="console")
    cell = next(f for f in space.actions(console) if f.id == "place").fields[1]
    assert "0.1" not in cell.choices  # held by the duplicate
    moderation.merge(store, seminar.id, survivor.id, [duplicate.id])
    console = methods.Context(store, store.activity(activity.id), audience="console")
    cell = next(f for f in space.actions(console) if f.id == "place").fields[1]
    assert "0.1" in cell.choices and "0.0" not in cell.choices
    assert space._attendance(console)[str(survivor.id)] == 1  # liisa's mark follows it
    assert "Välituntien ilo" not in memo_section(store, activity)


def test_discussion_comments_on_a_merged_answer_show_under_the_survivor(store, online):
    from tests.methods.test_discussion import Room

    activity = activity_of(store, online, "discussion")
    store.set_activity_state(online.id, activity.id, "open")
    room = Room(store, online, store.activity(activity.id))
    a, b, c = room.phone("Tiimi A"), room.phone("Tiimi B"), room.phone("Tiimi C")
    kept = room.post(a, "answer-1", text="Yhteinen suunnitelma")
    room.post(b, "answer-1", text="B:n vastaus")
    duplicate = room.post(c, "answer-1", text="Yhteinen suunnitelma!")
    room.post(b, f"comment-{duplicate.id}", text="Hyvä ajatus")
    moderation.merge(store, online.id, kept.id, [duplicate.id])
    for view in (methods.get("discussion").memo_view(room.ctx(audience="memo")),
                 methods.get("discussion").participant_view(room.ctx(b))):
        threads = [[i.text for i in block.items] for block in methods.resolve(view)
                   if isinstance(block, Items)]
        assert ["Yhteinen suunnitelma", "Hyvä ajatus"] in threads
        assert not any("Yhteinen suunnitelma!" in t for t in threads)


# -- a device's spam, undo ------------------------------------------------------------------


def test_hide_device_hides_all_its_notes_across_the_event_and_undo_brings_them_back(
        store, demo):
    event, activity = demo
    second = store.set_activity_state(event.id, store.activities(event.id)[1].id, "open")
    spammer = store.join(event.id, "roskaa-" + "x" * 30)
    honest = store.join(event.id, "rehti-" + "x" * 30)
    spam = [store.add_note(activity.id, "ostakaa", participant_id=spammer.id),
            store.add_note(second.id, "ostakaa!", heading=second.headings[0],
                           participant_id=spammer.id)]
    kept = store.add_note(activity.id, "asiaa", participant_id=honest.id)
    already = store.add_note(activity.id, "jo piilossa", participant_id=spammer.id)
    moderation.hide(store, event.id, [already.id])
    step = moderation.hide_device(store, event.id, spam[1].id)
    assert step.step == "hide_device" and set(step.note_ids) == {n.id for n in spam}
    assert all(store.note(n.id).hidden for n in spam) and not store.note(kept.id).hidden
    with pytest.raises(InvalidInput) as refused:
        moderation.hide_device(store, event.id, spam[0].id)
    assert refused.value.key == "moderation.error.nothing_to_hide"
    moderation.undo(store, event.id)  # one step: all of them back at once
    assert not any(store.note(n.id).hidden for n in spam)
    assert store.note(already.id).hidden  # hidden by an earlier step: stays hidden
    anonymous = store.add_note(activity.id, "konsolista")
    with pytest.raises(InvalidInput) as refused:
        moderation.hide_device(store, event.id, anonymous.id)
    assert refused.value.key == "moderation.error.no_device"


def _state(store, activity) -> list:
    return [(n.id, n.text, n.hidden, n.pending, n.starred, n.original, n.merged_into,
             n.ref_id) for n in store.notes(activity.id)]


@pytest.mark.parametrize("step", ["hide", "unhide", "approve", "edit", "star", "unstar",
                                  "merge", "unmerge", "hide_device"])
def test_undo_restores_exactly_the_state_before_each_step(store, demo, step):
    event, activity = demo
    who = store.join(event.id, "laite-" + "x" * 30)
    a = store.add_note(activity.id, "yksi", participant_id=who.id, pending=True)
    b = store.add_note(activity.id, "kaksi", participant_id=who.id)
    c = store.add_note(activity.id, "kolme")
    # Some state first, so that undo must put back more than defaults.
    moderation.star(store, event.id, [b.id])
    moderation.hide(store, event.id, [c.id])
    moderation.merge(store, event.id, b.id, [c.id])
    moderation.edit(store, event.id, b.id, "kaksi, korjattu")
    before = _state(store, activity)
    run = {
        "hide": lambda: moderation.hide(store, event.id, [a.id, b.id]),
        "unhide": lambda: moderation.hide(store, event.id, [c.id], hidden=False),
        "approve": lambda: moderation.approve(store, event.id, [a.id]),
        "edit": lambda: moderation.edit(store, event.id, b.id, "taas toisin"),
        "star": lambda: moderation.star(store, event.id, [a.id]),
        "unstar": lambda: moderation.star(store, event.id, [b.id]),
        "merge": lambda: moderation.merge(store, event.id, a.id, [b.id]),
        "unmerge": lambda: moderation.unmerge(store, event.id, [c.id]),
        "hide_device": lambda: moderation.hide_device(store, event.id, a.id),
    }
    assert run[step]().step == step
    assert _state(store, activity) != before
    undone = moderation.undo(store, event.id)
    assert undone.step == step
    assert _state(store, activity) == before
    assert store.moderation_steps(event.id)[-1].undone
    # Undo again reaches the step before (the edit), then the rest, then nothing.
    assert moderation.undo(store, event.id).step == "edit"
    for _ in range(3):
        moderation.undo(store, event.id)
    assert moderation.undo(store, event.id) is None
    assert _state(store, activity)[1][1:] == ("kaksi", False, False, False, None, None, None)


def test_undo_with_nothing_to_undo_is_none(store, demo):
    event, _ = demo
    assert moderation.undo(store, event.id) is None


# -- another event's notes -------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda store, event, n: moderation.hide(store, event, [n]),
    lambda store, event, n: moderation.hide(store, event, [n], hidden=False),
    lambda store, event, n: moderation.approve(store, event, [n]),
    lambda store, event, n: moderation.edit(store, event, n, "korjattu"),
    lambda store, event, n: moderation.star(store, event, [n]),
    lambda store, event, n: moderation.merge(store, event, n, [n + 1]),
    lambda store, event, n: moderation.merge(store, event, n + 1, [n]),
    lambda store, event, n: moderation.unmerge(store, event, [n]),
    moderation.hide_device,
], ids=["hide", "unhide", "approve", "edit", "star", "merge-keep", "merge-other", "unmerge",
        "hide_device"])
def test_every_step_refuses_a_note_of_another_event_and_changes_nothing(store, demo, call):
    event, activity = demo
    other = store.create_event(templates.load(templates.resolve("demo")))
    foreign_activity = store.activities(other.id)[0]
    who = store.join(other.id, "vieras-" + "x" * 30)
    foreign = store.add_note(foreign_activity.id, "vieras", participant_id=who.id,
                             pending=True)
    store.add_note(foreign_activity.id, "vieras 2", participant_id=who.id)
    mine = store.add_note(activity.id, "oma")
    store.db.execute("UPDATE notes SET merged_into = ? WHERE id = ?", [foreign.id + 1,
                                                                        foreign.id])
    before = [*_state(store, foreign_activity), *_state(store, activity)]
    with pytest.raises(InvalidInput) as refused:
        call(store, event.id, foreign.id)
    assert refused.value.key == "moderation.error.unknown_note"
    assert [*_state(store, foreign_activity), *_state(store, activity)] == before
    assert store.moderation_steps(event.id) == [] == store.moderation_steps(other.id)
    assert mine.id not in (foreign.id, foreign.id + 1)


def test_merging_what_is_already_merged_logs_no_step(store, demo):
    event, activity = demo
    keep, dup = (store.add_note(activity.id, t) for t in ("pää", "kopio"))
    moderation.merge(store, event.id, keep.id, [dup.id])
    for keep_id, others in ((keep.id, [dup.id]), (dup.id, [keep.id])):
        with pytest.raises(InvalidInput) as refused:
            moderation.merge(store, event.id, keep_id, others)
        assert refused.value.key == "moderation.error.already_merged"
    assert [s.step for s in store.moderation_steps(event.id)] == ["merge"]


def test_undo_after_the_author_swapped_the_text_keeps_the_new_text_and_its_wait(
        store, seminar):
    """The facilitator corrects and stars a point; its group swaps it for a new one that
    waits for approval; undoing the star and the correction must not bring the old text
    back nor let the new one through unapproved."""
    activity = activity_of(store, seminar, "buzz_groups")
    store.set_activity_state(seminar.id, activity.id, "open")
    store.set_premoderated(activity.id, True)
    activity = store.activity(activity.id)
    who = store.join(seminar.id, "token-swapper")
    group = store.groups(activity.id)[0]
    method = methods.get("buzz_groups")

    def ctx():
        return methods.Context(store, store.activity(activity.id), participant=who)

    method.submit(ctx(), "group", Posted({"group": str(group.id)}))
    first = method.submit(ctx(), "point", Posted({"text": "Tutorti"})).note
    method.submit(ctx(), "point", Posted({"text": "Kahvihuone"}))
    moderation.approve(store, seminar.id, [first.id])
    moderation.edit(store, seminar.id, first.id, "Tutorit")
    moderation.star(store, seminar.id, [first.id])
    method.submit(ctx(), "point", Posted({"replace": str(first.id), "text": "Kummit"}))
    swapped = store.note(first.id)
    # The new text is the author's own: no correction, no star carried over; it waits.
    assert (swapped.text, swapped.original, swapped.starred, swapped.pending) == (
        "Kummit", None, False, True)
    moderation.undo(store, seminar.id)  # the star
    moderation.undo(store, seminar.id)  # the correction
    after = store.note(first.id)
    assert (after.text, after.pending) == ("Kummit", True)


def test_a_step_that_changes_nothing_is_refused_and_not_logged(store, demo):
    event, activity = demo
    note = store.add_note(activity.id, "Jo piilossa")
    moderation.hide(store, event.id, [note.id])
    before = store.moderation_steps(event.id)
    with pytest.raises(InvalidInput) as refused:
        moderation.hide(store, event.id, [note.id])
    assert refused.value.key == "moderation.error.nothing_hide"
    assert store.moderation_steps(event.id) == before
