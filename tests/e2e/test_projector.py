"""The room's screen and phones that follow, in a real Chromium against the real server.

The server runs on its own thread with its own connection; this test's store is another
connection, as the console's CLI in another process would be (`facilitator hide`, `open`,
`next`): the server learns of those changes only from the database."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.web import projector
from tests.conftest import hide

pytestmark = pytest.mark.e2e

#: The issue's bound: on the wall, or on the phone, within 2 s.
WITHIN_MS = 2000


def local_only(page):
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith("http://127.0.0.1") else route.abort())
    return page


@pytest.fixture
def wall(browser):
    """The projector: a laptop's 1280×720 output, nobody touching it."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    return local_only(context.new_page())


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    return local_only(context.new_page())


def mark(page):
    """A flag only this load of the page carries: gone after any reload."""
    page.evaluate("window.__sameLoad = true")


def same_load(page) -> bool:
    return page.evaluate("window.__sameLoad === true")


def wall_url(base, store, event):
    return f"{base}/p/{projector.projector_token(store.secret(), event.id)}"


def test_the_wall_shows_a_phones_note_at_once_and_drops_it_when_hidden(
        base_url, demo, store, wall, phone, tmp_path):
    event, activity = demo
    wall.goto(wall_url(base_url, store, event))
    assert wall.get_by_role("heading", name=activity.title).is_visible()
    mark(wall)

    phone.goto(f"{base_url}/e/{event.join_code}")
    phone.get_by_role("radio", name=activity.headings[0]).check()
    phone.get_by_label("Kirjoita ajatuksesi").fill("Yhteinen <b>kieli</b> puuttuu")
    phone.get_by_role("button", name="Lähetä").click()
    phone.wait_for_url("**/e/*?sent=*")

    note = wall.get_by_text("Yhteinen <b>kieli</b> puuttuu", exact=True)
    note.wait_for(timeout=WITHIN_MS)
    assert same_load(wall)  # it came down the stream: no reload
    wall.screenshot(path=str(tmp_path / "wall.png"))

    [stored] = store.notes(activity.id)
    hide(store, stored.id)  # as `facilitator hide` does, from another connection
    note.wait_for(state="detached", timeout=WITHIN_MS)
    assert same_load(wall)


def test_the_wall_shows_the_join_code_when_nothing_runs_and_when_told(
        base_url, store, wall):
    event = store.create_event(templates.load(templates.resolve("demo")))
    wall.goto(wall_url(base_url, store, event))
    assert wall.locator("svg.qr").is_visible()
    assert wall.get_by_text(event.join_code, exact=True).is_visible()
    assert wall.get_by_text(f"/e/{event.join_code}").is_visible()
    box = wall.locator("svg.qr").bounding_box()
    assert box["height"] > 400  # large enough to scan from the back of the room
    mark(wall)
    first = store.activities(event.id)[0]
    store.set_activity_state(event.id, first.id, "open")
    wall.get_by_role("heading", name=first.title).wait_for(timeout=WITHIN_MS)
    assert wall.locator("svg.qr").count() == 0
    projector.set_mode(store, event.id, show="join")
    wall.locator("svg.qr").wait_for(timeout=WITHIN_MS)
    assert same_load(wall)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_join_screens_qr_code_scans_to_the_join_url(base_url, store, browser, tmp_path,
                                                        size):
    zxingcpp = pytest.importorskip("zxingcpp")  # the table cards' test dependency
    from PIL import Image

    event = store.create_event(templates.load(templates.resolve("demo")))
    page = local_only(browser.new_context(
        viewport={"width": size[0], "height": size[1]}).new_page())
    page.goto(wall_url(base_url, store, event))
    page.screenshot(path=str(tmp_path / "join.png"))
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "join.png"))
    assert [code.text for code in found] == [f"{base_url}/e/{event.join_code}"]


def test_a_frozen_wall_keeps_its_screen_and_starred_shows_only_starred(
        base_url, demo, store, wall):
    event, activity = demo
    kept = store.add_note(activity.id, "Tähti tälle", activity.headings[0])
    store.add_note(activity.id, "Ilman tähteä", activity.headings[0])
    wall.goto(wall_url(base_url, store, event))
    wall.get_by_text("Ilman tähteä").wait_for(timeout=WITHIN_MS)
    projector.set_mode(store, event.id, frozen=True)
    wall.wait_for_timeout(600)  # the hub has seen the freeze
    store.add_note(activity.id, "Jäädytyksen aikana", activity.headings[0])
    wall.wait_for_timeout(1000)
    assert wall.get_by_text("Jäädytyksen aikana").count() == 0
    methods.moderation.star(store, event.id, [kept.id])
    projector.set_mode(store, event.id, frozen=False, starred=True)
    wall.get_by_text("Ilman tähteä").wait_for(state="detached", timeout=WITHIN_MS)
    assert wall.get_by_text("Tähti tälle").is_visible()


def test_a_wrong_or_missing_token_is_the_normal_404(base_url, demo, store, wall):
    event, _ = demo
    right = projector.projector_token(store.secret(), event.id)
    wrong = ("A" if right[0] != "A" else "B") + right[1:]
    for path in (f"/p/{wrong}", "/p/", "/p/x", f"/p/{wrong}/stream"):
        response = wall.goto(base_url + path)
        assert response.status == 404, path
        assert "Sivua ei löytynyt" in wall.content()
    assert event.title not in wall.content()


