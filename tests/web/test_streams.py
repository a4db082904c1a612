"""The event streams over the real server: what a phone's and the projector's EventSource
read, byte for byte — the headers, the first state, a change, keep-alives, resuming."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from facilitator import templates
from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket, projector, stream

#: Short, so a test sees keep-alives; the real interval is 15 s.
KEEPALIVE = 0.3


@pytest.fixture
async def live_server(store):
    srv = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    srv.app[stream.KEEPALIVE_SECONDS] = KEEPALIVE
    await srv.start()
    yield srv
    await srv.stop()


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def pass_for(phone, server, event):
    """Open the event page once, as the phone does before its script opens the stream."""
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200


class Events:
    """Reads a text/event-stream response: comments and events, in order."""

    def __init__(self, response: aiohttp.ClientResponse):
        self.response = response

    async def next(self, wait: float = 2.0) -> dict:
        """The next event or comment: {"comment": …} or {"id", "event", "data"}."""
        fields: dict = {}
        async with asyncio.timeout(wait):
            while True:
                line = (await self.response.content.readline()).decode()
                assert line, "the stream ended"
                line = line.rstrip("\n")
                if not line:
                    if fields:
                        return fields
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "":
                    return {"comment": value}
                if name != "retry":
                    fields[name] = value

    async def next_event(self, wait: float = 2.0) -> dict:
        while "comment" in (found := await self.next(wait)):
            pass
        return found


def demo_event(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    return event, store.activities(event.id)


async def test_a_phone_stream_is_plain_event_stream_with_the_state_at_once(
        live_server, phone, store):
    event, activities = demo_event(store)
    store.set_activity_state(event.id, activities[0].id, "open")
    await pass_for(phone, live_server, event)
    async with phone.get(f"{base(live_server)}/e/{event.join_code}/state") as r:
        polled = await r.text()
    headers = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/event-stream"}
    async with phone.get(f"{base(live_server)}/e/{event.join_code}/stream",
                         headers=headers) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in r.headers
        assert r.headers["Cache-Control"] == "no-cache"
        first = await Events(r).next_event()
    assert first["event"] == "state"
    assert first["data"] == polled  # the same JSON the poll answers
    assert json.loads(first["data"]) == {"open": [activities[0].id],
                                          "key": f"{activities[0].id}.1"}
    assert int(first["id"]) > 0


async def test_a_change_from_another_process_comes_down_the_stream(
        live_server, phone, store, db_path):
    event, activities = demo_event(store)
    await pass_for(phone, live_server, event)
    other = Store(open_db(db_path))  # as `facilitator open` in another process
    async with phone.get(f"{base(live_server)}/e/{event.join_code}/stream") as r:
        events = Events(r)
        first = await events.next_event()
        assert json.loads(first["data"])["open"] == []
        started = time.monotonic()
        other.set_activity_state(event.id, activities[1].id, "open")
        changed = await events.next_event()
        took = time.monotonic() - started
    assert json.loads(changed["data"])["open"] == [activities[1].id]
    assert int(changed["id"]) > int(first["id"])
    assert took < 1.0


async def test_keep_alives_come_within_the_interval_and_only_changes_are_sent(
        live_server, phone, store):
    event, activities = demo_event(store)
    await pass_for(phone, live_server, event)
    async with phone.get(f"{base(live_server)}/e/{event.join_code}/stream") as r:
        events = Events(r)
        await events.next_event()
        # A note changes nothing a phone follows: no event, keep-alives only.
        store.set_activity_state(event.id, activities[1].id, "open")
        await events.next_event()
        store.add_note(activities[1].id, "Muistiinpano", activities[1].headings[0])
        started = time.monotonic()
        for _ in range(2):
            assert await events.next(wait=KEEPALIVE * 3) == {"comment": "keep-alive"}
        assert time.monotonic() - started < KEEPALIVE * 3


async def test_last_event_id_resumes_without_a_repeat_or_with_the_current_state(
        live_server, phone, store):
    event, activities = demo_event(store)
    await pass_for(phone, live_server, event)
    url = f"{base(live_server)}/e/{event.join_code}/stream"
    async with phone.get(url) as r:
        current = await Events(r).next_event()
    # Reconnecting with the current id: nothing until the next change.
    async with phone.get(url, headers={"Last-Event-ID": current["id"]}) as r:
        events = Events(r)
        assert await events.next(wait=KEEPALIVE * 3) == {"comment": "keep-alive"}
        store.set_activity_state(event.id, activities[0].id, "open")
        moved = await events.next_event()
    assert json.loads(moved["data"])["open"] == [activities[0].id]
    # With an older id (it missed that change while away): the current state at once.
    async with phone.get(url, headers={"Last-Event-ID": current["id"]}) as r:
        again = await Events(r).next_event(wait=KEEPALIVE * 2)
    assert again["id"] == moved["id"] and again["data"] == moved["data"]


async def test_the_stream_needs_what_the_state_needs(live_server, store):
    demo_event(store)
    async with aiohttp.ClientSession() as stranger, stranger.get(
            f"{base(live_server)}/e/NOSUCHCODE/stream") as r:
        assert r.status == 404
        assert "text/html" in r.headers["Content-Type"]


async def test_the_projector_stream_carries_a_visible_note_and_never_a_hidden_one(
        live_server, store, db_path):
    event, activities = demo_event(store)
    activity = store.set_activity_state(event.id, activities[1].id, "open")
    token = projector.projector_token(store.secret(), event.id)
    url = f"{base(live_server)}/p/{token}/stream"
    other = Store(open_db(db_path))
    async with aiohttp.ClientSession() as wall, wall.get(
            url, headers={"Accept-Encoding": "gzip"}) as r:
        assert r.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in r.headers
        events = Events(r)
        first = json.loads((await events.next_event())["data"])
        assert activity.title in first["html"]
        note = other.add_note(activity.id, "Seinälle <b>tämä</b>", activity.headings[0])
        shown = json.loads((await events.next_event())["data"])["html"]
        assert "Seinälle &lt;b&gt;tämä&lt;/b&gt;" in shown
        from tests.conftest import hide

        hide(other, note.id)
        gone = json.loads((await events.next_event())["data"])["html"]
        assert "Seinälle" not in gone


async def test_a_thousand_idle_streams_cost_next_to_nothing(live_server, store):
    """Not a benchmark: a bound. 1,000 open streams on one event, idle for 2 s, take a
    small share of a core in the server's process (the clients are in this one too)."""
    event, _ = demo_event(store)
    token = projector.projector_token(store.secret(), event.id)
    async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0)) as many:
        responses = []
        for _ in range(1000):
            responses.append(await many.get(f"{base(live_server)}/p/{token}/stream"))
        hub = live_server.app[stream.HUB]
        assert sum(c.streams for c in hub.channels.values()) == 1000
        cpu, wall = time.process_time(), time.monotonic()
        await asyncio.sleep(2.0)
        used = (time.process_time() - cpu) / (time.monotonic() - wall)
        for response in responses:
            response.close()
    print(f"1,000 idle streams: {used * 100:.1f} % of a core")
    # Keep-alives every 0.3 s here (50 times the real rate) and the clients reading them.
    assert used < 0.5


async def test_a_head_gets_the_headers_and_is_done(live_server, phone, store):
    event, _ = demo_event(store)
    await pass_for(phone, live_server, event)
    async with asyncio.timeout(2), phone.head(
            f"{base(live_server)}/e/{event.join_code}/stream") as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/event-stream")
    assert not live_server.app[stream.HUB].channels.get(("phone", event.id))
