"""The published memo over real HTTP: nothing before `publish`, the memo to read and the
DOCX and PDF to download after, nothing again after `--unpublish` — and never a hidden or
waiting note. Published and unpublished from the command line, as another terminal does."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import docx
import pytest

from facilitator.web import publish
from tests.cli_runner import ok
from tests.conftest import csrf_of, hide
from tests.web.test_participant_http import base

KNOWN = "Opiskelijahuolto on yhteinen asia"
HIDDEN = "Tämä piilotettu ei kuulu kenellekään"
PENDING = "Tämä odottaa eikä kuulu muistioon"
ADDRESSES = ("/memo", "/memo.docx", "/memo.pdf")


async def _post(phone, server, event, activity, text):
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        csrf = csrf_of(await r.text())
    form = {"csrf": csrf, "text": text, "heading": activity.headings[0]}
    async with phone.post(f"{base(server)}/e/{event.join_code}/a/{activity.id}",
                          data=form) as r:
        assert r.status == 200


@pytest.fixture
async def noted(server, phone, demo, store):
    """The demo with a known note, a hidden one and one waiting for approval."""
    event, activity = demo
    await _post(phone, server, event, activity, KNOWN)
    await _post(phone, server, event, activity, HIDDEN)
    hidden = next(n for n in store.notes(activity.id) if n.text == HIDDEN)
    hide(store, hidden.id)
    store.set_premoderated(activity.id, True)
    await _post(phone, server, event, activity, PENDING)
    return event, activity


async def test_not_published_then_published_then_not(server, phone, noted, db_path):
    event, _ = noted
    url = f"{base(server)}/e/{event.join_code}"
    for address in ADDRESSES:
        async with phone.get(url + address) as r:
            assert r.status == 404
            page = await r.text()
        assert "muistiota ei ole julkaistu" in page and f'href="/e/{event.join_code}"' in page
    async with phone.get(url) as r:
        assert 'id="memo"' not in await r.text()

    assert "published the memo" in ok(db_path, "publish", event.join_code)
    async with phone.get(url) as r:
        page = await r.text()
    assert 'id="memo"' in page and f'href="/e/{event.join_code}/memo.docx"' in page

    async with phone.get(url + "/memo") as r:
        assert r.status == 200
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "style-src 'sha256-" in r.headers["Content-Security-Policy"]
        assert "Content-Disposition" not in r.headers
        html = await r.text()
    assert html.startswith("<!DOCTYPE html>") and KNOWN in html
    assert HIDDEN not in html and PENDING not in html

    async with phone.get(url + "/memo.docx") as r:
        assert r.status == 200
        assert r.headers["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        assert r.headers["Content-Disposition"].startswith(
            'attachment; filename="muistio-kokeiluseminaari-demo.docx"')
        data = await r.read()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert KNOWN in text and HIDDEN not in text and PENDING not in text

    if publish.pdf_available():
        async with phone.get(url + "/memo.pdf") as r:
            assert r.status == 200 and r.headers["Content-Type"] == "application/pdf"
            assert 'filename="muistio-kokeiluseminaari-demo.pdf"' in \
                r.headers["Content-Disposition"]
            assert (await r.read()).startswith(b"%PDF")

    assert "unpublished the memo" in ok(db_path, "publish", event.join_code, "--unpublish")
    for address in ADDRESSES:
        async with phone.get(url + address) as r:
            assert r.status == 404
    async with phone.get(url) as r:
        assert 'id="memo"' not in await r.text()


async def test_an_unknown_event_has_no_memo(server, phone, noted, db_path):
    event, _ = noted
    ok(db_path, "publish", event.join_code)
    for address in ADDRESSES:
        async with phone.get(f"{base(server)}/e/QQQQQ{address}") as r:
            assert r.status == 404
            assert "Tällä koodilla ei löytynyt tilaisuutta" in await r.text()


async def test_a_room_opening_it_at_once_builds_it_once_and_a_new_note_rebuilds_it(
        server, phone, noted, store, monkeypatch):
    event, activity = noted
    store.set_memo_published(event.id, True)
    builds, build = [], publish.render_file

    def counted(*args, **kwargs):
        builds.append(args)
        return build(*args, **kwargs)

    monkeypatch.setattr(publish, "render_file", counted)
    url = f"{base(server)}/e/{event.join_code}/memo"

    async def read() -> str:
        async with phone.get(url) as r:
            assert r.status == 200
            return await r.text()

    pages = await asyncio.gather(*(read() for _ in range(30)))
    assert len(builds) == 1 and all(KNOWN in p for p in pages)
    await read()
    assert len(builds) == 1  # nothing changed: the same memo
    store.set_premoderated(activity.id, False)
    await _post(phone, server, event, activity, "Uusi huomio julkaisun jälkeen")
    assert "Uusi huomio julkaisun jälkeen" in await read()
    assert len(builds) == 2


async def test_a_slow_build_does_not_hold_other_pages(server, phone, noted, store,
                                                      monkeypatch):
    event, _ = noted
    store.set_memo_published(event.id, True)
    started, release = threading.Event(), threading.Event()

    def slow(*args, **kwargs):  # a PDF of a big seminar takes seconds
        started.set()
        release.wait(10)
        return b"%PDF-slow"

    monkeypatch.setattr(publish, "render_file", slow)
    monkeypatch.setattr(publish, "pdf_available", lambda: True)
    url = f"{base(server)}/e/{event.join_code}"

    async def pdf() -> bytes:
        async with phone.get(url + "/memo.pdf") as r:
            return await r.read()

    pending = asyncio.ensure_future(pdf())
    assert await asyncio.to_thread(started.wait, 10)
    began = time.monotonic()
    async with phone.get(url) as r:
        assert r.status == 200
    assert time.monotonic() - began < 1.0
    assert not pending.done()
    release.set()
    assert await pending == b"%PDF-slow"
