"""Tunnerivi over real HTTP: a phone places itself through the page's own form, moves,
is refused without a place (in Finnish, its reason kept), and follows the rounds."""

from __future__ import annotations

import html as htmllib
import sqlite3

from facilitator import methods, templates
from tests.forms import page_forms


def base(server):
    return f"http://127.0.0.1:{server.port}"


def positions_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT kind, round, heading, text, data FROM notes ORDER BY id").fetchall()


def open_line(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = next(a for a in store.activities(event.id) if a.method == "emotion_line")
    return event, store.set_activity_state(event.id, activity.id, "open")


async def line_form(phone, server, event, activity):
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200
        page = await r.text()
    [form] = [f for f in page_forms(page) if f.action.endswith(f"/a/{activity.id}")]
    return page, form


def placed(form, position: str, reason: str) -> list[tuple[str, str]]:
    """The form as a person fills it: this place chosen, this reason typed."""
    offered = [c.value for c in form.controls if c.name == "position" and c.type == "radio"]
    assert position in offered
    pairs = [(k, v) for k, v in form.fill(reason) if k not in ("position", "reason")]
    return [*pairs, ("position", position), ("reason", reason)]


async def test_a_phone_places_itself_then_moves(server, phone, store, db_path):
    event, activity = open_line(store)
    page, form = await line_form(phone, server, event, activity)
    assert "Kierros 1/2: alkukierros" in page
    assert "Valitse paikkasi janalla" in page and "Perustele halutessasi" in page
    radios = [c for c in form.controls if c.name == "position"]
    assert [c.value for c in radios] == ["1", "2", "3", "4", "5", "dont_know"]
    assert not any(c.checked for c in radios)
    for label in ("huolestuttaa", "mietityttää", "neutraali", "kiinnostaa", "innostaa",
                  "En osaa sanoa"):
        assert f"<span>{label}</span>" in page

    url = base(server) + form.action
    async with phone.post(url, data=placed(form, "2", "Resurssit <eivät> riitä")) as r:
        assert r.status == 200 and "?sent=" in str(r.url)  # after the 303
        confirmation = await r.text()
    assert "Kiitos, vastauksesi on tallennettu." in confirmation
    assert "<strong>mietityttää</strong>" in confirmation
    assert "Resurssit &lt;eivät&gt; riitä" in confirmation

    # Back on the page: where it stands, chosen already, the reason ready to edit.
    page, form = await line_form(phone, server, event, activity)
    assert "Paikkasi nyt: mietityttää" in page
    assert [c.value for c in form.controls if c.name == "position" and c.checked] == ["2"]
    assert next(c.value for c in form.controls if c.name == "reason") == (
        "Resurssit <eivät> riitä")

    async with phone.post(url, data=placed(form, "4", "Työpaja selkeytti"),
                          allow_redirects=False) as r:
        assert r.status == 303
    assert positions_on_disk(db_path) == [
        ("position", 1, "mietityttää", "Resurssit <eivät> riitä", '{"position": 2}'),
        ("position", 1, "kiinnostaa", "Työpaja selkeytti", '{"position": 4}'),
    ]
    ctx = methods.Context(store, store.activity(activity.id))
    assert methods.get("emotion_line").count(ctx) == 1  # one person, at the latest place


async def test_en_osaa_sanoa_without_a_reason(server, phone, store, db_path):
    event, activity = open_line(store)
    _, form = await line_form(phone, server, event, activity)
    async with phone.post(base(server) + form.action, data=placed(form, "dont_know", ""),
                          allow_redirects=False) as r:
        assert r.status == 303
    assert positions_on_disk(db_path) == [
        ("position", 1, "En osaa sanoa", "", '{"position": null}')]


async def test_no_place_chosen_is_refused_in_finnish_keeping_the_reason(
    server, phone, store, db_path
):
    event, activity = open_line(store)
    _, form = await line_form(phone, server, event, activity)
    reason = "Tämä perustelu ei saa kadota"
    data = [(k, v) for k, v in placed(form, "3", reason) if k != "position"]
    async with phone.post(base(server) + form.action, data=data) as r:
        assert r.status == 422
        page = await r.text()
    assert "Valitse paikkasi janalla ennen lähettämistä." in page
    [again] = [f for f in page_forms(page) if f.action == form.action]
    assert next(c.value for c in again.controls if c.name == "reason") == reason
    async with phone.post(base(server) + form.action,
                          data=[*data, ("position", "6")]) as r:
        assert r.status == 422  # a place off the line: a forged post, the same answer
        assert htmllib.escape(reason) in await r.text()
    assert positions_on_disk(db_path) == []


async def test_the_next_round_shows_on_the_phone(server, phone, store, db_path):
    event, activity = open_line(store)
    _, form = await line_form(phone, server, event, activity)
    async with phone.get(f"{base(server)}/e/{event.join_code}/state") as r:
        key = (await r.json())["key"]
    async with phone.post(base(server) + form.action, data=placed(form, "1", "Huoli"),
                          allow_redirects=False) as r:
        assert r.status == 303

    # What the console's `n` does.
    ctx = methods.Context(store, store.activity(activity.id))
    methods.get("emotion_line").act(ctx, "next_round", methods.Posted())
    async with phone.get(f"{base(server)}/e/{event.join_code}/state") as r:
        assert (await r.json())["key"] != key  # the page's script reloads it

    page, form = await line_form(phone, server, event, activity)
    assert "Kierros 2/2: loppukierros" in page and "Paikkasi nyt" not in page
    assert not any(c.checked for c in form.controls if c.name == "position")
    async with phone.post(base(server) + form.action, data=placed(form, "3", ""),
                          allow_redirects=False) as r:
        assert r.status == 303
    assert [(kind, n, data) for kind, n, _, _, data in positions_on_disk(db_path)] == [
        ("position", 1, '{"position": 1}'), ("position", 2, '{"position": 3}')]


async def test_a_page_left_open_over_next_round_does_not_place_into_the_new_round(
        server, phone, store):
    """The page carries the round it was drawn in; after "n" its post is refused with
    the reason kept, and the page shows the new round to answer (found in review)."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    line = next(a for a in store.activities(event.id) if a.method == "emotion_line")
    store.set_activity_state(event.id, line.id, "open")
    url = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
    async with phone.get(url) as r:
        [form] = [f for f in page_forms(await r.text()) if f.action.endswith(f"/a/{line.id}")]
    store.set_round(line.id, 2)  # the facilitator pressed "n" meanwhile
    async with phone.post(f"http://127.0.0.1:{server.port}{form.action}",
                          data=form.fill("Alun perustelu")) as r:
        assert r.status == 409
        page = await r.text()
    assert "Kierros vaihtui: nyt on loppukierros." in page
    assert "Alun perustelu</textarea>" in page
    assert store.notes(line.id) == []
    assert 'name="round" value="2"' in page  # sending again answers the new round
