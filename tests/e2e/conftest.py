"""A real server on its own thread and a real phone-sized Chromium, for the e2e tests."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket

CHROMIUM = "/usr/lib/chromium/chromium"


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are skipped — except in CI, where a missing
    browser means `.ci/run` is broken and must fail loudly."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture
def base_url(db_path):
    """The real server on its own thread and loop, as in a room; the browser is sync."""
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
    yield f"http://127.0.0.1:{server.port}"
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture
def phone_page(request):
    """A phone-sized page; `@pytest.mark.parametrize("phone_page", [False], indirect=True)`
    turns JavaScript off."""
    from playwright.sync_api import sync_playwright

    javascript = getattr(request, "param", True)
    with sync_playwright() as p:
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


@pytest.fixture
def checked_page():
    """A phone-sized page (390 px, a common phone) whose context lets a test inject
    axe-core past the page's strict CSP; nothing leaves the machine."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      is_mobile=True, has_touch=True, bypass_csp=True)
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith("http://127.0.0.1") else route.abort())
        yield page
        browser.close()


