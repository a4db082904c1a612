"""A real phone-sized Chromium joins from the join URL and sends a note."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_server(base_url, demo):
    event, activity = demo
    return base_url, event, activity


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


