"""The room's screen passes axe-core's WCAG 2.1 A/AA rules in real Chromium at a laptop's
1280×720 output, in Finnish and in English: the join screen (its QR code an image with a
name), and the live view of every kind of bundled activity, filled by a phone over real
HTTP as in a room, open and — for what shows results only then — closed."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from facilitator import templates
from facilitator.web import projector
from tests.e2e.test_accessibility import Checker
from tests.e2e.test_projector import local_only, wall_url
from tests.memo.seminar import _fill
from tests.seed import per_phone

pytestmark = pytest.mark.e2e


def _every_kind():
    """Every bundled method in one event: the demo's open questions, seminar 2's methods,
    the second online round's discussion and dot vote (per participant: one phone fills
    it here)."""
    demo = templates.load(templates.resolve("demo"))
    seminar = templates.load(templates.resolve("seminaari-2"))
    online = per_phone(templates.load(templates.resolve("verkkokeskustelu-2")))
    return replace(seminar, parts=demo.parts + seminar.parts + online.parts)


@pytest.fixture
def filled(store):
    """The event, every activity with what a phone sent over real HTTP, all closed; made
    before the browser, whose sync API holds this thread's event loop."""
    event = store.create_event(_every_kind())
    asyncio.run(_fill(store, event.id))
    return event


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_wall_passes_axe_on_the_join_screen_and_every_activity(filled, base_url, store,
                                                                   browser, lang):
    event = filled
    activities = store.activities(event.id)
    assert {a.method for a in activities} >= {"question", "emotion_line", "buzz_groups",
                                              "process_walk", "treasure_map", "open_space",
                                              "discussion", "dot_vote"}
    page = local_only(browser.new_context(viewport={"width": 1280, "height": 720},
                                          bypass_csp=True).new_page())  # axe's script
    check = Checker(page)
    url = f"{wall_url(base_url, store, event)}?lang={lang}"

    assert page.goto(url).status == 200
    named = {"fi": "QR-koodi, joka avaa osoitteen", "en": "QR code that opens"}[lang]
    # Nothing open: the join screen, its code an image named for what it opens.
    assert page.get_by_role("img", name=f"{named} {base_url}/e/{event.join_code}").is_visible()
    check("join screen")
    for activity in activities:
        store.set_activity_state(event.id, activity.id, "open")
        assert page.goto(url).status == 200
        page.get_by_role("heading", name=activity.title, level=1).wait_for()
        check(f"{activity.method} {activity.title!r} open")
        store.set_activity_state(event.id, activity.id, "closed")
        projector.set_mode(store, event.id, show="activity", activity=activity.id)
        assert page.goto(url).status == 200
        page.get_by_role("heading", name=activity.title, level=1).wait_for()
        check(f"{activity.method} {activity.title!r} closed")
        projector.set_mode(store, event.id, show="auto", activity=None)
    check.assert_clean(at_least=9)  # the join screen and at least each kind once
