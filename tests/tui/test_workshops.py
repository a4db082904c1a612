"""Parallel workshops and table cards on the console: the programme says which workshop
each activity is in, the join panel how many phones are in each (phones choosing over real
HTTP), and the groups' dialog writes the table cards to a file with `p`."""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens import EventScreen
from facilitator.tui.screens.dialogs import GroupLinks
from facilitator.tui.widgets import JoinPanel, Programme
from facilitator.tui.widgets.programme import ActivityItem
from facilitator.web import bind_socket
from tests.forms import page_forms
from tests.tui.test_console import SIZE, rendered, text_in, wait_until

BASE_URLS = ["http://192.168.1.20:8080"]


def toasts(app) -> str:
    return " ".join(str(t.render()) for t in app.screen.query("Toast"))


@pytest.fixture
def seminar(store):
    """Seminar 2 with workshop 1's emotion line and workshop 2's treasure map open."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    acts = {a.title: a for a in store.activities(event.id)}
    for title in ("Tunnerivi", "Aarrekartta"):
        store.set_activity_state(event.id, acts[title].id, "open")
    return event, acts


def item_text(app, activity) -> str:
    item = next(i for i in app.screen.query_one(Programme).query(ActivityItem)
                if i.activity.id == activity.id)
    return text_in(item)


async def test_the_programme_shows_workshops_and_the_panel_their_phones(store, seminar):
    event, acts = seminar
    w1, w2, _ = store.workshops(event.id)
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        assert "Työpaja 1" in item_text(app, acts["Tunnerivi"])
        assert "Työpaja 2" in item_text(app, acts["Aarrekartta"])
        assert "Työpaja 3" in item_text(app, acts["Open space"])
        assert "Työpaja" not in item_text(app, acts["Porinaryhmät: yhteisöllisyys"])
        panel = lambda: rendered(app.screen.query_one("#workshop-phones"))  # noqa: E731
        assert "Työpajoissa:" in panel() and "Työpaja 1: 0" in panel()
        # One phone chooses workshop 1, two workshop 2, from their pages.
        for workshop in (w1, w2, w2):
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
                async with phone.get(f"{base}/e/{event.join_code}") as r:
                    form = next(f for f in page_forms(await r.text())
                                if f.action.endswith(f"/w/{workshop.id}"))
                async with phone.post(base + form.action, data=form.fill(),
                                      allow_redirects=False) as r:
                    assert r.status == 303
        await wait_until(pilot, lambda: "Työpaja 2: 2" in panel())
        assert "Työpaja 1: 1" in panel() and "Työpaja 3: 0" in panel()
        assert "3" in rendered(app.screen.query_one("#participants"))


async def test_an_event_without_workshops_shows_no_workshop_line(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    app = FacilitatorApp(store, base_urls=BASE_URLS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.event.id == event.id
        assert rendered(app.screen.query_one("#workshop-phones")).strip() == ""
        assert "Työpaja" not in text_in(app.screen.query_one(Programme))
        assert app.screen.query_one(JoinPanel)


async def test_g_then_p_writes_the_table_cards_beside_the_database(store, db_path):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    buzz = next(a for a in store.activities(event.id) if a.method == "buzz_groups")
    store.set_activity_state(event.id, buzz.id, "open")
    app = FacilitatorApp(store, base_urls=BASE_URLS)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupLinks))
        await pilot.press("p")
        target = db_path.parent / f"poytakortit-{event.join_code}.html"
        await wait_until(pilot, lambda: "pöytäkorttia tiedostossa" in toasts(app), within=5)
        assert str(target) in toasts(app) and "14 pöytäkorttia" in toasts(app)
        html = target.read_text(encoding="utf-8")
        first = store.groups(buzz.id)[0]
        assert f"{BASE_URLS[0]}/e/{event.join_code}/g/{first.id}" in html
        assert f"{BASE_URLS[0]}/e/{event.join_code}/w/{store.workshops(event.id)[0].id}" in html
        assert isinstance(app.screen, GroupLinks)  # the dialog stays: show codes meanwhile
