"""The facilitator's console, driven as a facilitator would: keys in, screen out.

A real SQLite file, the bundled demo template and, where phones matter, a real participant
server on 127.0.0.1 reached over real HTTP.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import signal
import socket
import time
import tomllib
from pathlib import Path

import aiohttp
import pytest
from textual.geometry import Region
from textual.widget import Widget

from facilitator import templates
from facilitator.storage import StateError, Store, open_db
from facilitator.tui import FacilitatorApp
from facilitator.tui.messages import StoreChanged
from facilitator.tui.screens import EventScreen, HomeScreen
from facilitator.tui.widgets import Board, Programme, QRCode
from facilitator.tui.widgets.qr import half_block_strips, qr_matrix
from facilitator.web import bind_socket

# Wide enough that the board (between the programme and the QR code) shows notes whole.
SIZE = (160, 48)
LOCALE = Path(__file__).resolve().parents[2] / "facilitator" / "locale"


@pytest.fixture
def event(store):
    return store.create_event(templates.load(templates.resolve("demo")))


def rendered(widget: Widget) -> str:
    """What the widget draws, as plain text, line by line."""
    width, height = widget.size
    return "\n".join(s.text for s in widget.render_lines(Region(0, 0, width, height)))


def text_in(node: Widget) -> str:
    """Everything the texts inside `node` draw (Label is a Static too)."""
    return "\n".join(rendered(w) for w in node.query("Static"))


def board_text(app: FacilitatorApp) -> str:
    """The board's header and every line of the board, lists read in full (as a person
    scrolling through it would read them)."""
    screen = app.screen
    return rendered(screen.query_one("#board-title")) + "\n" + screen.query_one(Board).text()


def programme_text(app: FacilitatorApp) -> str:
    return text_in(app.screen.query_one(Programme))


async def wait_until(pilot, condition, within: float = 2.0) -> float:
    """Seconds until `condition()` held; fails after `within` seconds."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > within:
            raise AssertionError(f"not true within {within} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


def port_is_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class TestLiveRoom:
    async def test_a_phone_joins_and_its_note_appears_on_the_board(self, store, event):
        sock = bind_socket("127.0.0.1", 0)
        port = sock.getsockname()[1]
        app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, EventScreen)  # the only event opens directly
            assert app.base_urls == [f"http://127.0.0.1:{port}"]
            assert rendered(app.screen.query_one("#join-url")).strip() == (
                f"http://127.0.0.1:{port}/e/{event.join_code}"
            )
            first = store.activities(event.id)[0]
            await pilot.press("o")
            assert store.activity(first.id).state == "open"

            base = f"http://127.0.0.1:{port}/e/{event.join_code}"
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
                async with phone.get(base) as page:
                    assert page.status == 200
                    csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text())[1]
                form = {"csrf": csrf, "text": "Toivon käytännön esimerkkejä"}
                async with phone.post(f"{base}/a/{first.id}", data=form,
                                      allow_redirects=False) as sent:
                    assert sent.status == 303

            await wait_until(pilot, lambda: "Toivon käytännön esimerkkejä" in board_text(app))
            participants = rendered(app.screen.query_one("#participants"))
            assert re.search(r"Osallistujia\s+1\b", participants), participants
        assert not port_is_open(port)

    async def test_a_flood_of_notes_redraws_at_most_ten_times_a_second(self, store, event):
        refreshes = []

        def count(message):
            if isinstance(message, StoreChanged):
                refreshes.append(message)

        first = store.activities(event.id)[0]
        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE, message_hook=count) as pilot:
            await pilot.pause()
            start = time.monotonic()
            for n in range(400):
                note = store.add_note(first.id, f"muistiinpano {n}")
                app.server_changed("note", note)  # what the server calls after each commit
                if n % 20 == 0:
                    await asyncio.sleep(0.01)  # the server yields between requests
            await wait_until(pilot, lambda: "muistiinpano 399" in board_text(app))
            elapsed = time.monotonic() - start
        assert 1 <= len(refreshes) <= 10 * elapsed + 2, (len(refreshes), elapsed)

    async def test_the_port_is_closed_after_the_app_exits(self, store, event):
        sock = bind_socket("127.0.0.1", 0)
        port = sock.getsockname()[1]
        app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert port_is_open(port)
            await pilot.press("ctrl+q")
        assert app.return_code == 0
        assert not port_is_open(port)

    async def test_sigterm_exits_cleanly(self, store, event):
        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert signal.SIGTERM in app.handled_signals  # never send it without the handler
            os.kill(os.getpid(), signal.SIGTERM)
            await pilot.pause(0.1)
            assert not app.is_running
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


