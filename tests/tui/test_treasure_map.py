"""Aarrekartta on the console: a phone's note over real HTTP appears in its area."""

from __future__ import annotations

import aiohttp

from facilitator import templates
from facilitator.methods.treasure_map import areas
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.conftest import csrf_of
from tests.tui.test_console import board_text, wait_until

#: Wide enough for the areas side by side (a projector-sized console).
SIZE = (200, 50)


async def test_a_phones_note_appears_in_its_area_on_the_board(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "treasure_map")
    store.set_activity_state(event.id, activity.id, "open")  # the console starts on it
    steps = areas(activity)[-1]
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: "Ei vielä vastauksia." in board_text(app))
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(url) as page:
                csrf = csrf_of(await page.text())
            form = {"csrf": csrf, "form": "note", "area": steps,
                    "text": "Yhteinen foorumi kahdesti vuodessa"}
            async with phone.post(f"{url}/a/{activity.id}", data=form,
                                  allow_redirects=False) as sent:
                assert sent.status == 303

        await wait_until(pilot, lambda: "Yhteinen foorumi" in board_text(app))
        lines = board_text(app).splitlines()
        # Each area with its count, the steps forward last; the note whole on its own row
        # (side by side, four areas cut every note to a few characters).
        assert "Missä olemme nyt? (0)" in lines
        steps_at = lines.index("Mitkä askeleet vievät työtä eteenpäin? (1)")
        assert lines[steps_at + 1] == "• Yhteinen foorumi kahdesti vuodessa"
        assert all(lines.index(f"{a} (0)") < steps_at for a in areas(activity)[:-1])


async def test_the_map_has_no_round_timer_or_action_keys(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "treasure_map")
    store.set_activity_state(event.id, activity.id, "open")
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected.id == activity.id
        # Nothing to move on or time: the keys are hidden and pressing them changes nothing.
        for action, params in (("actions", ()), ("method_action", ("next_round",)),
                               ("method_action", ("restart_timer",))):
            assert not screen.check_action(action, params)
        await pilot.press("n", "t", "a")
        assert store.activity(activity.id).round == 1
        assert app.screen is screen
