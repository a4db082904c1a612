"""Odd and hostile requests get a 4xx page, typed text survives refusals, guessing is slow."""

from __future__ import annotations

import gzip
import sqlite3
import threading

import aiohttp
import pytest

from tests.conftest import csrf_of
from tests.web.test_participant_http import base, join, notes_on_disk


async def post(phone, server, event, activity_id, form=None, **kwargs):
    url = f"{base(server)}/e/{event.join_code}/a/{activity_id}"
    async with phone.post(url, data=form, allow_redirects=False, **kwargs) as r:
        return r.status, await r.text()


@pytest.mark.parametrize("activity_id", ["%C2%B9", "99999999999999999999999", "-1", "0"])
async def test_odd_activity_ids_are_404(server, phone, demo, activity_id):
    event, _ = demo
    csrf = await join(phone, server, event.join_code)
    status, page = await post(phone, server, event, activity_id, {"csrf": csrf, "text": "x"})
    assert status == 404 and "ei ole tässä tilaisuudessa" in page


@pytest.mark.parametrize("sent", ["%C2%B9", "9" * 30, "-3", "abc"])
async def test_odd_sent_ids_show_the_page(server, phone, demo, sent):
    event, _ = demo
    async with phone.get(f"{base(server)}/e/{event.join_code}?sent={sent}") as r:
        assert r.status == 200 and "Kiitos" not in await r.text()


async def test_non_ascii_csrf_is_refused_and_the_text_kept(server, phone, demo, db_path):
    event, activity = demo
    await join(phone, server, event.join_code)
    form = {"csrf": "ä", "text": "Tärkeä ajatus", "heading": activity.headings[0]}
    status, page = await post(phone, server, event, activity.id, form)
    assert status == 403 and "Tärkeä ajatus" in page
    assert notes_on_disk(db_path) == []


@pytest.mark.parametrize(
    "body, headers",
    [
        (b"csrf=x&text=y", {"Content-Type": "application/x-www-form-urlencoded; charset=bogus"}),
        (b"not gzip at all", {"Content-Type": "application/x-www-form-urlencoded",
                              "Content-Encoding": "gzip"}),
        (gzip.compress(b"csrf=") + b"trailing", {
            "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"}),
    ],
)
async def test_unreadable_bodies_are_400(server, phone, demo, body, headers):
    event, activity = demo
    await join(phone, server, event.join_code)
    status, page = await post(phone, server, event, activity.id, body, headers=headers)
    assert status == 400 and "Pyyntöä ei voitu lukea" in page


async def test_very_long_paths_are_refused_with_a_page(server, phone):
    async with phone.get(f"{base(server)}/static/{'a' * 4000}") as r:
        assert r.status == 414 and "<h1>" in await r.text()


async def test_language_link_never_leaves_the_site_or_points_at_a_post(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    status, page = await post(phone, server, event, activity.id,
                              {"csrf": csrf, "text": "", "heading": activity.headings[0]})
    assert status == 422 and f'href="/e/{event.join_code}?lang=en"' in page
    async with phone.get(f"{base(server)}//evil.example/x") as r:
        assert r.status == 404
        assert 'href="/?lang=en"' in await r.text()


async def test_rate_limited_post_keeps_the_text(server, phone, demo):
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    last = None
    for i in range(12):
        form = {"csrf": csrf, "text": f"kiireinen ajatus {i}", "heading": activity.headings[0]}
        last = await post(phone, server, event, activity.id, form)
    status, page = last
    assert status == 429 and "kiireinen ajatus 11" in page


async def test_a_draft_activity_says_not_open_yet(server, phone, demo, store):
    event, _ = demo
    draft = store.activities(event.id)[2]
    csrf = await join(phone, server, event.join_code)
    status, page = await post(phone, server, event, draft.id, {"csrf": csrf, "text": "etuajassa"})
    assert status == 409 and "ei ole vielä avattu" in page and "etuajassa" in page


async def test_head_requests_do_not_count_as_participants(server, demo, store):
    event, _ = demo
    async with aiohttp.ClientSession() as preview:
        for _ in range(3):
            async with preview.head(f"{base(server)}/e/{event.join_code}") as r:
                assert r.status == 200
    assert store.participant_count(event.id) == 0


async def test_a_note_waits_for_another_process_holding_the_write_lock(server, phone, demo,
                                                                      db_path):
    """The CLI opening an activity at the same moment must not make a phone's note fail."""
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE events SET place = 'Hyvinkää'")
    # The server runs in this test's loop and blocks in SQLite's busy wait, so the other
    # "process" lets go of the lock from a thread.
    timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    timer.start()
    form = {"csrf": csrf, "text": "odotti vuoroaan", "heading": activity.headings[0]}
    status, _ = await post(phone, server, event, activity.id, form)
    timer.join()
    other.close()
    assert status == 303
    assert ("odotti vuoroaan", activity.headings[0], 1) in notes_on_disk(db_path)


async def test_minting_devices_from_one_address_is_bounded(server, demo, store):
    from facilitator.web.app import JOIN_LIMIT

    event, _ = demo
    limit = server.app[JOIN_LIMIT]
    limit.burst, limit.per_second = 5, 0.001  # the real burst is a whole room; same rule
    activity = store.activities(event.id)[1]
    url = f"{base(server)}/e/{event.join_code}"
    statuses = []
    for n in range(8):
        # A new session each time: no cookie, a new device; it becomes one on posting.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as fresh:
            async with fresh.get(url) as r:
                assert r.status == 200  # reading is never limited: it makes no one
                csrf = csrf_of(await r.text())
            form = {"csrf": csrf, "text": f"laite {n}", "heading": activity.headings[0]}
            async with fresh.post(f"{url}/a/{activity.id}", data=form) as r:
                statuses.append(r.status)
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429
    assert store.participant_count(event.id) == 5


@pytest.mark.parametrize("text", ["\u200b\u200b\ufeff", " \u00a0\u2003 ", "\u202e"])
async def test_a_note_of_nothing_visible_is_refused_as_empty(server, phone, demo, db_path,
                                                             text):
    """Zero-width spaces, byte-order marks and odd spaces alone would be an empty row on
    the board and an empty bullet in the memo."""
    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    form = {"csrf": csrf, "text": text, "heading": activity.headings[0]}
    status, page = await post(phone, server, event, activity.id, form)
    assert status == 422 and "Kirjoita jotain" in page
    assert notes_on_disk(db_path) == []


async def test_a_refused_first_post_leaves_no_participant_beside_one_that_is_kept(
        server, phone, demo, store, db_path):
    """A new phone's empty note is refused (422) in the same batch as another phone's
    note: the refused one leaves not even a participant row, the other is kept."""
    import asyncio

    event, activity = demo
    csrf = await join(phone, server, event.join_code)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        other_csrf = await join(other, server, event.join_code)
        (refused, _page), (kept, _) = await asyncio.gather(
            post(phone, server, event, activity.id,
                 {"csrf": csrf, "text": "  ", "heading": activity.headings[0]}),
            post(other, server, event, activity.id,
                 {"csrf": other_csrf, "text": "pidetään", "heading": activity.headings[0]}))
    assert (refused, kept) == (422, 303)
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT count(*) FROM participants WHERE event_id = ?",
                            [event.id]).fetchone()[0]
    assert rows == 1
    assert [n.text for n in store.notes(activity.id)] == ["pidetään"]
