"""Bundled templates load; a broken one names file, field and reason and writes nothing."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.templates import TemplateError

SEED_EVENTS = ["seminaari-1", "verkkokeskustelu-1", "seminaari-2", "verkkokeskustelu-2"]


@pytest.mark.parametrize("info", templates.bundled(), ids=lambda i: i.name)
def test_every_bundled_template_runs_each_activity_with_a_form(info, store):
    """Each activity of each bundled template, once open, offers phones a form."""
    event = store.create_event(templates.load(info.path))
    assert event.title and store.parts(event.id)
    for activity in store.activities(event.id):
        store.set_activity_state(event.id, activity.id, "open")
        ctx = methods.Context(store, store.activity(activity.id))
        view = methods.get(activity.method).participant_view(ctx)
        assert any(isinstance(part, methods.Form) for part in view), activity.title


#: What a template asks the room, as the phones show it: prompts, sub-headings, and the
#: config's questions, stations and areas.
ASKED = ("questions", "stations", "areas", "steps")


def _asked(activity) -> list[str]:
    texts = [activity.prompt, *activity.headings]
    for key in ASKED:
        value = activity.config.get(key)
        texts += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [t for t in texts if t]


@pytest.mark.parametrize("info", templates.bundled(), ids=lambda i: i.name)
def test_every_bundled_question_starts_with_a_capital_letter(info):
    event = templates.load(info.path)
    asked = [t for p in event.parts for a in p.activities for t in _asked(a)]
    assert asked
    # A sentence in a question (after "? ") starts with a capital too.
    sentences = [s for t in asked for s in t.split("? ")]
    assert [s for s in sentences if not s[0].isupper()] == []


def test_the_seed_events_and_a_demo_are_bundled():
    names = {i.name for i in templates.bundled()}
    assert set(SEED_EVENTS) | {"demo"} <= names


def test_seed_details_are_carried():
    s1 = templates.load(templates.resolve("seminaari-1"))
    assert (s1.starts, s1.ends) == ("13:00", "15:00")
    s2 = templates.load(templates.resolve("seminaari-2"))
    assert (s2.starts, s2.ends) == ("09:00", "15:30")
    used = {a.method for p in s2.parts for a in p.activities}
    assert {"emotion_line", "process_walk", "treasure_map", "open_space", "buzz_groups"} <= used
    v2 = templates.load(templates.resolve("verkkokeskustelu-2"))
    votes = [a for p in v2.parts for a in p.activities if a.method == "dot_vote"]
    assert len(votes) == 1 and len(votes[0].config["options"]) == 12
    discussion = [a for p in v2.parts for a in p.activities if a.method == "discussion"]
    assert len(discussion[0].config["questions"]) == 2
    demo = templates.load(templates.resolve("demo"))
    assert sum(len(p.activities) for p in demo.parts) == 3


GOOD = """
[event]
title = "Testi"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "question"
title = "Kysymys"
"""


@pytest.mark.parametrize(
    "source, field, reason",
    [
        (GOOD.replace('title = "Testi"', 'titel = "Testi"'), "event.titel", "unknown key"),
        (GOOD.replace('title = "Testi"', 'title = ""'), "event.title", "is required"),
        (GOOD + 'starts = "9.00"\n', "parts[0].activities[0].starts", "unknown key"),
        (GOOD.replace('title = "Osa"', 'title = "Osa"\nstarts = "9.00"'),
         "parts[0].starts", "must be a time HH:MM"),
        (GOOD.replace('title = "Osa"', 'title = "Osa"\nstarts = "10:00"\nends = "09:00"'),
         "parts[0].ends", "must be after starts"),
        (GOOD.replace('"question"', '"emotionline"'), "parts[0].activities[0].method",
         "unknown method 'emotionline'"),
        (GOOD.replace('"question"', '"dot_vote"') + "[parts.activities.config]\noptions = 3\n",
         "parts[0].activities[0].config.options", "must be a list of non-empty texts"),
        (GOOD.replace('"question"', '"dot_vote"') + "[parts.activities.config]\ncolour = 1\n",
         "parts[0].activities[0].config.colour", "unknown key for dot_vote"),
        (GOOD + 'headings = ["A", "A"]\n', "parts[0].activities[0].headings", "twice"),
        (GOOD + 'headings = ["A", " A "]\n', "parts[0].activities[0].headings", "twice"),
        (GOOD.replace('"question"', '"dot_vote"') + "[parts.activities.config]\n"
         'options = ["a", "a "]\n', "parts[0].activities[0].config.options", "twice"),
        (GOOD.replace('"question"', '"dot_vote"') + "config = 3\n",
         "parts[0].activities[0].config", "must be a table"),
        (GOOD + "headings = [1979-05-27]\n", "parts[0].activities[0].headings[0]",
         "must be a non-empty text"),
        (GOOD.replace('kind', 'x') + '\n[event2]\n', "event2", "unknown key"),
        ('[event]\ntitle = "x"\n', "parts", "at least one"),
        (GOOD + 'premoderate = "yes"\n', "parts[0].activities[0].premoderate",
         "must be true or false"),

        (GOOD.replace('title = "Testi"', 'title = "Testi"\nlang = "sv"'), "event.lang",
         "must be one of fi, en, not 'sv'"),
        (GOOD.replace('title = "Testi"', 'title = "Testi"\nlang = 1'), "event.lang",
         "must be a text"),
        (GOOD.replace('title = "Testi"', 'title = "Testi"\nthemes = "A"'), "event.themes",
         "must be a list of texts"),
        (GOOD.replace('title = "Testi"', 'title = "Testi"\nthemes = ["A", ""]'),
         "event.themes[1]", "must be a non-empty text"),
        (GOOD.replace('title = "Testi"', 'title = "Testi"\nthemes = ["Yhteistyö", "yhteistyö"]'),
         "event.themes[1]", "the same label as themes[0]"),
        (GOOD.replace('title = "Testi"', f'title = "Testi"\nthemes = ["{"x" * 201}"]'),
         "event.themes[0]", "at most 200 characters"),
    ],
)
def test_broken_templates_name_file_field_and_reason(tmp_path, source, field, reason):
    path = tmp_path / "rikki.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    error = caught.value
    assert error.file == str(path) and error.field == field and reason in error.reason
    assert str(error).startswith(f"{path}: {field}: ")


def test_invalid_toml_names_the_line(tmp_path):
    path = tmp_path / "rikki.toml"
    path.write_text('[event]\ntitle = "auki\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"rikki.toml: not valid TOML: .*line 2"):
        templates.load(path)


def test_unknown_template_name_lists_the_bundled_ones():
    with pytest.raises(TemplateError, match=r"no such template .*seminaari-2"):
        templates.resolve("seminaari-9")


def test_templates_dir_is_found_from_a_checkout_or_a_wheel():
    assert (templates.templates_dir() / "seminaari-2.toml").is_file()


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "windows.toml"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    assert templates.load(path).title == "Testi"


def test_a_bundled_name_wins_over_a_local_file_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo").mkdir()
    assert templates.resolve("demo") == templates.templates_dir() / "demo.toml"
    (tmp_path / "oma.toml").write_text(GOOD, encoding="utf-8")
    assert templates.resolve("oma.toml").name == "oma.toml"
    with pytest.raises(TemplateError, match="no such file"):
        templates.resolve("puuttuu.toml")


def test_premoderate_starts_an_activity_pre_moderated(tmp_path, store):
    path = tmp_path / "ennakko.toml"
    path.write_text(GOOD + "premoderate = true\n", encoding="utf-8")
    event = store.create_event(templates.load(path))
    [activity] = store.activities(event.id)
    assert activity.premoderated


def test_every_config_key_is_documented():
    """A setting a template can use is in sessions/README.md (as `key`), whatever method."""
    from facilitator.methods.base import COMMON_CONFIG

    readme = (templates.templates_dir() / "README.md").read_text(encoding="utf-8")
    keys = set(COMMON_CONFIG) | {k for m in methods.known()
                                 for k in methods.get(m).config_schema}
    assert keys >= {"material_url", "per"}
    assert sorted(k for k in keys if f"`{k}`" not in readme and f"`{k} =" not in readme) == []


TWO_WORKSHOPS = """
[event]
title = "Rinnakkain"
[[parts]]
title = "Yhteinen alku"
[[parts]]
title = "Paja A"
workshop = "Työpaja A"
[[parts]]
title = "Paja B"
workshop = "Työpaja B"
"""


@pytest.mark.parametrize(
    "source, field, reason",
    [
        (TWO_WORKSHOPS.replace('"Työpaja B"', '"Työpaja A"'), "parts[1].workshop",
         "is the only workshop: parallel workshops need at least two"),
        (TWO_WORKSHOPS.replace('"Työpaja B"', '""'), "parts[2].workshop", "is required"),
        (TWO_WORKSHOPS.replace('"Työpaja B"', "2"), "parts[2].workshop", "must be a text"),
        (TWO_WORKSHOPS.replace('"Työpaja B"', f'"{"x" * 201}"'), "parts[2].workshop",
         "at most 200 characters"),
        (TWO_WORKSHOPS + '[[parts]]\ntitle = "Paja A jatkuu"\nworkshop = "työpaja a"\n',
         "parts[3].workshop", "is the workshop of parts[1] spelt differently ('Työpaja A')"),
        (TWO_WORKSHOPS.replace('workshop = "Työpaja B"', 'workshops = "Työpaja B"'),
         "parts[2].workshops", "unknown key"),
    ],
)
def test_broken_workshops_name_file_field_and_reason(tmp_path, source, field, reason):
    path = tmp_path / "pajat.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    assert caught.value.field == field and reason in caught.value.reason, caught.value
    assert str(caught.value).startswith(f"{path}: {field}: ")


def test_parts_of_one_workshop_are_one_workshop(tmp_path, store):
    path = tmp_path / "pajat.toml"
    path.write_text(TWO_WORKSHOPS + '[[parts]]\ntitle = "Paja A jatkuu"\n'
                    'workshop = " Työpaja  A "\n', encoding="utf-8")
    event = store.create_event(templates.load(path))
    a, b = store.workshops(event.id)
    parts = store.parts(event.id)
    assert (a.name, b.name) == ("Työpaja A", "Työpaja B")
    assert a.part_ids == (parts[1].id, parts[3].id) and b.part_ids == (parts[2].id,)
    assert [p.workshop for p in parts] == ["", "Työpaja A", "Työpaja B", "Työpaja A"]


def test_seminar_2_runs_its_three_workshops_in_parallel(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    names = [w.name for w in store.workshops(event.id)]
    assert names == ["Työpaja 1", "Työpaja 2", "Työpaja 3"]
    methods_in = {w.name: {a.method for a in store.activities(event.id)
                           if store.workshop_of(a) == w} for w in store.workshops(event.id)}
    assert methods_in == {"Työpaja 1": {"emotion_line", "process_walk"},
                          "Työpaja 2": {"treasure_map"}, "Työpaja 3": {"open_space"}}
    common = store.activities_in(event.id, None)
    assert [a.method for a in common] == ["buzz_groups"]
    demo = store.create_event(templates.load(templates.resolve("demo")))
    assert store.workshops(demo.id) == [] and store.activities_in(demo.id, None) == \
        store.activities(demo.id)
