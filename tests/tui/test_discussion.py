"""Verkkokeskustelu on the console: a team's answer sent over HTTP shows on the board,
marked new, and the facilitator marks it read from the keys."""

from __future__ import annotations

import aiohttp

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.forms import page_forms
from tests.tui.test_console import SIZE, board_text, wait_until


def board(app) -> str:
    """The board's text with its line wrapping undone (the board column is narrow)."""
    return " ".join(board_text(app).split())


async def post_form(phone, base: str, html: str, form_name: str, **fields) -> None:
    form = {f.name: f for f in page_forms(html)}[form_name]
    pairs = [(c.name, c.value) for c in form.controls if c.type == "hidden"]
    async with phone.post(base + form.action, data=pairs + list(fields.items()),
                          allow_redirects=False) as r:
        assert r.status == 303, await r.text()


async def test_an_answer_arrives_marked_new_and_a_marks_it_read(store):
    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-1")))
    [activity] = store.activities(event.id)
    sock = bind_socket("127.0.0.1", 0)
    root = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")  # the only activity is selected: open it
        assert store.activity(activity.id).state == "open"
        await wait_until(pilot, lambda: "Yksikään työryhmä ei ole vielä liittynyt." in
                         board(app))

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            url = f"{root}/e/{event.join_code}"
            async with phone.get(url) as r:
                await post_form(phone, root, await r.text(), "group", name="Tiimi A")
            async with phone.get(url) as r:
                await post_form(phone, root, await r.text(), "answer-1",
                                text="Yhteistyö [b]kuntien[/b] kanssa")

        await wait_until(pilot, lambda: "UUSI · Tiimi A: Yhteistyö [b]kuntien[/b] kanssa"
                         in board(app))
        assert "Uusia: 1" in board(app)
        assert "Työryhmät (1): Tiimi A" in board(app)

        await pilot.press("a")  # the method's actions: "Merkitse luetuiksi"
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ei uusia vastauksia eikä kommentteja." in
                         board(app))
        assert "UUSI" not in board(app)
        assert "Tiimi A: Yhteistyö [b]kuntien[/b] kanssa" in board(app)
    # Kept with the database, for the next console or a restart.
    newest = max(n.id for n in store.notes(activity.id))
    assert store.setting(f"discussion.seen.{activity.id}") == str(newest)