class TestLiteralText:
    async def test_markup_in_notes_titles_and_headings_is_shown_as_typed(self, store):
        demo = templates.load(templates.resolve("demo"))
        part = demo.parts[1]
        activity = dataclasses.replace(part.activities[0], headings=("[red]A[/]", "B"))
        demo = dataclasses.replace(
            demo,
            title="[b]Ilta[/b] [@click=app.quit]q[/]",
            parts=(demo.parts[0], dataclasses.replace(part, activities=(activity,))),
        )
        event = store.create_event(demo)
        target = store.activities(event.id)[1]
        store.set_activity_state(event.id, target.id, "open")
        store.add_note(target.id, "[@click=app.quit]x[/]", "[red]A[/]")
        store.add_note(target.id, "[bold]y[/]", "B")

        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            text = board_text(app)
            for literal in ("[@click=app.quit]x[/]", "[bold]y[/]", "[red]A[/]"):
                assert literal in text
            title = rendered(app.screen.query_one("#event-title"))
            assert "[b]Ilta[/b] [@click=app.quit]q[/]" in title
            # Clicking where the links would be, were this markup, must do nothing.
            await pilot.click("#event-title", offset=(5, 0))
            await pilot.click("#board", offset=(2, 1))
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, EventScreen)


class TestActivityState:
    async def test_close_and_reopen_with_keys(self, store, event):
        first = store.activities(event.id)[0]
        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("o")
            assert store.activity(first.id).state == "open"
            assert "● auki" in programme_text(app)
            await pilot.press("c")
            assert store.activity(first.id).state == "closed"
            assert "■ suljettu" in programme_text(app)
            await pilot.press("o")
            assert store.activity(first.id).state == "open"
            # On a draft, `c` is dimmed and does nothing.
            await pilot.press("down", "c")
            second = store.activities(event.id)[1]
            assert store.activity(second.id).state == "draft"
            assert app.is_running

    async def test_a_refused_change_is_a_notification_not_a_crash(self, store, event, monkeypatch):
        def refuse(*args):
            raise StateError("activity 1 is draft; cannot make it closed")

        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            monkeypatch.setattr(store, "set_activity_state", refuse)
            await pilot.press("o")
            await pilot.pause()
            toasts = " ".join(rendered(t) for t in app.screen.query("Toast"))
            assert "Tehtävän tilaa ei voitu muuttaa" in toasts
            assert app.is_running

    async def test_a_change_from_another_process_appears_within_a_second(
        self, store, event, db_path
    ):
        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            first = store.activities(event.id)[0]
            cli = Store(open_db(db_path))  # what `facilitator open EVENT ACTIVITY` does
            cli.set_activity_state(event.id, first.id, "open")
            waited = await wait_until(pilot, lambda: "● auki" in programme_text(app), 1.5)
            assert waited < 1.5
            cli.add_note(first.id, "Kirjoitettu toisesta prosessista")
            await wait_until(pilot, lambda: "toisesta prosessista" in board_text(app), 1.5)
            assert store.participant_count(event.id) == 0


