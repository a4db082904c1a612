"""Aarrekartta: the map's areas, notes into them (alone or as a table), the console's
side-by-side board and the memo section."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.domain import Activity
from facilitator.methods import Form, Heading, InvalidInput, Items, Posted, Table, Text
from facilitator.methods.groups import GROUP_FORM
from facilitator.methods.treasure_map import METHOD, areas
from facilitator.templates import TemplateError
from tests.conftest import hide
from tests.methods.conftest import activity_of, check_golden, memo_section

NOW, PAST, VISION, STEPS = (
    "Missä olemme nyt?",
    "Mistä olemme tähän tulleet?",
    "Missä haluan, että olemme kahden vuoden kuluttua?",
    "Mitkä askeleet vievät työtä eteenpäin?",
)

TEMPLATE = """
[event]
title = "Testi"
[[parts]]
title = "Työpaja"
[[parts.activities]]
method = "treasure_map"
title = "Aarrekartta"
[parts.activities.config]
"""


def load(tmp_path, config: str):
    path = tmp_path / "kartta.toml"
    path.write_text(TEMPLATE + config, encoding="utf-8")
    return templates.load(path)


def opened(store, event) -> Activity:
    activity = activity_of(store, event, "treasure_map")
    return store.set_activity_state(event.id, activity.id, "open")


def made(store, tmp_path, config: str) -> tuple:
    event = store.create_event(load(tmp_path, config))
    return event, opened(store, event)


def ctx_for(store, activity, participant=None, **kw) -> methods.Context:
    return methods.Context(store, store.activity(activity.id), participant=participant, **kw)


def phone(store, event, name: str):
    return store.join(event.id, f"token-{name}")


def send(store, activity, who, area, text, form="note"):
    return METHOD.submit(ctx_for(store, activity, who), form, Posted({"area": area, "text": text}))


# -- the map's areas ------------------------------------------------------------------------


def test_defaults_are_the_seeds_four_areas_in_its_order():
    assert areas(Activity("treasure_map", "Kartta")) == (NOW, PAST, VISION, STEPS)


def test_obstacles_and_resources_come_before_the_steps_that_close_the_map():
    activity = Activity("treasure_map", "K", config={"obstacles": True, "resources": True})
    assert areas(activity) == (NOW, PAST, VISION, "Esteet", "Voimavarat", STEPS)


def test_the_steps_area_named_in_config_goes_last():
    activity = Activity("treasure_map", "K", config={"areas": ["Teot", "Nyt", "Unelma"],
                                                     "steps": "Teot"})
    assert areas(activity) == ("Nyt", "Unelma", "Teot")
    # Own areas without the seed's steps question: no area is moved.
    assert areas(Activity("treasure_map", "K", config={"areas": ["B", "A"]})) == ("B", "A")


def test_the_bundled_seminar_keeps_the_seeds_order(seminar, store):
    assert areas(activity_of(store, seminar, "treasure_map")) == (NOW, PAST, VISION, STEPS)


@pytest.mark.parametrize(
    "config, field, reason",
    [
        ('steps = "Askeleet"\n', "steps",
         f"must be one of the areas ('{NOW}', '{PAST}', '{VISION}', '{STEPS}'), not 'Askeleet'"),
        ('areas = ["Nyt", "Tulevaisuus"]\nsteps = "Huomenna"\n', "steps",
         "must be one of the areas ('Nyt', 'Tulevaisuus'), not 'Huomenna'"),
        ('areas = ["Nyt", "Esteet"]\nobstacles = true\n', "obstacles",
         "adds the area 'Esteet', which areas already has"),
        ('areas = []\n', "areas", "must have 1–10 items, not 0"),
        ('areas = ["Nyt", " Nyt"]\n', "areas", "has the same text twice"),
        ("obstacles = 1\n", "obstacles", "must be true or false"),
        ("groups = 51\n", "groups", "must be between 0 and 50, not 51"),
        ("tables = 3\n", "tables",
         "unknown key for treasure_map"
         " (known: areas, groups, material_url, obstacles, resources, steps)"),
    ],
)
def test_config_errors_name_file_field_and_reason(tmp_path, config, field, reason):
    with pytest.raises(TemplateError) as caught:
        load(tmp_path, config)
    error = caught.value
    assert error.file == str(tmp_path / "kartta.toml")
    assert error.field == f"parts[0].activities[0].config.{field}"
    assert error.reason == reason


def test_steps_may_be_an_added_area_and_spacing_does_not_matter(tmp_path):
    event = load(tmp_path, 'resources = true\nsteps = " Voimavarat"\n')
    assert areas(event.parts[0].activities[0])[-1] == "Voimavarat"


# -- notes ------------------------------------------------------------------------------------


def test_a_note_is_stored_under_its_area(store, seminar):
    activity = opened(store, seminar)
    me = phone(store, seminar, "a")
    receipt = send(store, activity, me, VISION, "  Yhteinen peruspalvelutaso  ")
    [note] = store.notes(activity.id)
    assert receipt.note == note
    assert (note.text, note.heading, note.kind, note.participant_id, note.group_id) == (
        "Yhteinen peruspalvelutaso", VISION, "note", me.id, None)


@pytest.mark.parametrize(
    "area, text, key",
    [
        ("Keksitty alue", "x", "treasure_map.error.choose_area"),
        ("", "x", "treasure_map.error.choose_area"),
        (NOW, "   ", "methods.error.empty_note"),
        (NOW, "x" * 2001, "methods.error.note_too_long"),
    ],
)
def test_a_refused_note_stores_nothing(store, seminar, area, text, key):
    activity = opened(store, seminar)
    with pytest.raises(InvalidInput) as caught:
        send(store, activity, phone(store, seminar, "a"), area, text)
    assert caught.value.key == key
    assert store.notes(activity.id) == []


def test_alone_the_phone_gets_the_area_and_the_note_and_nothing_when_closed(store, seminar):
    activity = opened(store, seminar)
    [form] = METHOD.participant_view(ctx_for(store, activity, phone(store, seminar, "a")))
    assert isinstance(form, Form) and form.name == "note"
    area, text = form.fields
    assert (area.name, area.kind, area.choices) == ("area", "choice", areas(activity))
    assert (text.name, text.kind) == ("text", "textarea")
    store.set_activity_state(seminar.id, activity.id, "closed")
    assert METHOD.participant_view(ctx_for(store, activity)) == []


def test_without_tables_a_group_post_is_refused_and_makes_no_group(store, seminar):
    activity = opened(store, seminar)
    ctx = ctx_for(store, activity, phone(store, seminar, "a"))
    with pytest.raises(InvalidInput) as caught:
        METHOD.submit(ctx, GROUP_FORM, Posted({"name": "Oma pöytä"}))
    assert caught.value.key == "treasure_map.error.no_tables"
    assert store.groups(activity.id) == []


# -- table groups ---------------------------------------------------------------------------


def test_tables_choose_their_group_first_and_notes_carry_it(store, tmp_path):
    event, activity = made(store, tmp_path, "groups = 3\n")
    tables = store.groups(activity.id)
    assert [g.name for g in tables] == ["Ryhmä 1", "Ryhmä 2", "Ryhmä 3"]
    me = phone(store, event, "a")

    view = METHOD.participant_view(ctx_for(store, activity, me))
    assert [type(b) for b in view] == [Text, Form] and view[1].name == GROUP_FORM
    with pytest.raises(InvalidInput) as caught:
        send(store, activity, me, NOW, "Ilman pöytää")
    assert caught.value.key == "methods.error.choose_group"
    assert store.notes(activity.id) == []

    METHOD.submit(ctx_for(store, activity, me), GROUP_FORM, Posted({"group": str(tables[1].id)}))
    note = send(store, activity, me, NOW, "Pöydän ajatus").note
    assert note.group_id == tables[1].id

    # The table's phones see their map so far, and can still change table.
    neighbour = phone(store, event, "b")
    store.set_member(activity.id, neighbour.id, tables[1].id)
    view = methods.resolve(METHOD.participant_view(ctx_for(store, activity, neighbour)))
    assert [b.name for b in view if isinstance(b, Form)] == ["note", GROUP_FORM]
    [ours] = [b for b in view if isinstance(b, Items)]
    assert [(i.text, i.meta) for i in ours.items] == [("Pöydän ajatus", NOW)]


def test_a_typed_group_name_makes_no_new_table(store, tmp_path):
    event, activity = made(store, tmp_path, "groups = 2\n")
    ctx = ctx_for(store, activity, phone(store, event, "a"))
    with pytest.raises(InvalidInput):
        METHOD.submit(ctx, GROUP_FORM, Posted({"name": "Oma pöytä"}))
    assert len(store.groups(activity.id)) == 2


# -- console ----------------------------------------------------------------------------------


def test_the_board_shows_each_area_as_a_heading_and_a_full_width_list(store, seminar):
    activity = opened(store, seminar)
    me = phone(store, seminar, "a")
    for n in range(10):
        send(store, activity, me, NOW, f"nyt {n}")
    long = "Yhteinen foorumi " + "pitkä " * 20
    send(store, activity, me, STEPS, long)
    hidden = send(store, activity, me, PAST, "piilotettu").note
    hide(store, hidden.id)

    blocks = methods.resolve(METHOD.live_view(ctx_for(store, activity)))
    assert not any(isinstance(b, Table) for b in blocks)  # no side-by-side table any more
    headings = [b for b in blocks if isinstance(b, Heading)]
    # A heading counts the rows listed under it: on the console the hidden note is one
    # (struck through), as under every method's headings.
    assert [(h.text, h.count) for h in headings] == [(NOW, 10), (PAST, 1), (VISION, 0),
                                                      (STEPS, 1)]
    lists = [b for b in blocks if isinstance(b, Items)]
    assert [i.text for i in lists[0].items] == [f"nyt {n}" for n in range(10)]
    assert lists[0].newest_first  # the console shows the newest first
    assert [(i.text, i.hidden) for i in lists[1].items] == [("piilotettu", True)]
    assert [i.text for i in lists[2].items] == [long.strip()]  # in full, never cut


def test_the_board_says_when_nothing_has_come_yet(store, seminar):
    blocks = METHOD.live_view(ctx_for(store, opened(store, seminar)))
    assert blocks == [Text("Ei vielä vastauksia.", "muted")]


# -- memo -------------------------------------------------------------------------------------


def test_memo_section_seminar(store, seminar):
    activity = opened(store, seminar)
    a, b = phone(store, seminar, "a"), phone(store, seminar, "b")
    send(store, activity, a, STEPS, "Kuntien ja oppilaitosten yhteinen foorumi kahdesti vuodessa")
    send(store, activity, b, NOW, "Olemme vanhoista käytänteistä luopumisen äärellä")
    send(store, activity, a, VISION, "Aluetasolla yhteinen peruspalvelutaso,\nräätälöity "
                                     "yksikkötasolla")
    send(store, activity, b, NOW, "Kunnilta odotetaan linjausta palvelutasosta")
    send(store, activity, b, STEPS, "Palvelukuvaukset ja mallinnetut asiakasprosessit")
    moderated = send(store, activity, a, NOW, "asiaton").note
    hide(store, moderated.id)
    # Where we came from got nothing: it is left out rather than shown empty.
    check_golden("treasure_map.md", memo_section(store, activity))


def test_memo_section_tables_with_obstacles_and_resources(store, tmp_path):
    event, activity = made(store, tmp_path, "groups = 2\nobstacles = true\nresources = true\n")
    one, two = store.groups(activity.id)
    a, b = phone(store, event, "a"), phone(store, event, "b")
    store.set_member(activity.id, a.id, one.id)
    store.set_member(activity.id, b.id, two.id)
    send(store, activity, a, "Esteet", "Resurssien niukkuus")
    send(store, activity, b, "Voimavarat", "Erilaisuus voimavarana")
    send(store, activity, b, STEPS, "Päättäjät saman pöydän ääreen")
    send(store, activity, a, PAST, "Kenttä on ollut hajallaan")
    check_golden("treasure_map_tables.md", memo_section(store, activity))