def test_a_phone_follows_a_new_activity_and_a_new_round_within_two_seconds(
        base_url, store, phone):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    line = next(a for a in store.activities(event.id) if a.method == "emotion_line")
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, line.id, "open")
    phone.goto(f"{base_url}/e/{event.join_code}")
    # The live region is there from the start, empty, so a screen reader will announce it.
    region = phone.locator("#live")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text() == ""
    mark(phone)

    store.set_activity_state(event.id, line.id, "closed")
    store.set_activity_state(event.id, walk.id, "open")
    phone.get_by_role("heading", name=walk.title).wait_for(timeout=WITHIN_MS)
    assert not same_load(phone)  # it followed by itself
    key = phone.locator("#live").get_attribute("data-key")
    mark(phone)

    ctx = methods.Context(store, store.activity(walk.id), audience="console")
    methods.get("process_walk").act(ctx, "next_round", methods.Posted({}))
    phone.wait_for_function(
        "key => document.getElementById('live') && !window.__sameLoad"
        " && document.getElementById('live').dataset.key !== key", arg=key,
        timeout=WITHIN_MS)
    assert phone.locator("#live").get_attribute("data-key") == f"{walk.id}.2"


def test_a_phone_that_is_typing_is_told_in_the_live_region_and_keeps_its_text(
        base_url, demo, store, phone):
    event, activity = demo
    phone.goto(f"{base_url}/e/{event.join_code}")
    phone.get_by_label("Kirjoita ajatuksesi").fill("Puolivalmis ajatus")
    mark(phone)
    store.set_activity_state(event.id, activity.id, "closed")
    region = phone.locator("#live")
    phone.wait_for_function("() => document.getElementById('live').textContent.length > 0",
                            timeout=WITHIN_MS)
    assert "Fasilitaattori vaihtoi tehtävää" in region.inner_text()
    assert same_load(phone)
    assert phone.get_by_label("Kirjoita ajatuksesi").input_value() == "Puolivalmis ajatus"


@pytest.mark.parametrize("javascript", [False])
def test_without_javascript_an_activity_page_has_a_reload_link(base_url, demo, browser,
                                                                javascript):
    event, _ = demo
    page = local_only(browser.new_context(java_script_enabled=javascript).new_page())
    page.goto(f"{base_url}/e/{event.join_code}")
    link = page.get_by_role("link", name="Päivitä")
    assert link.get_attribute("href") == f"/e/{event.join_code}"


def test_a_phone_without_event_source_follows_by_polling(base_url, demo, store, browser):
    event, activity = demo
    page = local_only(browser.new_context(viewport={"width": 360, "height": 740}).new_page())
    page.add_init_script("delete window.EventSource")
    streams = []
    page.on("request", lambda r: streams.append(r.url) if r.url.endswith("/stream") else None)
    page.goto(f"{base_url}/e/{event.join_code}")
    assert page.evaluate("typeof window.EventSource") == "undefined"
    last = store.activities(event.id)[2]
    store.set_activity_state(event.id, activity.id, "closed")
    store.set_activity_state(event.id, last.id, "open")
    page.get_by_role("heading", name=last.title).wait_for(timeout=8000)  # a 5 s poll
    assert streams == []


def refuse_streams(page, status: int):
    """Every stream answered as the server answers one past its caps (stream.py): the
    status and an HTML page. The page and its polls still reach the real server."""
    refused = []

    def answer(route):
        refused.append(route.request.url)
        route.fulfill(status=status, content_type="text/html; charset=utf-8",
                      body="<!doctype html><title>Ei tilaa</title>")

    page.route("**/stream*", answer)
    return refused


@pytest.mark.parametrize("status", [429, 503])
def test_a_phone_refused_its_stream_follows_by_polling(base_url, demo, store, phone, status):
    event, activity = demo
    refused = refuse_streams(phone, status)
    phone.goto(f"{base_url}/e/{event.join_code}")
    last = store.activities(event.id)[2]
    store.set_activity_state(event.id, activity.id, "closed")
    store.set_activity_state(event.id, last.id, "open")
    phone.get_by_role("heading", name=last.title).wait_for(timeout=8000)  # a 5 s poll
    assert refused  # it did try the stream, and the browser gave up on it for good


def test_a_wall_refused_its_stream_asks_again_and_follows_once_there_is_room(
        base_url, demo, store, wall):
    event, activity = demo
    refused = refuse_streams(wall, 503)
    wall.goto(wall_url(base_url, store, event))
    wall.wait_for_timeout(6000)
    assert len(refused) >= 2  # asked again after 5 s, not only once
    wall.unroute("**/stream*")
    mark(wall)
    wall.wait_for_timeout(5500)  # its next try gets the real stream
    store.add_note(activity.id, "Tila vapautui", activity.headings[0])
    wall.get_by_text("Tila vapautui").wait_for(timeout=WITHIN_MS)
    assert same_load(wall)  # by the stream, no reload