class TestHome:
    async def test_a_template_starts_an_event_and_escape_returns_home(self, store):
        app = FacilitatorApp(store, lang="en", base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            names = [i.name for i in templates.bundled()]
            await pilot.press(*["down"] * names.index("demo"), "enter")
            await pilot.pause()
            assert isinstance(app.screen, EventScreen)
            [created] = store.events()
            assert created.title == "Kokeiluseminaari (demo)"
            assert "Programme" in rendered(app.screen.query_one("#programme-pane .pane-title"))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert created.join_code in text_in(app.screen.query_one("#events"))

    async def test_the_given_event_opens_straight_away(self, store):
        demo = templates.load(templates.resolve("demo"))
        store.create_event(demo)
        second = store.create_event(demo)
        app = FacilitatorApp(store, event_id=second.join_code, base_urls=["http://h:1"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, EventScreen)
            assert app.screen.event.id == second.id


class TestQRCode:
    URL = "http://192.168.100.200:8080/e/ABCDE?g=1"  # 40 characters

    def test_size_and_colours(self):
        strips = half_block_strips(qr_matrix(self.URL))
        assert (strips[0].cell_length, len(strips)) == (33, 17)
        colours = {
            (seg.style.color.name, seg.style.bgcolor.name)
            for strip in strips for seg in strip
        }
        assert colours <= {(a, b) for a in ("#000000", "#ffffff") for b in ("#000000", "#ffffff")}
        assert {seg.text[0] for strip in strips for seg in strip} == {"▀"}
        # The quiet zone is light all round.
        assert strips[0].text and all(
            seg.style.color.name == "#ffffff" for seg in strips[0]
        )

    def test_matrix_has_a_two_module_quiet_zone(self):
        matrix = qr_matrix(self.URL)
        for row in (*matrix[:2], *matrix[-2:]):
            assert not any(row)
        assert not any(row[0] or row[1] or row[-1] or row[-2] for row in matrix)

    async def test_on_screen_it_takes_its_own_size(self, store, event):
        app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            qr = app.screen.query_one(QRCode)
            assert qr.data == f"http://192.168.1.20:8080/e/{event.join_code}"
            assert tuple(qr.size) == tuple(qr.cells)


def test_every_console_string_exists_in_finnish_and_english():
    def keys(lang: str) -> set[str]:
        def walk(table, prefix=""):
            for key, value in table.items():
                if isinstance(value, dict):
                    yield from walk(value, f"{prefix}{key}.")
                else:
                    yield prefix + key

        return set(walk(tomllib.loads((LOCALE / lang / "tui.toml").read_text("utf-8"))))

    assert keys("fi") == keys("en")
    from facilitator.tui.screens.agreements import AgreementsScreen
    from facilitator.tui.screens.dialogs import ActionMenu, Confirm, FieldsDialog, GroupLinks
    from facilitator.tui.screens.help import HelpScreen
    from facilitator.tui.screens.projector import ProjectorDialog

    classes = (FacilitatorApp, EventScreen, HomeScreen, Board, FieldsDialog, Confirm,
               ActionMenu, GroupLinks, ProjectorDialog, HelpScreen, AgreementsScreen)
    bindings = [b for cls in classes for b in cls.__dict__.get("BINDINGS", [])]
    # Every binding has an id (remappable, named in the footer) and a tooltip.
    assert all(b.id and b.tooltip for b in bindings), [b for b in bindings if not b.id]
    for binding_id in {b.id for b in bindings}:
        assert {f"key.{binding_id}", f"key.{binding_id}_tip"} <= keys("fi")



async def test_run_event_serves_that_event_only(store, event):
    """`facilitator run EVENT`: another event in the same file is not reachable by its code."""
    other = store.create_event(templates.load(templates.resolve("demo")))
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1", event_id=event.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        async with aiohttp.ClientSession() as phone:
            async with phone.get(f"http://127.0.0.1:{port}/e/{event.join_code}") as r:
                assert r.status == 200
            async with phone.get(f"http://127.0.0.1:{port}/e/{other.join_code}") as r:
                assert r.status == 404
