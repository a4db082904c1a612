"""Prosessikävely over real HTTP: a phone joins its group, writes at its station through
the page's own forms, and is refused (text kept) when the room moved on while it typed."""

from __future__ import annotations

import sqlite3

import aiohttp

from facilitator import templates
from tests.conftest import csrf_of
from tests.forms import page_forms

STATIONS = ("Mistä puhumme paljon?", "Mistä puhumme vähän?", "Mistä ei puhuta, mutta pitäisi?")


def base(server):
    return f"http://127.0.0.1:{server.port}"


def notes_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT text, heading, kind, round, group_id FROM notes ORDER BY id").fetchall()


def open_walk(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    return event, store.set_activity_state(event.id, walk.id, "open")


async def page(phone, server, event):
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200
        return await r.text()


def form_named(html, walk, name):
    [form] = [f for f in page_forms(html)
              if f.action.endswith(f"/a/{walk.id}") and f.name == name]
    return form


def choose(form, name: str, value: str) -> list[tuple[str, str]]:
    """The form as a person fills it: this radio chosen (it must be on the page)."""
    assert value in [c.value for c in form.controls if c.name == name and c.type == "radio"]
    return [(k, v) for k, v in form.fill() if k != name] + [(name, value)]


async def join_group(phone, server, event, walk, store, number: int) -> str:
    """Choose group `number` on the page's group form; returns the page after the 303."""
    html = await page(phone, server, event)
    assert "Valitse ryhmä, jonka kanssa kierrät pysäkit." in html
    group = store.groups(walk.id)[number - 1]
    form = form_named(html, walk, "group")
    async with phone.post(base(server) + form.action,
                          data=choose(form, "group", str(group.id))) as r:
        assert r.status == 200  # after the 303
        return await r.text()


async def test_a_group_writes_at_its_station_and_the_next_group_reads_it(
    server, phone, store, db_path
):
    event, walk = open_walk(store)
    html = await join_group(phone, server, event, walk, store, 2)
    assert f"Kierros 1/3 · ryhmäsi on pysäkillä: {STATIONS[1]}" in html
    assert "Valittu ryhmä: Ryhmä 2" in html
    assert 'class="deadline"' in html  # the countdown, drawn without JavaScript
    form = form_named(html, walk, "note")
    [station] = [c for c in form.controls if c.name == "station"]
    assert (station.value, station.checked) == (STATIONS[1], True)

    async with phone.post(base(server) + form.action,
                          data=form.fill("Tietosuoja ja tiedonsiirto")) as r:
        assert r.status == 200 and "?sent=" in str(r.url)
        assert "Tietosuoja ja tiedonsiirto" in await r.text()
    group_2 = store.groups(walk.id)[1].id
    assert notes_on_disk(db_path) == [
        ("Tietosuoja ja tiedonsiirto", STATIONS[1], "note", 1, group_2)]

    # Round 2: group 1 arrives at that station and reads what group 2 left there.
    store.set_round(walk.id, 2)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        html = await join_group(other, server, event, walk, store, 1)
    assert f"Kierros 2/3 · ryhmäsi on pysäkillä: {STATIONS[1]}" in html
    assert "Ryhmä 2, kierros 1" in html and "Tietosuoja ja tiedonsiirto" in html


async def test_a_note_typed_while_the_room_moved_on_is_refused_in_finnish_with_the_text(
    server, phone, store, db_path
):
    event, walk = open_walk(store)
    html = await join_group(phone, server, event, walk, store, 1)
    form = form_named(html, walk, "note")  # drawn at station 1 in round 1
    store.set_round(walk.id, 2)  # the facilitator presses `n` while the group types
    typed = "Kuraattorin saatavuus <b>kaikille</b>"
    async with phone.post(base(server) + form.action, data=form.fill(typed)) as r:
        assert r.status == 409
        refused = await r.text()
    assert ("Ryhmäsi on jo siirtynyt pysäkille: Mistä puhumme vähän? (kierros 2/3), joten"
            " muistiinpanoa ei tallennettu.") in refused
    assert "Kuraattorin saatavuus &lt;b&gt;kaikille&lt;/b&gt;" in refused  # kept, as text
    assert notes_on_disk(db_path) == []

    # The refused page already shows the new station; choosing it sends the kept text.
    again = form_named(refused, walk, "note")
    [kept] = [c.value for c in again.controls if c.name == "text"]
    assert kept == typed
    async with phone.post(base(server) + again.action,
                          data=choose(again, "station", STATIONS[1])) as r:
        assert r.status == 200 and "?sent=" in str(r.url)
    assert notes_on_disk(db_path) == [
        (typed, STATIONS[1], "note", 2, store.groups(walk.id)[0].id)]


async def test_a_forged_station_or_a_post_without_a_group_stores_nothing(
    server, phone, store, db_path
):
    event, walk = open_walk(store)
    csrf = csrf_of(await page(phone, server, event))
    url = f"{base(server)}/e/{event.join_code}/a/{walk.id}"
    note = {"csrf": csrf, "form": "note", "text": "Ilman ryhmää", "station": STATIONS[0]}
    async with phone.post(url, data=note) as r:
        assert r.status == 422
    html = await join_group(phone, server, event, walk, store, 3)
    form = form_named(html, walk, "note")
    data = [(k, v) for k, v in form.fill("Väärä pysäkki") if k != "station"]
    async with phone.post(url, data=data + [("station", STATIONS[0])]) as r:  # not group 3's
        assert r.status == 409 and "Väärä pysäkki" in await r.text()
    async with phone.post(url, data=data + [("station", "Keksitty")]) as r:
        assert r.status == 422
        assert f"Valitse pysäkki, jolla ryhmäsi on nyt: {STATIONS[2]}." in await r.text()
    assert notes_on_disk(db_path) == []
