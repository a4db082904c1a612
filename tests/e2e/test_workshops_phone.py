"""A real phone-sized Chromium in seminar 2's parallel workshops: it chooses one, sees only
its activities, changes workshop from the link on its page, and a workshop's card (its
QR code's address) takes it straight there — with and without JavaScript."""

from __future__ import annotations

import pytest

from facilitator import templates

pytestmark = pytest.mark.e2e


@pytest.fixture
def seminar(store):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    acts = {a.title: a for a in store.activities(event.id)}
    for title in ("Tunnerivi", "Aarrekartta"):
        store.set_activity_state(event.id, acts[title].id, "open")
    return event, store.workshops(event.id)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_phone_chooses_and_changes_its_workshop(base_url, phone_page, store, seminar):
    event, (_, w2, _) = seminar
    page = phone_page
    page.goto(f"{base_url}/e/{event.join_code}")
    page.get_by_role("heading", name="Valitse työpajasi").wait_for()
    page.get_by_role("button", name="Työpaja 1").click()
    page.get_by_role("heading", name="Tunnerivi").wait_for()
    assert page.get_by_role("heading", name="Aarrekartta").count() == 0
    assert "Työpajasi: Työpaja 1" in page.locator("#workshop").inner_text()
    page.get_by_role("link", name="Vaihda työpajaa").click()
    page.get_by_role("button", name="Työpaja 2").click()
    page.get_by_role("heading", name="Aarrekartta").wait_for()
    assert page.get_by_role("heading", name="Tunnerivi").count() == 0
    [participant] = store.db.execute("SELECT workshop_id FROM participants").fetchall()
    assert participant == (w2.id,)


def test_a_workshops_card_takes_a_new_phone_there(base_url, phone_page, store, seminar):
    event, (_, w2, _) = seminar
    page = phone_page
    page.goto(f"{base_url}/e/{event.join_code}/w/{w2.id}")  # the card's QR code, scanned
    page.wait_for_url(f"**/e/{event.join_code}")
    page.get_by_role("heading", name="Aarrekartta").wait_for()
    assert page.get_by_role("heading", name="Tunnerivi").count() == 0
    assert "Työpajasi: Työpaja 2" in page.locator("#workshop").inner_text()
