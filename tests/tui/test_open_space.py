"""Open space on the console: a phone's topic reaches the marketplace on the board, and
the facilitator places and unplaces it from the keys."""

from __future__ import annotations

import re

import aiohttp

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens.dialogs import ActionMenu, FieldsDialog
from facilitator.web import bind_socket
from tests.methods.conftest import activity_of
from tests.tui.test_console import SIZE, board_text, wait_until


async def test_a_phones_topic_is_placed_from_the_keys(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = activity_of(store, event, "open_space")
    store.set_activity_state(event.id, activity.id, "open")  # the console starts on it
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "Aiheita ei ole vielä ehdotettu." in board_text(app)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(base) as page:
                csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text())[1]
            form = {"csrf": csrf, "form": "topic", "title": "Välitunnit yhdessä",
                    "convener": "Maija", "description": ""}
            async with phone.post(f"{base}/a/{activity.id}", data=form,
                                  allow_redirects=False) as sent:
                assert sent.status == 303
        await wait_until(pilot, lambda: "Aiheet ilman paikkaa (1)" in board_text(app))
        assert "Maija: Välitunnit yhdessä" in board_text(app)
        [topic] = store.notes(activity.id)

        # a → the menu → "place": nothing comes chosen (a guess is a wrong placing a key
        # away); the topic, then the second free cell, then save.
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionMenu))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        assert app.screen.values() == {"topic": "", "cell": ""}
        await pilot.press("enter", "down", "enter", "tab", "enter", "down", "down", "enter",
                          "ctrl+s")
        await wait_until(pilot, lambda: "(0) Välitu" in board_text(app))
        assert store.note(topic.id).data["space"] == "Tila B"
        row = next(line for line in board_text(app).splitlines() if line.startswith("Tila B"))
        assert "(0) Välitu" in row  # spaces down, the first window across
        assert "Aiheet ilman paikkaa" not in board_text(app)

        # a → the menu → "unplace" (the second action): back to waiting for a place.
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionMenu))
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: "Aiheet ilman paikkaa (1)" in board_text(app))
        assert store.note(topic.id).data["slot"] is None
