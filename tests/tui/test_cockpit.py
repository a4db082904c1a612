"""The cockpit, driven as a facilitator would on seminar 2: moderate a note with keys and
see the effect where a person sees it — on another phone's page over real HTTP, in the
memo — write results, cards and agreements, and follow what another terminal does."""

from __future__ import annotations

import re

import aiohttp
import pytest

from facilitator import templates
from facilitator.memo import build_memo, render_markdown
from facilitator.storage import Store, open_db
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens.agreements import AgreementsScreen
from facilitator.tui.screens.dialogs import Confirm, FieldsDialog
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.widgets import Board
from facilitator.web import bind_socket
from tests.tui.test_console import SIZE, board_text, wait_until


def toasts(app) -> str:
    return " ".join(str(t.render()) for t in app.screen.query("Toast"))


@pytest.fixture
def seminar(store):
    """Seminaari 2 with its process walk open: the phones of a group read the notes left
    at their station, so what one phone sends the next one sees."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


class Phone:
    """A phone with its own cookies, over real HTTP, in the walk's first group."""

    def __init__(self, base: str, code: str):
        self.base, self.url = base, f"{base}/e/{code}"
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def join(self, group) -> None:
        """Scan the group's QR code (the first visit sets the cookie, then joins)."""
        async with self.session.get(f"{self.url}/g/{group.id}") as r:
            assert r.status == 200

    async def page(self) -> str:
        async with self.session.get(self.url) as r:
            assert r.status == 200
            return await r.text()

    async def note(self, activity, station: str, text: str) -> None:
        csrf = re.search(r'name="csrf" value="([^"]+)"', await self.page())[1]
        form = {"csrf": csrf, "form": "note", "station": station, "text": text}
        async with self.session.post(f"{self.url}/a/{activity.id}", data=form,
                                     allow_redirects=False) as r:
            assert r.status == 303, await r.text()

    async def close(self) -> None:
        await self.session.close()


async def room(store, seminar):
    """The console with its server, and two phones of the walk's first group."""
    event, _activity = seminar
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    return app, Phone(base, event.join_code), Phone(base, event.join_code)


async def joined(store, activity, *phones: Phone) -> None:
    group = store.groups(activity.id)[0]
    for phone in phones:
        await phone.join(group)


def memo(store, event) -> str:
    return render_markdown(build_memo(store, event.id))


async def focus_note(pilot, app, text: str) -> Board:
    """Tab to the board and move the cursor to the note with this text."""
    board = app.screen.query_one(Board)
    if app.screen.focused is not board:
        await pilot.press("tab")
    await wait_until(pilot, lambda: board.rows > 0)
    await pilot.press("home")
    for _ in range(board.rows):
        if board.highlighted is not None and board.highlighted.text == text:
            return board
        await pilot.press("down")
    raise AssertionError(f"{text!r} is not on the board")


async def test_a_rude_note_is_hidden_in_two_keys_and_gone_for_everyone_else(store, seminar):
    event, activity = seminar
    area = activity.config["stations"][0]
    app, a, b = await room(store, seminar)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await joined(store, activity, a, b)
        await a.note(activity, area, "Hyvä yhteistyö kuntien kanssa")
        await a.note(activity, area, "Rehtori X on täysi idiootti")
        await wait_until(pilot, lambda: "täysi idiootti" in board_text(app))
        assert "täysi idiootti" in await b.page()
        # The newest note is the board's first row: tab to the board, h.
        await pilot.press("tab", "h")
        hidden = "[piilotettu] Ryhmä 1, kierros 1: Rehtori X"
        await wait_until(pilot, lambda: hidden in board_text(app))
        assert "u kumoaa" in toasts(app)
        assert "täysi idiootti" not in await b.page()
        assert "täysi idiootti" not in memo(store, event)
        assert "Hyvä yhteistyö" in await b.page()
        await pilot.press("u")  # undo: back for everyone
        await wait_until(pilot, lambda: "[piilotettu]" not in board_text(app))
        assert "täysi idiootti" in await b.page()
    await a.close()
    await b.close()


async def test_a_typo_is_fixed_others_see_the_fix_the_console_the_original(store, seminar):
    event, activity = seminar
    area = activity.config["stations"][0]
    app, a, b = await room(store, seminar)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await joined(store, activity, a, b)
        await a.note(activity, area, "Yhteistyä on vähäistä")
        await wait_until(pilot, lambda: "Yhteistyä" in board_text(app))
        await focus_note(pilot, app, "Yhteistyä on vähäistä")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        dialog = app.screen
        dialog.query_one("#field-text").text = "Yhteistyö on vähäistä"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Yhteistyö on vähäistä" in board_text(app))
        [note] = store.notes(activity.id)
        assert note.original == "Yhteistyä on vähäistä"
        detail = str(app.screen.query_one("#note-detail").render())
        assert "Alkuperäinen: Yhteistyä on vähäistä" in detail
        page = await b.page()
        assert "Yhteistyö on vähäistä" in page and "Yhteistyä" not in page
        assert "Yhteistyä" not in memo(store, event)
    await a.close()
    await b.close()


