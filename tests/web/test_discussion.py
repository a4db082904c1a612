"""Verkkokeskustelu over real HTTP: phones join teams, answer, read and comment through
the forms their pages show."""

from __future__ import annotations

import sqlite3

import aiohttp
import pytest

from facilitator import templates
from tests.conftest import hide
from tests.forms import page_forms


@pytest.fixture
def discussion(store):
    """Verkkokeskustelu 1 with its discussion open."""
    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-1")))
    [activity] = [a for a in store.activities(event.id) if a.method == "discussion"]
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


def rows_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT n.kind, n.heading, g.name, n.ref_id, n.text FROM notes n"
            " LEFT JOIN groups g ON g.id = n.group_id ORDER BY n.id"
        ).fetchall()


class Phone:
    def __init__(self, session, server, event):
        self.session = session
        self.url = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
        self.root = f"http://127.0.0.1:{server.port}"

    async def page(self) -> str:
        async with self.session.get(self.url) as r:
            assert r.status == 200
            return await r.text()

    async def form(self, name: str):
        forms = {f.name: f for f in page_forms(await self.page())}
        assert name in forms, sorted(forms)
        return forms[name]

    async def send(self, form_name: str, **fields) -> tuple[int, str, str]:
        """Fill the page's form `form_name` with `fields` as a person would and post it."""
        form = await self.form(form_name)
        pairs = [(c.name, c.value) for c in form.controls
                 if c.tag == "input" and c.type == "hidden"]
        pairs += list(fields.items())
        async with self.session.post(self.root + form.action, data=pairs) as r:
            return r.status, str(r.url), await r.text()


@pytest.fixture
async def phones(server, discussion):
    event, _ = discussion
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                for _ in range(3)]
    yield [Phone(s, server, event) for s in sessions]
    for s in sessions:
        await s.close()


async def test_teams_answer_then_read_and_comment_on_each_other(phones, discussion, db_path):
    _, activity = discussion
    first = activity.config["questions"][0]
    a, a2, b = phones
    # The first phone names its team; a teammate types the name differently; B names its own.
    for phone, name in ((a, "Tiimi A"), (a2, " tiimi  a"), (b, "Tiimi B")):
        status, _, page = await phone.send("group", name=name)
        assert status == 200 and "Tallennettu" in page
    status, url, page = await a.send("answer-1", text="Oppilaitoksen oma suunnitelma")
    assert status == 200 and "?sent=" in url and first in page
    # B has not answered: A's answer stays out of sight, so B's own thoughts come first.
    page = await b.page()
    assert "Oppilaitoksen oma suunnitelma" not in page
    assert "näkyvät, kun työryhmänne on vastannut" in page
    await b.send("answer-1", text="Yhteinen runko")
    page = await b.page()
    assert "Oppilaitoksen oma suunnitelma" in page
    [answer_id] = [int(f.name.split("-")[1]) for f in page_forms(page)
                   if f.name.startswith("comment-")]
    status, _, _ = await b.send(f"comment-{answer_id}", text="Hyvä lähtökohta")
    assert status == 200
    # A's teammate, on another phone, reads B's answer and the comment on A's answer.
    page = await a2.page()
    assert "Yhteinen runko" in page and "Hyvä lähtökohta" in page and "↳ Tiimi B" in page
    assert rows_on_disk(db_path) == [
        ("answer", first, "Tiimi A", None, "Oppilaitoksen oma suunnitelma"),
        ("answer", first, "Tiimi B", None, "Yhteinen runko"),
        ("comment", first, "Tiimi B", answer_id, "Hyvä lähtökohta"),
    ]


async def test_too_long_a_comment_comes_back_in_finnish_in_its_own_form(
    phones, discussion, db_path
):
    a, a2, b = phones
    await a.send("group", name="Tiimi A")
    await a2.send("group", name="Tiimi C")
    await b.send("group", name="Tiimi B")
    await a.send("answer-1", text="A:n vastaus")
    await a2.send("answer-1", text="C:n vastaus")
    await b.send("answer-1", text="B:n vastaus")
    before = rows_on_disk(db_path)
    page = await b.page()
    comment_forms = [f.name for f in page_forms(page) if f.name.startswith("comment-")]
    assert len(comment_forms) == 2  # one for A's answer, one for C's
    # Folded under a line each, so the answers are not buried under forms.
    assert page.count('<details class="folded"><summary>Kommentoikaa tätä vastausta') == 2
    typed = "Pitkä kommentti, jota ei saa kadottaa. " + "ä" * 2000
    status, _, page = await b.send(comment_forms[1], text=typed)
    assert status == 413
    assert "Teksti on liian pitkä: enintään 2000 merkkiä." in page
    # Back in the one form it came from, not in the other comment form: nothing lost.
    assert page.count(typed) == 1 and page.count('class="error"') == 1
    assert page.count('<details class="folded" open>') == 1  # the refused one stays open
    kept = {f.name: f for f in page_forms(page)}[comment_forms[1]]
    assert [c.value for c in kept.controls if c.tag == "textarea"] == [typed]
    assert rows_on_disk(db_path) == before


async def test_answering_without_a_team_is_refused_and_stores_nothing(
    phones, discussion, db_path
):
    a, _, b = phones
    await a.send("group", name="Tiimi A")
    form = await a.form("answer-1")  # a form B's page does not have: B has no team
    csrf = next(c.value for c in (await b.form("group")).controls if c.name == "csrf")
    pairs = [("csrf", csrf), ("form", form.name), ("text", "Vastaus")]
    async with b.session.post(b.root + form.action, data=pairs) as r:
        assert r.status == 409
    assert rows_on_disk(db_path) == []


async def test_a_comment_on_an_answer_hidden_meanwhile_gives_its_text_back(
    phones, discussion, store, db_path
):
    a, _, b = phones
    await a.send("group", name="Tiimi A")
    await b.send("group", name="Tiimi B")
    await a.send("answer-1", text="Asiaton vastaus")
    await b.send("answer-1", text="B:n vastaus")
    [target] = [f for f in page_forms(await b.page()) if f.name.startswith("comment-")]
    hide(store, int(target.name.split("-")[1]))  # while B types
    before = rows_on_disk(db_path)
    pairs = [(c.name, c.value) for c in target.controls if c.type == "hidden"]
    typed = "Pitkä kommentti, jota ei saa kadottaa"
    async with b.session.post(b.root + target.action, data=pairs + [("text", typed)]) as r:
        assert r.status == 422
        page = await r.text()
    assert rows_on_disk(db_path) == before
    assert "Asiaton vastaus" not in page
    assert "Vastausta, jota kommentoitte, ei enää ole." in page and typed in page
