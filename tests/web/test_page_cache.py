"""The event page drawn once for the phones that see the same (web/page_cache.py), over
the real server: a table's phones share a drawing, each with its own form token; what
only one phone may see (its notes waiting for approval, its language) stays its own;
and nothing written is missed by a page drawn before it."""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import methods
from facilitator.web.app import PAGES
from tests.conftest import csrf_of
from tests.web.test_process_walk import STATIONS, base, form_named, join_group, open_walk


@pytest.fixture
async def table(server, store):
    """Three phones at table 2 of the process walk (scanned in as the room does)."""
    event, walk = open_walk(store)
    phones = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
              for _ in range(3)]
    for phone in phones:
        await join_group(phone, server, event, walk, store, 2)
    yield event, walk, phones
    for phone in phones:
        await phone.close()


async def page(phone, server, event, query=""):
    async with phone.get(f"{base(server)}/e/{event.join_code}{query}") as r:
        assert r.status == 200
        return await r.text()


async def test_a_table_shares_one_drawing_each_phone_with_its_own_token(server, store, table):
    event, walk, phones = table
    pages = server.app[PAGES]
    drawn, shared = pages.drawn, pages.shared
    htmls = [await page(phone, server, event) for phone in phones]
    assert pages.drawn - drawn <= 2  # once, or twice if the clock's second turned
    assert pages.shared - shared >= 1
    tokens = [csrf_of(html) for html in htmls]
    assert len(set(tokens)) == 3  # each phone's own, never the drawing's placeholder
    assert all(html.replace(token, "") == htmls[0].replace(tokens[0], "")
               for html, token in zip(htmls, tokens, strict=True))
    # Each phone's token is the one its posts need: all three notes are taken.
    for n, (phone, html) in enumerate(zip(phones, htmls, strict=True)):
        form = form_named(html, walk, "note")
        data = [(k, f"Huomio {n}" if k == "text" else v) for k, v in form.fill()]
        async with phone.post(base(server) + form.action, data=data,
                              allow_redirects=False) as r:
            assert r.status == 303, await r.text()
    assert sorted(n.text for n in store.notes(walk.id)) == ["Huomio 0", "Huomio 1", "Huomio 2"]


async def test_a_note_written_after_a_drawing_is_on_the_next_page(server, store, table):
    event, walk, phones = table
    first = await page(phones[0], server, event)
    assert "Huomio talosta" not in first
    store.add_note(walk.id, "Huomio talosta", STATIONS[1], kind="note", round=1,
                   group_id=store.groups(walk.id)[1].id)
    assert "Huomio talosta" in await page(phones[1], server, event)  # the same second
    methods.get("process_walk").act(
        methods.Context(store, store.activity(walk.id), "fi", audience="console"),
        "next_round", methods.Posted({}))
    moved = await page(phones[2], server, event)
    assert f"Kierros 2/3 · ryhmäsi on pysäkillä: {STATIONS[2]}" in moved


async def test_a_note_waiting_for_approval_is_shown_to_its_writer_alone(server, store, table):
    event, walk, phones = table
    store.set_premoderated(walk.id, True)
    html = await page(phones[0], server, event)
    form = form_named(html, walk, "note")
    data = [(k, "Oma odottava huomio" if k == "text" else v) for k, v in form.fill()]
    async with phones[0].post(base(server) + form.action, data=data) as r:
        assert r.status == 200
    # The others load first, then the writer, then the others again: the writer's page
    # is its own, and theirs never becomes it.
    assert "Oma odottava huomio" not in await page(phones[1], server, event)
    assert "Oma odottava huomio" in await page(phones[0], server, event)
    assert "Oma odottava huomio" not in await page(phones[2], server, event)
    assert "Oma odottava huomio" not in await page(phones[1], server, event)


async def test_each_phone_keeps_its_language_at_a_shared_table(server, store, table):
    event, _walk, phones = table
    english = await page(phones[0], server, event, "?lang=en")
    finnish = await page(phones[1], server, event)
    assert '<html lang="en">' in english and "Suomeksi" in english
    assert '<html lang="fi">' in finnish and "In English" in finnish
    # The chosen language stays with its phone on the pages after.
    assert '<html lang="en">' in await page(phones[0], server, event)
    assert '<html lang="fi">' in await page(phones[2], server, event)


async def test_a_phone_at_another_table_gets_its_own_station(server, store, table):
    event, walk, phones = table
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        html = await join_group(other, server, event, walk, store, 3)
        assert f"ryhmäsi on pysäkillä: {STATIONS[2]}" in html
        assert f"ryhmäsi on pysäkillä: {STATIONS[1]}" in await page(phones[0], server, event)
        assert f"ryhmäsi on pysäkillä: {STATIONS[2]}" in await page(other, server, event)


async def test_what_a_phone_sent_is_shown_back_to_it_alone(server, store, table):
    event, walk, phones = table
    html = await page(phones[0], server, event)
    form = form_named(html, walk, "note")
    data = [(k, "Juuri lähettämäni huomio" if k == "text" else v) for k, v in form.fill()]
    async with phones[0].post(base(server) + form.action, data=data,
                              allow_redirects=False) as r:
        assert r.status == 303
        location = r.headers["Location"]
    assert "?sent=" in location
    note_id = location.split("?sent=")[1].split("#")[0]
    shown = await page(phones[0], server, event, f"?sent={note_id}")
    assert 'id="sent"' in shown and "Juuri lähettämäni huomio" in shown
    # The table's page is drawn once: the note is on it (the station's newest), but only
    # its writer gets it back as "sent", and each keeps its own form token.
    other = await page(phones[1], server, event)
    assert "Juuri lähettämäni huomio" in other and 'id="sent"' not in other
    stolen = await page(phones[1], server, event, f"?sent={note_id}")
    assert 'id="sent"' not in stolen
    assert csrf_of(shown) != csrf_of(other)
    assert page_cache_slots_gone(shown) and page_cache_slots_gone(other)


def page_cache_slots_gone(html: str) -> bool:
    from facilitator.web import page_cache

    return page_cache.CSRF_SLOT not in html and page_cache.SENT_SLOT not in html


async def test_each_phone_gets_back_its_own_words_in_each_shape_of_the_sent_section(
        server, store, table):
    """The sent section is drawn once per language and shape, each phone's words put in:
    never another phone's, escaped as the template escapes, with the waiting line only
    for a note that waits."""
    import re

    event, walk, phones = table

    async def send(phone, text, query=""):
        form = form_named(await page(phone, server, event, query), walk, "note")
        data = [(k, text if k == "text" else v) for k, v in form.fill()]
        async with phone.post(base(server) + form.action, data=data) as r:
            assert r.status == 200
            html = await r.text()
        return re.search(r'<section id="sent".*?</section>', html, re.S).group(0)

    first = await send(phones[0], "<b>Ensimmäinen</b> & toinen")
    second = await send(phones[1], "Toisen puhelimen huomio", "?lang=en")
    store.set_premoderated(walk.id, True)
    waiting = await send(phones[2], "Odottava huomio")
    assert "&lt;b&gt;Ensimmäinen&lt;/b&gt; &amp; toinen" in first and "<b>" not in first
    assert "Toisen puhelimen huomio" in second and "Ensimmäinen" not in second
    assert "Odottava huomio" in waiting and "Toisen" not in waiting
    assert "hyväksyy vastaukset" in waiting
    assert "hyväksyy" not in first and "approves" not in second
    assert "your answer is saved" in second and "vastauksesi on tallennettu" in first
    for section in (first, second, waiting):
        assert page_cache_slots_gone(section)
