"""Prosessikävely on the console: a phone's note over real HTTP appears under its station,
and the facilitator moves the groups on with `n`, restarts the clock with `t` and writes a
station's summary from the `a` menu."""

from __future__ import annotations

import aiohttp
from textual.widgets import OptionList, TextArea

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.conftest import csrf_of
from tests.tui.test_console import SIZE, board_text, rendered, wait_until

STATIONS = ("Mistä puhumme paljon?", "Mistä puhumme vähän?", "Mistä ei puhuta, mutta pitäisi?")


def open_walk(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "open")  # the console starts on it
    return event, walk


def toasts(app) -> str:
    return " ".join(rendered(t) for t in app.screen.query("Toast"))


async def test_a_phones_note_appears_under_its_station(store):
    event, walk = open_walk(store)
    group_2 = store.groups(walk.id)[1]
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: "Kierros 1/3" in board_text(app))
        board = board_text(app)
        assert "Ei vielä vastauksia." in board
        assert "Seuraavaan siirtymään" in board
        [header] = [line for line in board.splitlines() if "▶ 1" in line]
        assert [cell.strip() for cell in header.split("│")] == ["Pysäkki", "▶ 1", "2", "3"]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(f"{url}/g/{group_2.id}") as page:  # the group's QR code
                csrf = csrf_of(await page.text())
            form = {"csrf": csrf, "form": "note", "station": STATIONS[1],
                    "text": "[b]Arviointi[/b] puuttuu"}
            async with phone.post(f"{url}/a/{walk.id}", data=form,
                                  allow_redirects=False) as sent:
                assert sent.status == 303

        await wait_until(pilot, lambda: "Arviointi" in board_text(app))
        board = " ".join(board_text(app).split())  # as read, whatever the wrapping
        assert f"2. {STATIONS[1]} (1)" in board
        assert "• Ryhmä 2, kierros 1: [b]Arviointi[/b] puuttuu" in board  # literal, no markup


async def test_n_moves_the_groups_t_restarts_the_clock_and_a_writes_a_summary(store):
    _, walk = open_walk(store)
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected.id == walk.id
        await pilot.press("n")
        assert store.activity(walk.id).round == 2
        await wait_until(pilot, lambda: "▶ 2" in board_text(app))
        await wait_until(pilot, lambda: "Kierros 2/3 alkoi" in toasts(app))
        await pilot.press("n")
        assert store.activity(walk.id).round == 3

        # After the last round `n` says why it does nothing.
        await pilot.press("n")
        await wait_until(pilot, lambda: "Tämä on jo viimeinen kierros (3/3)." in toasts(app))
        assert store.activity(walk.id).round == 3

        # `t` restarts this round's clock (here one that ran out long ago).
        with store.db.conn:
            store.db.execute("UPDATE activities SET round_started_at = ? WHERE id = ?",
                             ["2020-01-01T09:00:00+00:00", walk.id])
        await pilot.press("t")
        restarted = store.activity(walk.id)
        assert restarted.round == 3 and restarted.round_started_at > "2020-01-01T09:00:00+00:00"

        # `a`: the second station's summary, typed into its dialog.
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen is not screen)
        menu = app.screen.query_one(OptionList)
        for _ in range(10):
            if menu.highlighted is not None and (
                    menu.get_option_at_index(menu.highlighted).id == "summary-2"):
                break
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.click(TextArea)
        await pilot.press(*"Arviointi")
        await pilot.click("#ok")
        await wait_until(pilot, lambda: app.screen is screen)
        [summary] = [n for n in store.notes(walk.id) if n.kind == "summary"]
        assert (summary.heading, summary.text) == (STATIONS[1], "Arviointi")
        await wait_until(pilot, lambda: "Arviointi" in board_text(app))
        assert app.is_running


async def test_g_shows_each_groups_own_code_and_a_phone_scanning_it_joins_that_group(store):
    """The per-table QR codes, as the facilitator shows them and a phone opens them."""
    event, walk = open_walk(store)
    groups = store.groups(walk.id)
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        url = rendered(app.screen.query_one("#group-url"))
        assert f"{base}/e/{event.join_code}/g/{groups[0].id}" in url
        await pilot.press("down")  # the next group: its own code and link
        await pilot.pause()
        url = " ".join(rendered(app.screen.query_one("#group-url")).split())
        assert url.startswith("Ryhmä 2 ") and url.endswith(f"/g/{groups[1].id}")
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as phone, phone.get(
                url.split()[-1]) as page:
            assert page.status == 200
            assert "Valittu ryhmä: Ryhmä 2" in await page.text()
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen.query("#group-url")) == 0  # back on the event
    [member] = store.db.execute("SELECT group_id FROM members").fetchall()
    assert member == (groups[1].id,)
