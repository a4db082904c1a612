"""Äänestys (dot vote) on the console: a phone's dots show as turnout while the vote is
open, and closing it with `c` turns the board into the ranking, ties shown as ties."""

from __future__ import annotations

import re

import aiohttp

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.seed import per_phone
from tests.tui.test_console import SIZE, board_text, wait_until


async def test_a_phones_dots_count_in_the_turnout_and_close_reveals_the_ranking(store):
    event = store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))
    vote = next(a for a in store.activities(event.id) if a.method == "dot_vote")
    options = vote.config["options"]
    store.set_activity_state(event.id, vote.id, "open")  # the board shows the open one
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Äänestäneitä 0 / 0 osallistujasta" in board_text(app)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(url) as page:
                csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text())[1]
            form = [("csrf", csrf), ("form", "vote"), ("option", "4"), ("option", "6")]
            async with phone.post(f"{url}/a/{vote.id}", data=form,
                                  allow_redirects=False) as sent:
                assert sent.status == 303

        await wait_until(pilot, lambda: "Äänestäneitä 1 / 1 osallistujasta" in board_text(app))
        board = board_text(app)
        assert "Ääniä annettu yhteensä 2." in board
        assert "█" not in board  # no tally on the projector while the room still votes

        await pilot.press("c")
        assert store.activity(vote.id).state == "closed"
        await wait_until(pilot, lambda: "█" in board_text(app))
        board = board_text(app)
        # Most dots first; the two ticked options share the first place.
        lines = board.splitlines()
        first = [i for i, line in enumerate(lines) if line.startswith("1.–2. ")]
        # The board is narrow at 120 columns: labels are cut, bars shortened, no wraps.
        assert [lines[i][6:10] for i in first] == [options[3][:4], options[5][:4]], board
        assert all(lines[i].rstrip().endswith("█ 1") for i in first), board
        # The options nobody chose share no place: they read "ei ääniä".
        assert lines[first[1] + 1].startswith("ei ääniä "), board
        assert board.count("ei ääniä ") == 10 and "3.–12." not in board
