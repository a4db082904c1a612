"""A table's own QR code: opening its link puts the phone in that group."""

from __future__ import annotations

import aiohttp

from facilitator import templates


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def test_a_group_link_joins_the_phone_to_its_group(server, phone, store, demo):
    event, activity = demo
    table = store.add_group(activity.id, "Pöytä 3")
    url = f"{base(server)}/e/{event.join_code}/g/{table.id}"
    async with phone.get(url, allow_redirects=False) as r:
        assert r.status == 303
        assert r.headers["Location"] == f"/e/{event.join_code}#a{activity.id}"
        assert "fac_device=" in r.headers["Set-Cookie"]  # a first scan issues the cookie
    [participant_id] = [row[0] for row in store.db.execute("SELECT id FROM participants")]
    assert store.member_group(activity.id, participant_id) == table
    # The same phone scanning another table's code moves there.
    other = store.add_group(activity.id, "Pöytä 4")
    async with phone.get(f"{base(server)}/e/{event.join_code}/g/{other.id}") as r:
        assert r.status == 200
    assert store.member_group(activity.id, participant_id) == other


async def test_a_group_of_another_event_or_no_group_is_a_finnish_404(server, phone, store, demo):
    event, _ = demo
    elsewhere = store.create_event(templates.load(templates.resolve("demo")))
    foreign = store.add_group(store.activities(elsewhere.id)[0].id, "Vieras")
    for ref in (str(foreign.id), "999999", "abc"):
        async with phone.get(f"{base(server)}/e/{event.join_code}/g/{ref}") as r:
            assert r.status == 404, ref
            assert "Ryhmää ei löytynyt" in await r.text()
    assert store.db.execute("SELECT count(*) FROM members").fetchone() == (0,)


async def test_a_link_preview_head_request_joins_no_one(server, store, demo):
    event, activity = demo
    table = store.add_group(activity.id, "Pöytä 1")
    async with aiohttp.ClientSession() as bot, bot.head(
        f"{base(server)}/e/{event.join_code}/g/{table.id}", allow_redirects=False
    ) as r:
        assert r.status == 303
    assert store.participant_count(event.id) == 0
