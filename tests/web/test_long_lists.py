"""A phone is shown the newest of a long list, and told how many more there are."""

from __future__ import annotations

from facilitator import templates
from facilitator.web.app import PHONE_LIST_LIMIT


async def test_a_station_with_many_notes_shows_the_newest_and_counts_the_rest(
        server, phone, store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "open")
    first_group = store.groups(walk.id)[0]
    station = walk.config["stations"][0]
    for n in range(PHONE_LIST_LIMIT + 10):
        store.add_note(walk.id, f"muistiinpano {n:03d}", station, group_id=first_group.id)
    url = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
    async with phone.get(f"{url}/g/{first_group.id}") as r:
        page = await r.text()
    shown = [n for n in range(PHONE_LIST_LIMIT + 10) if f"muistiinpano {n:03d}<" in page]
    assert shown == list(range(10, PHONE_LIST_LIMIT + 10))  # the newest fifty
    assert "… ja 10 aiempaa. Kaikki ovat tallessa ja mukana muistiossa." in page


def test_a_list_is_drawn_escaped_newest_first_with_its_waiting_notes_marked():
    from dataclasses import replace

    from facilitator.domain import Note
    from facilitator.methods import Item, Items
    from facilitator.web.lists import items_html

    waiting = replace(Note(id=3, activity_id=1, text="oma"), pending=True)
    items = Items((Item("<b>vanha</b>", "Ryhmä & 1"), Item("uusi", ""),
                   Item("oma", "", waiting)), newest_first=True, more=4)
    html = items_html(items, 2, lambda key, **p: f"{key}{p}")
    assert html.count("<li") == 2 and "vanha" not in html  # the newest two, newest first
    assert html.index("oma") < html.index("uusi")
    assert ('<li class="pending"><span class="note">oma</span> <span class="waiting">'
            "web.event.waiting_note{}</span></li>") in html
    assert "<li><span class=\"note\">uusi</span></li>" in html  # no meta, no empty span
    assert "web.event.older{&#39;count&#39;: 5}" in html  # 1 left out + 4 more
    written = Items((Item("<b>vanha</b>", "Ryhmä & 1"),), newest_first=False)
    assert ('<span class="meta">Ryhmä &amp; 1</span> <span class="note">&lt;b&gt;vanha'
            "&lt;/b&gt;</span>") in items_html(written, 2, lambda key, **p: key)
    assert items_html(Items(()), 2, lambda key, **p: key) == ""
