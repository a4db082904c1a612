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