async def test_pre_moderated_notes_wait_for_approval(store, seminar):
    event, activity = seminar
    area = activity.config["stations"][0]
    app, a, b = await room(store, seminar)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await joined(store, activity, a, b)
        await pilot.press("p")  # pre-moderation on for the highlighted activity
        await wait_until(pilot, lambda: store.activity(activity.id).premoderated)
        await a.note(activity, area, "Tarvitaan yhteinen foorumi")
        waiting = "[odottaa] Ryhmä 1, kierros 1: Tarvitaan"
        await wait_until(pilot, lambda: waiting in board_text(app))
        mine = await a.page()
        assert "Tarvitaan yhteinen foorumi" in mine and "odottaa hyväksyntää" in mine
        assert "Tarvitaan yhteinen foorumi" not in await b.page()
        assert "Tarvitaan yhteinen foorumi" not in memo(store, event)
        await focus_note(pilot, app, "Tarvitaan yhteinen foorumi")
        await pilot.press("y")
        await wait_until(pilot, lambda: "[odottaa]" not in board_text(app))
        assert "Tarvitaan yhteinen foorumi" in await b.page()
        assert "Tarvitaan yhteinen foorumi" in memo(store, event)
    await a.close()
    await b.close()


async def test_two_duplicates_merge_into_one_for_the_room(store, seminar):
    event, activity = seminar
    area = activity.config["stations"][0]
    app, a, b = await room(store, seminar)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await joined(store, activity, a, b)
        await a.note(activity, area, "Lisää kuraattoreita")
        await b.note(activity, area, "Kuraattoreita lisää")
        await wait_until(pilot, lambda: "Kuraattoreita lisää" in board_text(app))
        board = await focus_note(pilot, app, "Kuraattoreita lisää")
        await pilot.press("space")  # the duplicate; then to the one that stays
        await focus_note(pilot, app, "Lisää kuraattoreita")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.click("#yes")
        await wait_until(pilot, lambda: "(+1)" in board_text(app))
        assert not board.selected
        page = await b.page()
        assert "Lisää kuraattoreita" in page and "Kuraattoreita lisää" not in page
        text = memo(store, event)
        assert text.count("uraattoreita") == 1
    await a.close()
    await b.close()


async def test_spam_from_one_device_is_hidden_at_once_and_undone_at_once(store, seminar):
    _event, activity = seminar
    area = activity.config["stations"][0]
    app, a, b = await room(store, seminar)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await joined(store, activity, a, b)
        for n in range(4):
            await a.note(activity, area, f"MAINOS {n}")
        await b.note(activity, area, "Oikea ajatus")
        await wait_until(pilot, lambda: "MAINOS 3" in board_text(app))
        await focus_note(pilot, app, "MAINOS 2")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.click("#yes")
        spam = "[piilotettu] Ryhmä 1, kierros 1: MAINOS"
        await wait_until(pilot, lambda: board_text(app).count(spam) == 4)
        assert "MAINOS" not in await b.page() and "Oikea ajatus" in await b.page()
        await pilot.press("u")
        await wait_until(pilot, lambda: "[piilotettu]" not in board_text(app))
    await a.close()
    await b.close()


async def test_results_card_and_agreements_are_written_in_the_console_and_reach_the_memo(
        store, seminar):
    event, walk = seminar
    store.set_activity_state(event.id, walk.id, "closed")
    activity = next(a for a in store.activities(event.id) if a.method == "treasure_map")
    store.set_activity_state(event.id, activity.id, "open")
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.selected.id == activity.id
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        await pilot.press(*"Yhteinen foorumi", "enter", *"kahdesti vuodessa", "ctrl+s")
        await wait_until(pilot, lambda: store.activity(activity.id).summary != "")
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        app.screen.query_one("#field-how").text = "Aarrekartta neljässä pöydässä"
        await pilot.press("ctrl+s")
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        await pilot.press(*"Kutsu koolle foorumi", "tab", *"Maija", "tab", *"31.1.2027",
                          "ctrl+s")
        await wait_until(pilot, lambda: store.action_items(event.id) != [])
        await pilot.press("escape")
    assert store.activity(activity.id).summary == "Yhteinen foorumi\nkahdesti vuodessa"
    [item] = store.action_items(event.id)
    assert (item.what, item.who, item.due) == ("Kutsu koolle foorumi", "Maija", "31.1.2027")
    text = memo(store, event)
    assert "• Aarrekartta neljässä pöydässä" in text  # the part's card, how we worked
    assert "Yhteinen foorumi" in text.split("## 4.")[1].split("## 5.")[0]
    assert "| Kutsu koolle foorumi | Maija | 31.1.2027 |" in text


async def test_an_activity_opened_from_another_terminal_comes_onto_the_board(
        store, seminar, db_path):
    event, _ = seminar
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "closed")
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.selected.id != walk.id
        other = Store(open_db(db_path))  # what `facilitator open EVENT ACTIVITY` does
        other.set_activity_state(event.id, walk.id, "open")
        await wait_until(pilot, lambda: app.screen.selected.id == walk.id, 1.5)
        assert "Prosessikävely" in board_text(app)
        other.set_round(walk.id, 2)  # `facilitator next` in another terminal
        await wait_until(pilot, lambda: "Kierros 2/3" in board_text(app), 1.5)


async def test_ctrl_p_finds_go_to_activity_and_help_lists_the_boards_keys(store, seminar):
    _event, _treasure = seminar
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Siirry: Aarrekartta")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.selected is not None
                         and app.screen.selected.method == "treasure_map")
        board = app.screen.query_one(Board)
        while app.screen.focused is not board:
            await pilot.press("tab")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for name in ("Piilota", "Korjaa", "Yhdistä", "Hyväksy", "Kumoa"):
            assert name in shown
