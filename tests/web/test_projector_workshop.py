"""The projector set to one parallel workshop, over real HTTP: it shows that workshop's
open activity and the whole room's, never another workshop's, and its join screen is that
workshop's own link; back on the whole event it shows every open activity again."""

from __future__ import annotations

from facilitator import templates
from facilitator.web import projector
from tests.web.test_projector_page import wall


def seminar_with_two_workshops_open(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    w1, w2, _ = store.workshops(event.id)
    acts = {a.title: a for a in store.activities(event.id)}
    for title in ("Tunnerivi", "Aarrekartta"):  # workshop 1's and workshop 2's
        store.set_activity_state(event.id, acts[title].id, "open")
    assert store.workshop_of(acts["Tunnerivi"]).id == w1.id
    assert store.workshop_of(acts["Aarrekartta"]).id == w2.id
    return event, (w1, w2), acts


def shows(html: str, activity) -> bool:
    return f'id="a{activity.id}"' in html


async def test_a_wall_set_to_one_workshop_shows_its_activity_never_the_others(server, store):
    event, (w1, w2), acts = seminar_with_two_workshops_open(store)
    html = await wall(server, store, event)
    assert shows(html, acts["Tunnerivi"]) and shows(html, acts["Aarrekartta"])  # whole event
    projector.set_mode(store, event.id, workshop=w2.id)
    html = await wall(server, store, event)
    assert shows(html, acts["Aarrekartta"]) and not shows(html, acts["Tunnerivi"])
    assert "Tunnerivi" not in html and w2.name in html
    projector.set_mode(store, event.id, workshop=w1.id)
    html = await wall(server, store, event)
    assert shows(html, acts["Tunnerivi"]) and not shows(html, acts["Aarrekartta"])
    projector.set_mode(store, event.id, workshop=None)  # reset: the event's
    html = await wall(server, store, event)
    assert shows(html, acts["Tunnerivi"]) and shows(html, acts["Aarrekartta"])


async def test_a_workshops_join_screen_is_its_own_link(server, store):
    event, (_, w2), acts = seminar_with_two_workshops_open(store)
    store.set_activity_state(event.id, acts["Aarrekartta"].id, "closed")
    projector.set_mode(store, event.id, workshop=w2.id)
    html = await wall(server, store, event)
    # Workshop 1's emotion line still runs, but not on workshop 2's wall: its join screen.
    assert 'class="qr"' in html and not shows(html, acts["Tunnerivi"])
    assert f"/e/{event.join_code}/w/<wbr>{w2.id}" in html and w2.name in html
    projector.set_mode(store, event.id, workshop=None)
    html = await wall(server, store, event)
    assert shows(html, acts["Tunnerivi"]) and 'class="qr"' not in html


async def test_a_mode_change_reaches_an_open_stream(server, store):
    """The stream's channel is the event's: a workshop change is in its next data."""
    import asyncio
    import json

    import aiohttp

    event, (_, w2), acts = seminar_with_two_workshops_open(store)
    url = (f"http://127.0.0.1:{server.port}/p/"
           f"{projector.projector_token(store.secret(), event.id)}/stream")
    async with aiohttp.ClientSession() as session, session.get(url) as r:
        async def next_html() -> str:
            async for raw in r.content:
                line = raw.decode()
                if line.startswith("data:"):
                    return json.loads(line[5:])["html"]
            raise AssertionError("stream ended")

        first = await asyncio.wait_for(next_html(), 5)
        assert shows(first, acts["Tunnerivi"]) and shows(first, acts["Aarrekartta"])
        projector.set_mode(store, event.id, workshop=w2.id)
        changed = await asyncio.wait_for(next_html(), 5)
        assert shows(changed, acts["Aarrekartta"]) and not shows(changed, acts["Tunnerivi"])
