"""Aarrekartta over real HTTP: a phone fills in the page's own forms and posts them back."""

from __future__ import annotations

import sqlite3

from facilitator import templates
from facilitator.methods.treasure_map import areas
from tests.forms import page_forms

TABLES = """
[event]
title = "Testi"
[[parts]]
title = "Työpaja 2"
[[parts.activities]]
method = "treasure_map"
title = "Aarrekartta"
[parts.activities.config]
groups = 3
obstacles = true
"""


def base(server):
    return f"http://127.0.0.1:{server.port}"


def notes_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT text, heading, kind, group_id FROM notes").fetchall()


def open_map(store, event):
    activity = next(a for a in store.activities(event.id) if a.method == "treasure_map")
    return store.set_activity_state(event.id, activity.id, "open")


async def forms_on_page(phone, server, event, activity):
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200
        html = await r.text()
    return html, [f for f in page_forms(html) if f.action.endswith(f"/a/{activity.id}")]


def answer(form, area: str, text: str) -> list[tuple[str, str]]:
    """The form as a person fills it: this area chosen, this text typed."""
    radios = [c.value for c in form.controls if c.name == "area" and c.type == "radio"]
    assert area in radios
    return [(k, v) for k, v in form.fill(text) if k != "area"] + [("area", area)]


async def test_a_note_goes_to_the_area_chosen_on_the_page(server, phone, store, db_path):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = open_map(store, event)
    html, [form] = await forms_on_page(phone, server, event, activity)
    assert form.name == "note"
    shown = [c.value for c in form.controls if c.name == "area"]
    assert shown == list(areas(activity))  # the seed's order, steps last
    assert "Mille kartan alueelle ajatuksesi kuuluu?" in html

    vision = areas(activity)[2]
    async with phone.post(base(server) + form.action,
                          data=answer(form, vision, "Yhteinen peruspalvelutaso")) as r:
        assert r.status == 200 and "?sent=" in str(r.url)  # after the 303
        page = await r.text()
    assert "Kiitos, vastauksesi on tallennettu." in page and vision in page
    assert notes_on_disk(db_path) == [("Yhteinen peruspalvelutaso", vision, "note", None)]


async def test_no_area_chosen_is_422_in_finnish_keeping_the_text(server, phone, store, db_path):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    activity = open_map(store, event)
    _, [form] = await forms_on_page(phone, server, event, activity)
    typed = "Päättäjät saman pöydän ääreen"
    # A browser sends no value for a radio group left unchosen.
    data = [(k, v) for k, v in form.fill(typed) if k != "area"]
    async with phone.post(base(server) + form.action, data=data) as r:
        assert r.status == 422
        page = await r.text()
    assert "Valitse kartan alue, jolle ajatuksesi kuuluu." in page
    assert typed in page  # back in the text box
    async with phone.post(base(server) + form.action,
                          data=data + [("area", "Keksitty alue")]) as r:
        assert r.status == 422 and "Valitse kartan alue" in await r.text()
    assert notes_on_disk(db_path) == []


async def test_a_table_chooses_its_group_first_then_writes(server, phone, store, db_path, tmp_path):
    path = tmp_path / "kartta.toml"
    path.write_text(TABLES, encoding="utf-8")
    event = store.create_event(templates.load(path))
    activity = open_map(store, event)
    tables = store.groups(activity.id)

    html, [form] = await forms_on_page(phone, server, event, activity)
    assert form.name == "group" and "Valitse ensin pöytäryhmäsi." in html
    chosen = [(k, v) for k, v in form.fill() if k != "group"] + [("group", str(tables[1].id))]
    async with phone.post(base(server) + form.action, data=chosen) as r:
        assert r.status == 200

    html, forms = await forms_on_page(phone, server, event, activity)
    assert [f.name for f in forms] == ["note", "group"]
    assert "Valittu ryhmä: Ryhmä 2" in html
    async with phone.post(base(server) + forms[0].action,
                          data=answer(forms[0], "Esteet", "Resurssien niukkuus")) as r:
        assert r.status == 200 and "?sent=" in str(r.url)
    assert notes_on_disk(db_path) == [("Resurssien niukkuus", "Esteet", "note", tables[1].id)]
    html, _ = await forms_on_page(phone, server, event, activity)
    assert "Pöytäryhmäsi ajatukset kartalla" in html


async def test_a_tables_qr_link_puts_the_phone_at_that_table(server, phone, store, tmp_path):
    path = tmp_path / "kartta.toml"
    path.write_text(TABLES, encoding="utf-8")
    event = store.create_event(templates.load(path))
    activity = open_map(store, event)
    table = store.groups(activity.id)[2]
    async with phone.get(f"{base(server)}/e/{event.join_code}/g/{table.id}") as r:
        assert r.status == 200
    _, forms = await forms_on_page(phone, server, event, activity)
    assert forms[0].name == "note"
