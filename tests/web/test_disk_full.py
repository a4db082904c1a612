"""A full disk under a running server: a new phone still gets its page, a post gets a
clear 503 page with its text given back, the facilitator one log line each, never a 500
or a traceback; once there is room again, posts go through.

Two ways to fill it: a real small tmpfs (mounting needs root, or the test is skipped),
and SQLite's `max_page_count` on the writer's connection, which fails a write with the
same error a full disk gives (SQLITE_FULL, "database or disk is full") and runs anywhere.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess

import aiohttp
import pytest

from facilitator import templates
from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket
from tests.conftest import csrf_of

NOTE = "Levy täynnä, tämä teksti palaa takaisin. " * 45  # about 1,900 characters


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    ran = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                         capture_output=True, text=True, check=False)
    if ran.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {ran.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder) -> None:
    """Write a file until the file system says it is full."""
    with open(folder / "filler", "wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()


async def phones_post_until_refused(base, event, activity, phones: int = 6):
    """New phones each open the page and post a long note, until the server refuses one.
    Every answer is a redirect (stored) or the storage page with the text given back."""
    url = f"{base}/e/{event.join_code}"
    refused = 0
    for _ in range(phones):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            for _ in range(8):  # within the device's burst
                async with phone.get(url) as r:
                    assert r.status == 200  # reading a page writes nothing
                    csrf = csrf_of(await r.text())
                form = {"csrf": csrf, "text": NOTE, "heading": activity.headings[0]}
                async with phone.post(f"{url}/a/{activity.id}", data=form,
                                      allow_redirects=False) as r:
                    page = await r.text()
                    assert r.status in (303, 503), (r.status, page)
                    if r.status == 503:
                        assert "tallennustilassa on ongelma" in page
                        assert NOTE.strip() in page
                        refused += 1
                        return refused
    return refused


def one_line_each(caplog) -> None:
    records = [r for r in caplog.records if r.name.startswith("facilitator")]
    assert records
    for record in records:
        assert record.exc_info is None and "\n" not in record.getMessage()
        assert "disk is full" in record.getMessage()


async def demo_server(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    srv = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    await srv.start()
    return srv, event, store.activity(activity.id)


async def test_a_full_tmpfs_is_a_clear_page_and_one_line(small_disk, caplog):
    store = Store(open_db(small_disk / "facilitator.db"))
    srv, event, activity = await demo_server(store)
    base = f"http://127.0.0.1:{srv.port}"
    try:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log must grow to write
        fill(small_disk)
        with caplog.at_level(logging.WARNING):
            assert await phones_post_until_refused(base, event, activity) == 1
        one_line_each(caplog)
        (small_disk / "filler").unlink()  # room again: the same server takes notes
        assert await phones_post_until_refused(base, event, activity, phones=1) == 0
    finally:
        await srv.stop()
        store.db.conn.close()


async def test_a_full_database_is_a_clear_page_and_one_line(store, caplog):
    srv, event, activity = await demo_server(store)
    base = f"http://127.0.0.1:{srv.port}"
    try:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        srv.writer.configure(f"PRAGMA max_page_count = {pages}")
        with caplog.at_level(logging.WARNING):
            assert await phones_post_until_refused(base, event, activity) == 1
        one_line_each(caplog)
        srv.writer.configure("PRAGMA max_page_count = 4294967294")
        assert await phones_post_until_refused(base, event, activity, phones=1) == 0
    finally:
        await srv.stop()
