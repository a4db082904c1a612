"""The participant server over real HTTP on 127.0.0.1, as a phone uses it."""

from __future__ import annotations

import sqlite3

import aiohttp

from facilitator import templates
from tests.conftest import csrf_of


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def join(phone, server, code):
    async with phone.get(f"{base(server)}/e/{code}") as r:
        assert r.status == 200
        return csrf_of(await r.text())


def notes_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT text, heading, participant_id FROM notes").fetchall()


async def test_scan_join_submit_lands_in_sqlite(server, phone, demo, db_path, store):
    event, activity = demo
    async with phone.get(f"{base(server)}/e/{event.join_code.lower()}") as r:
        assert r.status == 200
        page = await r.text()
        assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert activity.title in page and activity.prompt in page
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    assert store.participant_count(event.id) == 0  # reading the page writes nothing

    form = {"csrf": csrf_of(page), "text": "Yhteistyö toimii", "heading": activity.headings[0]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        assert r.status == 200  # after the 303 to the confirmation
        assert "?sent=" in str(r.url)
        confirmation = await r.text()
    assert "Kiitos, vastauksesi on tallennettu." in confirmation
    assert "Yhteistyö toimii" in confirmation
    assert notes_on_disk(db_path) == [("Yhteistyö toimii", activity.headings[0], 1)]
    assert store.participant_count(event.id) == 1  # the post made the device a participant


async def test_bare_gets_and_a_head_make_no_participant_a_post_does(server, demo, store):
    event, activity = demo
    url = f"{base(server)}/e/{event.join_code}"
    for _ in range(2):  # link previews, scanner apps: no cookie kept, nothing written
        async with aiohttp.ClientSession() as fresh, fresh.get(url) as r:
            assert r.status == 200
    async with aiohttp.ClientSession() as fresh, fresh.head(url) as r:
        assert r.status == 200
    assert store.participant_count(event.id) == 0
    assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        csrf = await join(phone, server, event.join_code)
        assert store.participant_count(event.id) == 0
        form = {"csrf": csrf, "text": "Nyt osallistun", "heading": activity.headings[0]}
        async with phone.post(f"{url}/a/{activity.id}", data=form) as r:
            assert r.status == 200
        assert store.participant_count(event.id) == 1
        # A refused post (empty text) by another phone makes no participant either.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
            csrf = await join(other, server, event.join_code)
            async with other.post(f"{url}/a/{activity.id}",
                                  data={"csrf": csrf, "text": " "}) as r:
                assert r.status == 422
        assert store.participant_count(event.id) == 1
        assert store.db.execute("SELECT count(*) FROM participants").fetchone() == (1,)


async def test_typing_the_code_at_the_bare_address(server, phone, demo):
    event, _ = demo
    async with phone.get(f"{base(server)}/") as r:
        assert r.status == 200 and 'action="/join"' in await r.text()
    spaced = " " + event.join_code.lower()[:2] + " " + event.join_code.lower()[2:] + " "
    async with phone.get(f"{base(server)}/join", params={"code": spaced}) as r:
        assert r.status == 200 and str(r.url).endswith(f"/e/{event.join_code}")
    async with phone.get(f"{base(server)}/join", params={"code": "XXXXX"}) as r:
        assert r.status == 404
        assert "Tällä koodilla ei löytynyt tilaisuutta" in await r.text()


async def test_note_text_is_escaped_not_interpreted(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    text = '<script>alert(1)</script> [@click=app.quit]x[/]'
    form = {"csrf": csrf, "text": text, "heading": activity.headings[0]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        page = await r.text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [@click=app.quit]x[/]" in page


async def test_missing_or_foreign_csrf_is_refused(server, phone, demo, db_path):
    event, activity = demo
    await join(phone, server, event.join_code)
    url = f"{base(server)}/e/{event.join_code}/a/{activity.id}"
    for form in ({"text": "x", "heading": activity.headings[0]},
                 {"csrf": "0" * 40, "text": "x", "heading": activity.headings[0]}):
        async with phone.post(url, data=form) as r:
            assert r.status == 403
            assert "Lomake oli vanhentunut" in await r.text()
    assert notes_on_disk(db_path) == []


async def test_post_without_the_device_cookie_is_refused(server, demo, db_path):
    event, activity = demo
    async with aiohttp.ClientSession() as stranger:  # no cookie kept for an IP host
        async with stranger.get(f"{base(server)}/e/{event.join_code}") as r:
            csrf = csrf_of(await r.text())
        form = {"csrf": csrf, "text": "x", "heading": activity.headings[0]}
        async with stranger.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}",
                                 data=form) as r:
            assert r.status == 403 and "evästeet" in await r.text()
    assert notes_on_disk(db_path) == []


async def test_oversized_body_is_413_with_a_page(server, phone, demo, db_path):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    form = {"csrf": csrf, "text": "x" * 100_000, "heading": activity.headings[0]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        assert r.status == 413
        assert "liian suuri" in await r.text()
    assert notes_on_disk(db_path) == []


async def test_too_long_note_keeps_the_text_for_shortening(server, phone, demo, db_path):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    text = "ä" * 2001
    form = {"csrf": csrf, "text": text, "heading": activity.headings[1]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        assert r.status == 413
        page = await r.text()
    assert "enintään 2000 merkkiä" in page
    assert text in page  # back in the textarea, nothing lost
    assert notes_on_disk(db_path) == []


async def test_empty_note_and_unknown_heading_are_422(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    url = f"{base(server)}/e/{event.join_code}/a/{activity.id}"
    blank = {"csrf": csrf, "text": "  ", "heading": activity.headings[0]}
    async with phone.post(url, data=blank) as r:
        assert r.status == 422 and "Kirjoita jotain" in await r.text()
    async with phone.post(url, data={"csrf": csrf, "text": "x", "heading": "Keksitty"}) as r:
        assert r.status == 422 and "Valitse otsikko" in await r.text()


async def test_closed_activity_refuses_and_gives_the_text_back(server, phone, demo, store, db_path):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    store.set_activity_state(event.id, activity.id, "closed")
    form = {"csrf": csrf, "text": "Myöhästynyt ajatus", "heading": activity.headings[0]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        assert r.status == 409
        page = await r.text()
    assert "suljettu" in page and "Myöhästynyt ajatus" in page
    assert notes_on_disk(db_path) == []
    # Closing is not final: reopened, the same phone can post again.
    store.set_activity_state(event.id, activity.id, "open")
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}", data=form) as r:
        assert r.status == 200
    assert len(notes_on_disk(db_path)) == 1


async def test_another_events_activity_is_refused(server, phone, demo, store, db_path):
    event, _ = demo
    other = store.create_event(templates.load(templates.resolve("demo")))
    foreign = store.activities(other.id)[0]
    store.set_activity_state(other.id, foreign.id, "open")
    csrf = await join(phone, server, event.join_code)
    form = {"csrf": csrf, "text": "väärä paikka"}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{foreign.id}", data=form) as r:
        assert r.status == 404 and "ei ole tässä tilaisuudessa" in await r.text()
    assert notes_on_disk(db_path) == []
    # Under the other event's own code too: the form's token is this event's, so the
    # device posts only where it was given a page (opening a page joins nothing).
    async with phone.post(f"{base(server)}/e/{other.join_code}/a/{foreign.id}", data=form) as r:
        assert r.status == 403
    assert notes_on_disk(db_path) == []
    assert store.participant_count(other.id) == 0 and store.participant_count(event.id) == 0


async def test_hostile_requests_get_4xx_pages_never_500(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    url = f"{base(server)}/e/{event.join_code}/a/{activity.id}"
    cases = [
        ("GET", f"{base(server)}/nothing/here", None, {}, 404),
        ("GET", url, None, {}, 405),
        ("POST", f"{base(server)}/e/{event.join_code}/a/abc", {"csrf": csrf}, {}, 404),
        ("POST", url, b"\xff\xfe\x00garbage", {"Content-Type": "multipart/form-data; boundary=x"},
         400),
        ("POST", url, b"csrf=%ZZ&text=%FF", {"Content-Type": "application/x-www-form-urlencoded"},
         403),
    ]
    for method, target, data, headers, status in cases:
        async with phone.request(method, target, data=data, headers=headers) as r:
            assert r.status == status, (method, target, r.status)
            assert r.content_type == "text/html"
            assert "<h1>" in await r.text()


async def test_english_on_request_and_remembered(server, phone, demo):
    event, _ = demo
    async with phone.get(f"{base(server)}/e/{event.join_code}?lang=en") as r:
        assert 'lang="en"' in await r.text()
    async with phone.get(f"{base(server)}/e/nosuch") as r:
        assert r.status == 404 and "No event has this code" in await r.text()


async def test_a_device_is_rate_limited_after_a_burst(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    url = f"{base(server)}/e/{event.join_code}/a/{activity.id}"
    statuses = []
    for i in range(15):
        form = {"csrf": csrf, "text": f"nopea {i}", "heading": activity.headings[0]}
        async with phone.post(url, data=form, allow_redirects=False) as r:
            statuses.append(r.status)
    assert statuses[:10] == [303] * 10
    assert 429 in statuses[10:]


async def test_state_endpoint_lists_open_activities(server, phone, demo):
    event, activity = demo
    async with phone.get(f"{base(server)}/e/{event.join_code}/state") as r:
        assert await r.json() == {"open": [activity.id], "key": f"{activity.id}.1"}
