"""Porinaryhmät on the console: a group's point sent over HTTP appears under its group,
`t` starts the time box again, and merging two groups' points on the board (select one
with space, move to the other, `m`) marks them as one item — all from the keys."""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens import EventScreen
from facilitator.tui.screens.dialogs import Confirm
from facilitator.tui.widgets import Board
from facilitator.web import bind_socket
from tests.forms import page_forms
from tests.tui.test_console import SIZE, board_text, wait_until

OLD_START = "2020-01-01T09:00:00+00:00"


def toasts(app) -> str:
    return " ".join(str(t.render()) for t in app.screen.query("Toast"))


@pytest.fixture
def buzz(store):
    """Seminaari 2 with its buzz groups open: the console starts on them."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "buzz_groups")
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


def point(store, activity, group: int, text: str):
    g = store.groups(activity.id)[group - 1]
    return store.add_note(activity.id, text, g.name, kind="point", group_id=g.id)


async def test_a_point_sent_from_a_phone_appears_under_its_group(store, buzz):
    event, activity = buzz
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        await wait_until(pilot, lambda: "Ryhmä 3 · kohtia 0/2 · 0 jäsentä" in board_text(app))
        ryhma3 = store.groups(activity.id)[2]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            base = f"http://127.0.0.1:{port}"
            async with phone.get(f"{base}/e/{event.join_code}/g/{ryhma3.id}") as r:
                form = next(f for f in page_forms(await r.text()) if f.name == "point")
            async with phone.post(base + form.action, data=form.fill("Kummioppilaat"),
                                  allow_redirects=False) as sent:
                assert sent.status == 303
        await wait_until(pilot, lambda: "Ryhmä 3 · kohtia 1/2 · 1 jäsen" in board_text(app))
        board = board_text(app)
        assert board.index("Ryhmä 3 · kohtia 1/2") < board.index("Kummioppilaat")
        assert board.index("Kummioppilaat") < board.index("Ryhmä 4 · kohtia 0/2")
        assert "Aikaa jäljellä" in board


async def test_t_starts_the_time_box_again(store, buzz):
    _, activity = buzz
    store.db.execute("UPDATE activities SET round_started_at = ? WHERE id = ?",
                     [OLD_START, activity.id])
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: "Aikaa jäljellä 0:00" in board_text(app))
        await pilot.press("t")
        await wait_until(pilot, lambda: store.activity(activity.id).round_started_at != OLD_START)
        await wait_until(pilot, lambda: "Aikaa jäljellä 9:5" in board_text(app)
                         or "Aikaa jäljellä 10:00" in board_text(app))
        await wait_until(pilot, lambda: "Aika alkoi alusta: 10 min." in toasts(app))


async def test_merging_two_groups_points_on_the_board_marks_one_item(store, buzz):
    _, activity = buzz
    coffee = point(store, activity, 1, "Yhteinen kahvihuone")
    point(store, activity, 1, "Tutorit")
    same = point(store, activity, 2, "Kahvihuone kaikille")
    point(store, activity, 3, "Kummioppilaat")
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # to the board: the cursor on its first note
        board = app.screen.query_one(Board)
        assert board.highlighted.id == coffee.id
        await pilot.press("m")  # nothing selected: it says how, and merges nothing
        await wait_until(pilot, lambda: "välilyönnillä" in toasts(app))
        await pilot.press("space")  # select "Yhteinen kahvihuone"; the cursor moves on
        while board.highlighted.id != same.id:
            await pilot.press("down")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.click("#yes")
        await wait_until(pilot, lambda: store.note(coffee.id).ref_id == same.id)
        await wait_until(pilot, lambda: "Usean ryhmän esiin nostamat (1)" in board_text(app))
        assert "Sama asia myös ryhmällä 2: Yhteinen kahvihuone" in board_text(app)
        await wait_until(pilot, lambda: "u kumoaa" in toasts(app))
        await pilot.press("u")  # a wrong merge is one key from undone
        await wait_until(pilot, lambda: store.note(coffee.id).ref_id is None)
        assert "Usean ryhmän esiin nostamat" not in board_text(app)
