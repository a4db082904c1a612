"""Tunnerivi on the console: a phone's place over real HTTP appears on the line, and the
facilitator moves the room between rounds with `n` and the `a` menu."""

from __future__ import annotations

import aiohttp
from textual.geometry import Region

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.conftest import csrf_of
from tests.tui.test_console import board_text, wait_until

#: A projector-sized console: the line's bars fit unwrapped beside the programme.
SIZE = (200, 50)


def open_line(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "emotion_line")
    store.set_activity_state(event.id, activity.id, "open")  # the console starts on it
    return event, activity


def toasts(app) -> str:
    """What the notifications draw, padding included (a short one is all padding inside
    its content size), words joined by single spaces (they wrap)."""
    lines = [strip.text for toast in app.screen.query("Toast")
             for strip in toast.render_lines(Region(0, 0, *toast.outer_size))]
    return " ".join(" ".join(lines).split())


async def test_a_phones_place_appears_on_the_line(store):
    event, activity = open_line(store)
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: "Kierros 1/2: alkukierros" in board_text(app))
        assert "Ei vielä vastauksia." in board_text(app)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(url) as page:
                csrf = csrf_of(await page.text())
            form = {"csrf": csrf, "form": "position", "position": "4",
                    "reason": "[b]Uusia[/b] mahdollisuuksia"}
            async with phone.post(f"{url}/a/{activity.id}", data=form,
                                  allow_redirects=False) as sent:
                assert sent.status == 303

        await wait_until(pilot, lambda: "Uusia" in board_text(app))
        board = board_text(app)
        assert "Janalla 1 · en osaa sanoa 0 · mediaani: kiinnostaa · keskiarvo: 4,0" in board
        assert "Vastauksia: 1" in board
        [bar] = [line for line in board.splitlines() if "█" in line]  # one place taken
        assert bar.startswith("kiinnostaa") and bar.rstrip().endswith("█ 1")
        assert "kiinnostaa (1)" in board  # the reasons, under their place
        assert "• [b]Uusia[/b] mahdollisuuksia" in board  # literal, never markup


async def test_rounds_move_with_n_and_the_actions_menu(store):
    _, activity = open_line(store)
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected.id == activity.id
        await pilot.press("n")
        assert store.activity(activity.id).round == 2
        await wait_until(pilot, lambda: "Kierros 2/2: loppukierros" in board_text(app))
        await wait_until(pilot, lambda: "Kierros nyt: loppukierros" in toasts(app))
        assert "Muutos kierrosten välillä" in board_text(app)

        # The last round: `n` is hidden and does nothing.
        assert not screen.check_action("method_action", ("next_round",))
        await pilot.press("n")
        assert store.activity(activity.id).round == 2

        # Pressed by mistake? The menu goes back.
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen is not screen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.activity(activity.id).round == 1)
        await wait_until(pilot, lambda: "Kierros 1/2: alkukierros" in board_text(app))

        # Another console moved on meanwhile: this one's `n` is refused, and says why.
        store.set_round(activity.id, 2)
        await pilot.press("n")
        await wait_until(pilot, lambda: "Tämä on jo viimeinen kierros (loppukierros)."
                         in toasts(app))
        assert store.activity(activity.id).round == 2
        assert app.is_running
