"""A full disk or a database that turned read-only under the server: a clear page for the
phone with its text kept, one log line for the facilitator, never a 500 or a traceback."""

from __future__ import annotations

import logging

from tests.conftest import csrf_of
from tests.web.test_participant_http import base


async def test_a_write_that_fails_is_a_clear_page_and_one_line(server, phone, demo, store,
                                                              caplog):
    """The server's writing connection made query-only: what SQLite says for a file that became
    read-only ("attempt to write a readonly database"); a full disk takes the same path."""
    event, activity = demo
    url = f"{base(server)}/e/{event.join_code}"
    async with phone.get(url) as r:
        csrf = csrf_of(await r.text())
    server.writer.configure("PRAGMA query_only = ON")  # the connection the posts use
    form = {"csrf": csrf, "text": "Tämä ei saa kadota", "heading": activity.headings[0]}
    with caplog.at_level(logging.ERROR):
        async with phone.post(f"{url}/a/{activity.id}", data=form) as r:
            assert r.status == 503
            page = await r.text()
    assert "tallennustilassa on ongelma" in page and "Tämä ei saa kadota" in page
    records = [r for r in caplog.records if r.name.startswith("facilitator")]
    assert len(records) == 1 and records[0].exc_info is None
    assert "\n" not in records[0].getMessage()
    async with phone.get(url) as r:  # reading still works
        assert r.status == 200


async def test_a_server_on_a_read_only_file_shows_pages_and_refuses_posts_with_their_text(
    tmp_path, caplog
):
    """A file write-protected on purpose: phones read, a post is the storage page with
    its text, one line each, and the file is never written (not even by root)."""
    import aiohttp

    from facilitator import templates
    from facilitator.storage import Store, open_db
    from facilitator.web import ParticipantServer, bind_socket

    path = tmp_path / "suojattu.db"
    writable = Store(open_db(path))
    event = writable.create_event(templates.load(templates.resolve("demo")))
    activity = writable.activities(event.id)[1]
    writable.set_activity_state(event.id, activity.id, "open")
    writable.secret()
    writable.db.conn.close()
    path.chmod(0o444)
    before = path.read_bytes()
    store = Store(open_db(path))
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    await server.start()
    url = f"{base(server)}/e/{event.join_code}"
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(url) as r:
                assert r.status == 200
                csrf = csrf_of(await r.text())
            form = {"csrf": csrf, "text": "Suojattuun ei kirjoiteta",
                    "heading": activity.headings[0]}
            with caplog.at_level(logging.ERROR):
                async with phone.post(f"{url}/a/{activity.id}", data=form) as r:
                    assert r.status == 503
                    page = await r.text()
        assert "tallennustilassa on ongelma" in page and "Suojattuun ei kirjoiteta" in page
        records = [r for r in caplog.records if r.name.startswith("facilitator")]
        assert len(records) == 1 and records[0].exc_info is None
        assert "readonly" in records[0].getMessage()
    finally:
        await server.stop()
        store.db.conn.close()
    assert path.read_bytes() == before
    path.chmod(0o644)
