"""Porinaryhmät over real HTTP: a phone chooses its group (or scans the table's code),
the group sends its key points through the page's own forms, and a point too many comes
back refused, in Finnish, with its text kept and a way to use it."""

from __future__ import annotations

import sqlite3

import aiohttp
import pytest

from facilitator import templates
from tests.forms import PageForm, page_forms


def base(server):
    return f"http://127.0.0.1:{server.port}"


def points_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT n.text, g.name, n.kind FROM notes n JOIN groups g ON g.id = n.group_id"
            " ORDER BY n.id"
        ).fetchall()


@pytest.fixture
def buzz(store):
    """Seminaari 2 with its buzz groups open."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "buzz_groups")
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


def form_named(html: str, activity, name: str) -> PageForm:
    forms = [f for f in page_forms(html) if f.action.endswith(f"/a/{activity.id}")]
    return next(f for f in forms if f.name == name)


async def post(phone, server, form: PageForm, pairs):
    async with phone.post(base(server) + form.action, data=pairs) as r:
        return r.status, str(r.url), await r.text()


async def test_a_group_sends_its_points_and_a_point_too_many_is_kept(
    server, phone, buzz, store, db_path
):
    event, activity = buzz
    ryhma2 = next(g for g in store.groups(activity.id) if g.name == "Ryhmä 2")
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        page = await r.text()
    assert "Valitse ryhmä" in page and "Ryhmä 8" in page
    choose = form_named(page, activity, "group")
    pairs = [(k, str(ryhma2.id) if k == "group" else v) for k, v in choose.fill()]
    status, url, page = await post(phone, server, choose, pairs)
    assert status == 200 and f"saved={activity.id}" in url
    assert "Valittu ryhmä: Ryhmä 2" in page and "Aikaa jäljellä" in page

    # A second member scans the table's own code: no choosing.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        async with other.get(f"{base(server)}/e/{event.join_code}/g/{ryhma2.id}") as r:
            assert r.status == 200
            stale = await r.text()
        assert "Valittu ryhmä: Ryhmä 2" in stale and "Kohta 1/2" in stale

        for text in ("Yhteinen kahvihuone", "Oppilaskunta mukaan päätöksiin"):
            form = form_named(page, activity, "point")
            status, url, page = await post(phone, server, form, form.fill(text))
            assert status == 200 and "?sent=" in url
            assert "Kiitos, vastauksesi on tallennettu." in page and text in page
        assert "Ryhmänne kohdat ovat koossa. Kiitos!" in page
        assert points_on_disk(db_path) == [("Yhteinen kahvihuone", "Ryhmä 2", "point"),
                                           ("Oppilaskunta mukaan päätöksiin", "Ryhmä 2", "point")]

        # The other member's page still had the form: their point comes back, not lost.
        typed = "Tutorit & kummit <ensimmäiselle> viikolle"
        form = form_named(stale, activity, "point")
        status, _, refused = await post(other, server, form, form.fill(typed))
        assert status == 409
        assert "Ryhmänne kohdat ovat jo koossa (2/2)" in refused
        assert "Tutorit &amp; kummit &lt;ensimmäiselle&gt; viikolle</textarea>" in refused
        assert len(points_on_disk(db_path)) == 2

        # …in the form that swaps it for one of the group's points.
        swap = form_named(refused, activity, "point")
        assert [c.value for c in swap.controls if c.name == "text"] == [typed]
        first = next(c.value for c in swap.controls if c.name == "replace")
        status, url, page = await post(other, server, swap, swap.fill())
        # Another member's point: "saved" on the page, as the note is shown to its author.
        assert status == 200 and "?saved=" in url and "Tallennettu." in page
        assert typed.split()[0] in page
        assert store.note(int(first)).text == typed
        assert [p[0] for p in points_on_disk(db_path)] == [typed, "Oppilaskunta mukaan päätöksiin"]


async def test_an_empty_point_is_422_and_stores_nothing(server, phone, buzz, store, db_path):
    event, activity = buzz
    async with phone.get(f"{base(server)}/e/{event.join_code}/g/{store.groups(activity.id)[0].id}"
                         ) as r:
        page = await r.text()
    form = form_named(page, activity, "point")
    status, _, refused = await post(phone, server, form, form.fill(" \n "))
    assert status == 422 and "Kirjoita jotain ennen lähettämistä." in refused
    assert points_on_disk(db_path) == []


async def test_a_swap_for_another_groups_point_is_refused(server, phone, buzz, store, db_path):
    event, activity = buzz
    ryhma1, ryhma3 = store.groups(activity.id)[0], store.groups(activity.id)[2]
    theirs = store.add_note(activity.id, "Kolmosten kohta", "Ryhmä 3", kind="point",
                            group_id=ryhma3.id)
    async with phone.get(f"{base(server)}/e/{event.join_code}/g/{ryhma1.id}") as r:
        page = await r.text()
    form = form_named(page, activity, "point")
    pairs = [*form.fill("Vieras teksti"), ("replace", str(theirs.id))]
    status, _, refused = await post(phone, server, form, pairs)
    assert status == 422 and "Valitkaa, minkä ryhmänne kohdista tämä korvaa." in refused
    assert "Vieras teksti" in refused
    assert points_on_disk(db_path) == [("Kolmosten kohta", "Ryhmä 3", "point")]
