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
    # A first scan has no cookie: it gets one and comes back with it, joining nothing yet.
    async with phone.get(url, allow_redirects=False) as r:
        assert r.status == 303
        assert r.headers["Location"] == f"/e/{event.join_code}/g/{table.id}?c=1"
        assert "fac_device=" in r.headers["Set-Cookie"]
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    async with phone.get(f"{url}?c=1", allow_redirects=False) as r:
        assert r.status == 303
        assert r.headers["Location"] == f"/e/{event.join_code}#a{activity.id}"
    assert store.participant_count(event.id) == 1  # joining a group is taking part
    [participant_id] = [row[0] for row in store.db.execute("SELECT id FROM participants")]
    assert store.member_group(activity.id, participant_id) == table
    # The same phone scanning another table's code moves there.
    other = store.add_group(activity.id, "Pöytä 4")
    async with phone.get(f"{base(server)}/e/{event.join_code}/g/{other.id}") as r:
        assert r.status == 200
    assert store.member_group(activity.id, participant_id) == other


async def test_a_link_preview_without_cookies_joins_no_group(server, store, demo):
    event, activity = demo
    table = store.add_group(activity.id, "Pöytä 3")
    url = f"{base(server)}/e/{event.join_code}/g/{table.id}"
    jar = aiohttp.DummyCookieJar()  # keeps no cookie, as a preview bot does
    async with aiohttp.ClientSession(cookie_jar=jar) as bot:
        async with bot.get(url) as r:
            assert r.status == 200  # followed ?c=1, still without a cookie, to the page
        async with bot.head(url) as r:
            assert r.status in (200, 303)
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    assert store.db.execute("SELECT count(*) FROM members").fetchone() == (0,)


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
