"""A real phone-sized Chromium joins from the join URL and sends a note."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket

CHROMIUM = "/usr/lib/chromium/chromium"

pytestmark = pytest.mark.e2e

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live_server(db_path, demo):
    """The real server on its own thread and loop, as in a room; the browser is sync."""
    event, activity = demo
    store = Store(open_db(db_path))  # the server thread's own connection
    loop = asyncio.new_event_loop()
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    started = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{server.port}", event, activity
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture
def phone_page(request):
    """A phone-sized page; `@pytest.mark.parametrize("phone_page", [False], indirect=True)`
    turns JavaScript off."""
    javascript = getattr(request, "param", True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740},
                                      device_scale_factor=2, is_mobile=True, has_touch=True,
                                      java_script_enabled=javascript)
        page = context.new_page()
        # Nothing leaves the machine: only our own server may be reached.
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith("http://127.0.0.1") else route.abort())
        yield page
        browser.close()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_phone_joins_by_url_and_sends_a_note(live_server, phone_page, store, tmp_path):
    base, event, activity = live_server
    page = phone_page
    page.goto(f"{base}/e/{event.join_code}")
    assert page.locator("h1").inner_text() == event.title
    page.get_by_role("radio", name=activity.headings[1]).check()
    page.get_by_label("Kirjoita ajatuksesi").fill("Tiedonkulku <b>ontuu</b>")
    page.get_by_role("button", name="Lähetä").click()
    page.wait_for_url("**/e/*?sent=*")
    assert "Kiitos, vastauksesi on tallennettu." in page.locator("#sent").inner_text()
    assert "Tiedonkulku <b>ontuu</b>" in page.locator("#sent blockquote").inner_text()
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    notes = store.notes(activity.id)
    assert [(n.heading, n.text) for n in notes] == [(activity.headings[1],
                                                     "Tiedonkulku <b>ontuu</b>")]


def test_phone_types_the_code_at_the_bare_address(live_server, phone_page):
    base, event, _ = live_server
    page = phone_page
    page.goto(base)
    page.get_by_label("Tilaisuuden koodi").fill(event.join_code.lower())
    page.get_by_role("button", name="Osallistu").click()
    page.wait_for_url(f"**/e/{event.join_code}")
    assert page.locator("h1").inner_text() == event.title


def test_page_follows_when_the_facilitator_opens_the_next_activity(live_server, phone_page,
                                                                   store, demo):
    base, event, activity = live_server
    page = phone_page
    page.goto(f"{base}/e/{event.join_code}")
    last = store.activities(event.id)[2]
    store.set_activity_state(event.id, activity.id, "closed")
    store.set_activity_state(event.id, last.id, "open")
    page.get_by_role("heading", name=last.title).wait_for(timeout=12_000)
    assert page.get_by_role("heading", name=activity.title).count() == 0


