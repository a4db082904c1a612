"""Open space over real HTTP: phones propose, place, join and report through the forms the
page really shows (parsed from its HTML and posted back), and refusals come back in Finnish
with what was typed, having stored nothing."""

from __future__ import annotations

import json
import re
import sqlite3

import aiohttp
import pytest

from facilitator import templates
from tests.forms import PageForm, page_forms
from tests.methods.conftest import activity_of


def page_form(html: str, name: str) -> PageForm:
    """The form whose hidden `form` field is `name`."""
    found = [f for f in page_forms(html) if f.name == name]
    assert found, f"no form {name!r} on the page"
    return found[0]


def option(html: str, label: str) -> str:
    """The value of the drop-down choice the phone shows as `label`."""
    return re.search(rf'<option value="([^"]*)"[^>]*>{re.escape(label)}</option>', html)[1]


def fill(form: PageForm, **typed) -> list[tuple[str, str]]:
    """What a browser posts: the form's own fields, with these typed or chosen; a choice
    must be one the page offers (boxes by their values, a list of them)."""
    assert set(typed) <= {c.name for c in form.controls}, typed
    pairs = []
    for c in form.controls:
        if c.type == "checkbox":
            wanted = typed.get(c.name, [c.value] if c.checked else [])
            pairs += [(c.name, c.value)] if c.value in wanted else []
        elif c.tag == "select" and c.name in typed:
            assert typed[c.name] in c.options, (typed[c.name], c.options)
            pairs.append((c.name, typed[c.name]))
        else:
            pairs.append((c.name, typed.get(c.name, c.value)))
    boxes = {c.value for c in form.controls if c.type == "checkbox"}
    for values in typed.values():
        if isinstance(values, list):
            assert set(values) <= boxes, (values, boxes)
    return pairs


def checked(form: PageForm, name: str) -> list[str]:
    return [c.value for c in form.controls if c.name == name and c.checked]


def value(form: PageForm, name: str) -> str:
    return next(c.value for c in form.controls if c.name == name)


class Phone:
    def __init__(self, session: aiohttp.ClientSession, base: str):
        self.session, self.base = session, base

    async def page(self) -> str:
        async with self.session.get(self.base) as r:
            assert r.status == 200
            return await r.text()

    async def post(self, form: PageForm, **typed) -> tuple[int, str, str]:
        """Post the form as filled; follows the 303 like a browser."""
        url = self.base.split("/e/")[0] + form.action
        async with self.session.post(url, data=fill(form, **typed)) as r:
            return r.status, str(r.url), await r.text()


@pytest.fixture
async def room(server, store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = activity_of(store, event, "open_space")
    store.set_activity_state(event.id, activity.id, "open")
    base = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                for _ in range(3)]
    yield activity, [Phone(s, base) for s in sessions]
    for session in sessions:
        await session.close()


def on_disk(db_path, kind: str) -> list[tuple]:
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT id, text, participant_id, ref_id, data FROM notes"
                            " WHERE kind = ? ORDER BY id", [kind]).fetchall()
    return [(i, text, pid, ref, json.loads(data) if data else {})
            for i, text, pid, ref, data in rows]


def marks_on_disk(db_path) -> list[str]:
    """The sessions marked by anyone (stored as votes: the topic's id)."""
    with sqlite3.connect(db_path) as conn:
        return [r[0] for r in conn.execute("SELECT option FROM votes ORDER BY id")]


async def propose(phone: Phone, title: str, convener: str) -> int:
    status, url, page = await phone.post(page_form(await phone.page(), "topic"),
                                         title=title, convener=convener)
    assert status == 200 and "?sent=" in url
    assert "Kiitos, vastauksesi on tallennettu." in page and title in page
    return int(url.split("sent=")[1].split("#")[0])


