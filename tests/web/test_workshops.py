"""Parallel workshops over real HTTP: a phone chooses its workshop (or scans its link) and
then sees only that workshop's activities and the whole room's; it can change; it never
sees or posts into another workshop's. Until it chooses it sees every open activity, as
before workshops, with the choice above them."""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import templates
from tests.conftest import csrf_of
from tests.forms import page_forms


@pytest.fixture
def seminar(store):
    """Seminar 2 with workshop 1's emotion line and workshop 2's treasure map open at
    once, and the morning's buzz groups (the whole room's) open too."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    w1, w2, w3 = store.workshops(event.id)
    by_title = {a.title: a for a in store.activities(event.id)}
    for title in ("Tunnerivi", "Aarrekartta", "Porinaryhmät: yhteisöllisyys"):
        store.set_activity_state(event.id, by_title[title].id, "open")
    return event, (w1, w2, w3), by_title


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def page(phone, url) -> str:
    async with phone.get(url) as r:
        assert r.status == 200
        return await r.text()


def shows(html: str, activity) -> bool:
    return f'id="a{activity.id}"' in html


async def choose(phone, server, event, workshop) -> None:
    html = await page(phone, f"{base(server)}/e/{event.join_code}/w")
    [form] = [f for f in page_forms(html) if f.action == f"/e/{event.join_code}/w/{workshop.id}"]
    async with phone.post(base(server) + form.action, data=form.fill(),
                          allow_redirects=False) as r:
        assert r.status == 303
        assert r.headers["Location"] == f"/e/{event.join_code}"


async def test_a_phone_in_one_workshop_never_sees_the_others(server, phone, store, seminar):
    event, (w1, w2, _), acts = seminar
    url = f"{base(server)}/e/{event.join_code}"
    html = await page(phone, url)
    # Not chosen yet: the open workshops to choose from (not workshop 3: nothing of it
    # is open), above every open activity, as before workshops.
    chooser = html.split("Valitse työpajasi")[1].split("</section>")[0]
    assert "Työpaja 1" in chooser and "Työpaja 2" in chooser and "Työpaja 3" not in chooser
    assert html.index("Valitse työpajasi") < html.index(f'id="a{acts["Tunnerivi"].id}"')
    assert all(shows(html, acts[t]) for t in ("Porinaryhmät: yhteisöllisyys", "Tunnerivi",
                                              "Aarrekartta"))
    await choose(phone, server, event, w1)
    html = await page(phone, url)
    assert shows(html, acts["Tunnerivi"]) and shows(html, acts["Porinaryhmät: yhteisöllisyys"])
    assert not shows(html, acts["Aarrekartta"]) and "Aarrekartta" not in html
    assert "Työpajasi:" in html and f'href="/e/{event.join_code}/w"' in html  # change link
    # A round change or the state poll of the other workshop does not move this phone.
    async with phone.get(f"{url}/state") as r:
        assert set((await r.json())["open"]) == {acts["Tunnerivi"].id,
                                                 acts["Porinaryhmät: yhteisöllisyys"].id}
    # Changing workshop: now the treasure map, no longer the emotion line.
    await choose(phone, server, event, w2)
    html = await page(phone, url)
    assert shows(html, acts["Aarrekartta"]) and not shows(html, acts["Tunnerivi"])
    [participant_id] = [r[0] for r in store.db.execute("SELECT id FROM participants")]
    assert store.participant_workshop(participant_id) == w2.id
    assert store.workshop_counts(event.id) == {w2.id: 1}


async def test_two_phones_in_two_workshops_at_once(server, store, seminar):
    event, (w1, w2, _), acts = seminar
    url = f"{base(server)}/e/{event.join_code}"
    jar = lambda: aiohttp.CookieJar(unsafe=True)  # noqa: E731
    async with aiohttp.ClientSession(cookie_jar=jar()) as one, \
            aiohttp.ClientSession(cookie_jar=jar()) as two:
        await choose(one, server, event, w1)
        await choose(two, server, event, w2)
        for _ in range(3):  # as the room goes on: never the other workshop's
            first, second = await page(one, url), await page(two, url)
            assert shows(first, acts["Tunnerivi"]) and not shows(first, acts["Aarrekartta"])
            assert shows(second, acts["Aarrekartta"]) and not shows(second, acts["Tunnerivi"])
        # Workshop 2's note is on the treasure map and nowhere on workshop 1's phone.
        form = next(f for f in page_forms(second) if f.action.endswith(
            f"/a/{acts['Aarrekartta'].id}"))
        async with two.post(base(server) + form.action, data=form.fill("Kartan merkintä"),
                            allow_redirects=False) as r:
            assert r.status == 303
        assert "Kartan merkintä" not in await page(one, url)
        # A post into the other workshop's activity is refused, with the text given back.
        async with one.post(base(server) + form.action,
                            data=[("csrf", csrf_of(first)), *form.fill("Väärä paja")[1:]],
                            ) as r:
            assert r.status == 409
            body = await r.text()
            assert "toiseen työpajaan" in body and "Väärä paja" in body
    assert store.note_count(acts["Aarrekartta"].id) == 1
    assert store.workshop_counts(event.id) == {w1.id: 1, w2.id: 1}


async def test_a_workshop_link_takes_the_phone_there_and_writes_nothing(server, phone, store,
                                                                       seminar):
    event, (_, w2, _), acts = seminar
    link = f"{base(server)}/e/{event.join_code}/w/{w2.id}"
    async with phone.get(link, allow_redirects=False) as r:  # first scan: no cookie yet
        assert r.status == 303 and r.headers["Location"] == f"/e/{event.join_code}/w/{w2.id}?c=1"
    async with phone.get(f"{link}?c=1", allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == f"/e/{event.join_code}"
    html = await page(phone, f"{base(server)}/e/{event.join_code}")
    assert shows(html, acts["Aarrekartta"]) and not shows(html, acts["Tunnerivi"])
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    # Its first post puts it in the console's count of workshop 2.
    form = next(f for f in page_forms(html) if f.action.endswith(f"/a/{acts['Aarrekartta'].id}"))
    async with phone.post(base(server) + form.action, data=form.fill(),
                          allow_redirects=False) as r:
        assert r.status == 303
    assert store.workshop_counts(event.id) == {w2.id: 1}


async def test_a_preview_and_a_forged_choice_change_nothing(server, store, seminar):
    event, (w1, w2, _), acts = seminar
    link = f"{base(server)}/e/{event.join_code}/w/{w1.id}"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as bot:
        async with bot.get(link) as r:
            assert r.status == 200
        async with bot.head(link, allow_redirects=False) as r:
            assert r.status == 303
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as phone:
        await page(phone, f"{base(server)}/e/{event.join_code}")
        jar.update_cookies({f"fac_ws_{event.id}": f"{w1.id}.forged"})
        html = await page(phone, f"{base(server)}/e/{event.join_code}")
        assert "Valitse työpajasi" in html and "Työpajasi:" not in html  # in none
        # In workshop 2, a cookie forged for workshop 1 does not move it.
        await choose(phone, server, event, w2)
        jar.update_cookies({f"fac_ws_{event.id}": f"{w1.id}.{'0' * 32}"})
        html = await page(phone, f"{base(server)}/e/{event.join_code}")
        assert shows(html, acts["Aarrekartta"]) and not shows(html, acts["Tunnerivi"])


async def test_a_wrong_workshop_is_a_finnish_404(server, phone, store, seminar):
    event, _, _ = seminar
    other = store.create_event(templates.load(templates.resolve("seminaari-2")))
    foreign = store.workshops(other.id)[0]
    for ref in (str(foreign.id), "999999", "abc"):
        async with phone.get(f"{base(server)}/e/{event.join_code}/w/{ref}?c=1") as r:
            assert r.status == 404, ref
            assert "Työpajaa ei löytynyt" in await r.text()
    html = await page(phone, f"{base(server)}/e/{event.join_code}/w")
    async with phone.post(f"{base(server)}/e/{event.join_code}/w/{foreign.id}",
                          data={"csrf": csrf_of(html)}) as r:
        assert r.status == 404
    async with phone.post(f"{base(server)}/e/{event.join_code}/w/{store.workshops(event.id)[0].id}",
                          data={"csrf": "0" * 40}) as r:
        assert r.status == 403
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)


async def test_an_event_without_workshops_shows_no_choice(server, phone, demo):
    event, activity = demo
    html = await page(phone, f"{base(server)}/e/{event.join_code}")
    assert shows(html, activity) and "työpaja" not in html.lower()
    async with phone.get(f"{base(server)}/e/{event.join_code}/w", allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == f"/e/{event.join_code}"


async def test_a_phone_that_never_chooses_still_takes_part(server, phone, store, seminar):
    """The choice is offered, never forced: a phone that skips it posts as before
    workshops, and is counted as a participant but in no workshop."""
    event, _, acts = seminar
    html = await page(phone, f"{base(server)}/e/{event.join_code}")
    form = next(f for f in page_forms(html) if f.action.endswith(f"/a/{acts['Aarrekartta'].id}"))
    async with phone.post(base(server) + form.action, data=form.fill("Ilman valintaa"),
                          allow_redirects=False) as r:
        assert r.status == 303
    assert [n.text for n in store.notes(acts["Aarrekartta"].id)] == ["Ilman valintaa"]
    assert store.participant_count(event.id) == 1 and store.workshop_counts(event.id) == {}
