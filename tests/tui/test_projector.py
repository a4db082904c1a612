"""The console's `v`: the projector's address as text and QR code, and what the room sees
on it, set in the database where the server (or a `serve` elsewhere) reads it."""

from __future__ import annotations

from facilitator import templates
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.projector import ProjectorDialog
from facilitator.tui.widgets.qr import QRCode
from facilitator.web import projector
from tests.tui.test_buzz_groups import toasts
from tests.tui.test_console import SIZE, wait_until


async def test_v_shows_the_projector_address_and_sets_what_the_room_sees(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    url = f"http://192.168.1.20:8080/p/{projector.projector_token(store.secret(), event.id)}"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorDialog))
        assert app.screen.query_one("#projector-qr", QRCode).data == url
        assert url in str(app.screen.query_one("#projector-url").render())
        await pilot.press("enter")  # the first choice: the join screen
        await wait_until(pilot, lambda: projector.mode(store, event.id).show == "join")
        await pilot.press("down", "down", "down", "enter")  # freeze
        await wait_until(pilot, lambda: projector.mode(store, event.id).frozen)
        await app.workers.wait_for_complete()  # the writes run on the writer thread
        await pilot.pause()
        assert "Nyt: liittymisnäkymä · pysäytetty" in toasts(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProjectorDialog))
        app.screen.action_projector_mode("starred")
        await app.workers.wait_for_complete()
        assert projector.mode(store, event.id) == projector.Mode("join", True, True)


async def test_a_step_in_the_console_reaches_the_phones_stream_in_the_same_process(store):
    """The console writes through the server's own connection (no data_version change):
    the hub sees it by the connection's total changes and tells the phones within 1 s."""
    import asyncio
    import json
    import time

    import aiohttp

    from facilitator.web import bind_socket
    from tests.web.test_streams import Events

    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot, aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        await pilot.pause()
        async with phone.get(f"{base}/e/{event.join_code}") as r:
            assert r.status == 200
        async with phone.get(f"{base}/e/{event.join_code}/stream") as r:
            events = Events(r)
            assert json.loads((await events.next_event())["data"])["open"] == [activity.id]
            started = time.monotonic()
            await pilot.press("c")  # the console closes the open activity
            reader = asyncio.ensure_future(events.next_event(wait=3))
            while not reader.done():
                await pilot.pause(0.05)
            assert json.loads(reader.result()["data"])["open"] == []
            assert time.monotonic() - started < 1.0


async def test_show_the_activity_shows_the_highlighted_one_even_closed(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    first = store.activities(event.id)[0]
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.screen.select_activity(first.id)
        await pilot.pause()
        app.screen.action_projector_mode("activity")
        await app.workers.wait_for_complete()  # the writes run on the writer thread
        assert projector.mode(store, event.id) == projector.Mode("activity", activity=first.id)
        app.screen.action_projector_mode("auto")
        await app.workers.wait_for_complete()
        assert projector.mode(store, event.id) == projector.Mode()


async def test_v_offers_a_choice_per_workshop_and_the_whole_event(store):
    from textual.widgets import OptionList

    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    w1, w2, w3 = store.workshops(event.id)
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorDialog))
        choices = app.screen.query_one("#projector-choices", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert ids[-4:] == [f"workshop:{w1.id}", f"workshop:{w2.id}", f"workshop:{w3.id}",
                            "workshop:all"]
        await pilot.press(*["down"] * ids.index(f"workshop:{w2.id}"), "enter")
        await wait_until(pilot, lambda: projector.mode(store, event.id).workshop == w2.id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"Nyt: automaattinen · työpaja {w2.name}" in toasts(app)
        await pilot.press("down", "down", "enter")  # the whole event again
        await wait_until(pilot, lambda: projector.mode(store, event.id).workshop is None)


async def test_v_offers_no_workshop_choice_without_workshops(store):
    from textual.widgets import OptionList

    store.create_event(templates.load(templates.resolve("demo")))
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorDialog))
        choices = app.screen.query_one("#projector-choices", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert not any(i.startswith("workshop:") for i in ids)