async def test_a_topic_is_proposed_placed_joined_and_reported(room, db_path):
    _, (maija, pekka, liisa) = room
    topic = await propose(maija, "Yhteisöllisyys välitunneilla", "Maija")
    assert on_disk(db_path, "topic")[0][1:] == (
        "Yhteisöllisyys välitunneilla", 1, None,
        {"convener": "Maija", "description": "", "slot": None, "space": None})

    html = await maija.page()
    place = page_form(html, f"place-{topic}")
    status, url, page = await maija.post(place, cell=option(html, "13:15–14:00 · Tila B"))
    assert status == 200 and "?saved=" in url
    data = on_disk(db_path, "topic")[0][4]
    assert (data["slot"], data["space"]) == ("13:15–14:00", "Tila B")
    # On the marketplace: the row of Tila B, the second window.
    assert re.search(r"<th [^>]*>Tila B</th><td [^>]*>vapaa</td>"
                     r"<td [^>]*>Yhteisöllisyys välitunneilla</td>", page)

    join = page_form(await liisa.page(), "join")
    status, _, page = await liisa.post(join, sessions=[str(topic)])
    assert status == 200 and marks_on_disk(db_path) == [str(topic)]
    assert checked(page_form(page, "join"), "sessions") == [str(topic)]

    report = page_form(await maija.page(), f"report-{topic}")
    assert value(report, "participants") == "1"  # those who marked it, as a first guess
    status, url, page = await maija.post(report, summary="Yhteiset pelit auttavat.",
                                         proposals="Välituntikummit", participants="8")
    assert status == 200 and "?sent=" in url and "Yhteiset pelit auttavat." in page
    [(_, summary, convener, ref, data)] = on_disk(db_path, "report")
    assert (summary, convener, ref) == ("Yhteiset pelit auttavat.", 1, topic)
    assert data == {"proposals": "Välituntikummit", "next_steps": "", "participants": 8}
    others = [f.name for f in page_forms(await pekka.page())]
    assert not [name for name in others if name.startswith(("report", "place"))], others


async def test_a_cell_taken_meanwhile_is_refused_and_the_topic_waits(room, db_path):
    _, (maija, pekka, _) = room
    first = await propose(maija, "Välitunnit", "Maija")
    second = await propose(pekka, "Kodin ja koulun yhteistyö", "Pekka")
    html = await pekka.page()  # read while the cell was still free
    stale = page_form(html, f"place-{second}")
    mine = await maija.page()
    await maija.post(page_form(mine, f"place-{first}"), cell=option(mine, "12:15–13:00 · Tila A"))

    status, _, page = await pekka.post(stale, cell=option(html, "12:15–13:00 · Tila A"))
    assert status == 409
    assert "Joku ehti juuri varata paikan 12:15–13:00 · Tila A" in page
    assert on_disk(db_path, "topic")[1][4]["slot"] is None
    # The form he gets back offers only the cells still free.
    assert "12:15–13:00 · Tila B</option>" in page
    assert "12:15–13:00 · Tila A</option>" not in page


async def test_a_topic_without_a_convener_comes_back_with_what_was_typed(room, db_path):
    _, (maija, _, _) = room
    form = page_form(await maija.page(), "topic")
    status, _, page = await maija.post(form, title="Oppilaskunnan rooli", convener=" ",
                                       description="Miten oppilaat <b>mukaan</b>?")
    assert status == 422
    assert "Kirjoita koollekutsujan nimi." in page
    kept = page_form(page, "topic")
    assert value(kept, "title") == "Oppilaskunnan rooli"
    assert value(kept, "description") == "Miten oppilaat <b>mukaan</b>?"  # kept, as text
    assert "<b>mukaan</b>" not in page
    assert on_disk(db_path, "topic") == []


async def test_two_sessions_in_one_window_are_refused(room, db_path):
    _, (maija, pekka, liisa) = room
    a = await propose(maija, "Välitunnit", "Maija")
    b = await propose(pekka, "Kerhot", "Pekka")
    for phone, topic, cell in ((maija, a, "12:15–13:00 · Tila A"),
                               (pekka, b, "12:15–13:00 · Tila C")):
        html = await phone.page()
        await phone.post(page_form(html, f"place-{topic}"), cell=option(html, cell))

    join = page_form(await liisa.page(), "join")
    status, _, page = await liisa.post(join, sessions=[str(a), str(b)])
    assert status == 422
    assert "Valitsit aikaikkunasta 12:15–13:00 useamman istunnon" in page
    assert checked(page_form(page, "join"), "sessions") == [str(a), str(b)]  # as ticked
    assert marks_on_disk(db_path) == []
    status, _, _ = await liisa.post(page_form(page, "join"), sessions=[str(b)])
    assert status == 200 and marks_on_disk(db_path) == [str(b)]
