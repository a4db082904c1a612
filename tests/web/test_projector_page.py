"""The projector page over real HTTP: every bundled activity draws for the room, without
a form and without what only the console may see (hidden and waiting notes, a hidden open
space topic, a vote's results the template keeps hidden)."""

from __future__ import annotations

import json

import aiohttp
import pytest

from facilitator import methods, templates
from facilitator.methods import moderation
from facilitator.methods.open_space import slot_labels, space_labels
from facilitator.web import projector
from facilitator.web.qr import qr_svg
from tests.seed import per_phone

TEMPLATES = ("demo", "seminaari-1", "seminaari-2", "verkkokeskustelu-1", "verkkokeskustelu-2")


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def wall(server, store, event, path: str = "") -> str:
    url = f"{base(server)}/p/{projector.projector_token(store.secret(), event.id)}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/html")
        return await r.text()


def only_open(store, event, activity):
    for other in store.activities(event.id):
        if other.state == "open":
            store.set_activity_state(event.id, other.id, "closed")
    return store.set_activity_state(event.id, activity.id, "open")


@pytest.mark.parametrize("template", TEMPLATES)
async def test_every_activity_draws_for_the_room_without_a_form(server, store, template):
    event = store.create_event(templates.load(templates.resolve(template)))
    html = await wall(server, store, event)
    assert 'class="qr"' in html and event.join_code in html  # nothing open: join screen
    for activity in store.activities(event.id):
        only_open(store, event, activity)
        html = await wall(server, store, event)
        assert activity.title in html or activity.title.replace("'", "&#39;") in html
        assert "<form" not in html and 'class="qr"' not in html
        assert event.join_code in html  # small, in a corner, for latecomers


async def test_hidden_and_waiting_notes_never_reach_the_wall(server, store, demo):
    event, activity = demo
    shown = store.add_note(activity.id, "Näkyy salille", activity.headings[0])
    hidden = store.add_note(activity.id, "Piilotettu huomautus", activity.headings[0])
    store.add_note(activity.id, "Odottaa hyväksyntää", activity.headings[0], pending=True)
    moderation.hide(store, event.id, [hidden.id])
    html = await wall(server, store, event)
    assert shown.text in html
    assert "Piilotettu" not in html and "Odottaa hyväksyntää" not in html


async def test_the_emotion_line_is_a_chart_and_the_walk_a_grid(server, store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    line = next(a for a in store.activities(event.id) if a.method == "emotion_line")
    only_open(store, event, line)
    assert "<progress" in await wall(server, store, event)
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    only_open(store, event, walk)
    html = await wall(server, store, event)
    assert "<table" in html and walk.config["stations"][0] in html
    assert 'class="countdown"' in html  # the round's time box, large


async def test_a_hidden_open_space_topic_holds_its_cell_but_is_not_shown(server, store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    space = next(a for a in store.activities(event.id) if a.method == "open_space")
    only_open(store, event, space)
    config = store.activity(space.id).config
    slot, room = slot_labels(config)[0], space_labels(config)[0]
    topic = store.add_note(space.id, "Kiusaamisen ehkäisy ja <yhteisö>", kind="topic",
                           data={"convener": "Sari", "slot": slot, "space": room})
    html = await wall(server, store, event)
    assert "Kiusaamisen ehkäisy ja &lt;yhteisö&gt;" in html
    moderation.hide(store, event.id, [topic.id])
    html = await wall(server, store, event)
    assert "Kiusaamisen" not in html
    assert store.activity(space.id).title in html


@pytest.mark.parametrize(("results", "shown"), [("closed", True), ("never", False)])
async def test_a_closed_votes_results_show_only_as_the_template_allows(
        server, store, results, shown):
    # One phone's own ballot: the bundled round votes per team.
    event = store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))
    vote = next(a for a in store.activities(event.id) if a.method == "dot_vote")
    store.db["activities"].update(vote.id, {"config": json.dumps(
        {**vote.config, "results": results})})
    only_open(store, event, vote)
    person = store.join(event.id, "phone-1")
    ctx = methods.Context(store, store.activity(vote.id), "fi", person)
    methods.get("dot_vote").submit(ctx, "vote", methods.Posted({"option": ["1", "3"]}))
    html = await wall(server, store, event)
    assert "<progress" not in html  # open: never a tally
    assert "kun suljet" not in html  # the console's note to the facilitator
    store.set_activity_state(event.id, vote.id, "closed")
    html = await wall(server, store, event)
    assert 'class="qr"' in html  # nothing open: the join screen
    projector.set_mode(store, event.id, show="activity", activity=vote.id)
    html = await wall(server, store, event)
    assert vote.title in html
    assert ("<progress" in html) is shown


def test_the_qr_code_is_black_on_white_with_a_quiet_zone():
    svg = qr_svg("http://192.168.1.20:8080/e/ABCDE")
    assert '<rect width="' in svg and 'fill="#ffffff"' in svg and 'fill="#000000"' in svg
    assert 'd="M4,4h7' in svg  # the finder pattern starts after four light modules


async def test_the_mode_is_kept_in_the_database(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    assert projector.mode(store, event.id) == projector.Mode()
    projector.set_mode(store, event.id, show="join", frozen=True)
    assert projector.mode(store, event.id) == projector.Mode("join", frozen=True)
    with pytest.raises(ValueError):
        projector.set_mode(store, event.id, show="everything")
