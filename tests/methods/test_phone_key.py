"""`Method.phone_key` is a promise: phones with equal keys are shown the same view, so the
server draws their event page once (web/page_cache.py). Held here for every activity of
the bundled seminars, filled in by several phones through the page's own forms, open
and closed: wherever two participants' keys are equal, their views are."""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import methods, templates
from facilitator.domain import Participant
from tests.forms import page_forms

SEED = ["seminaari-1", "verkkokeskustelu-1", "seminaari-2", "verkkokeskustelu-2"]
#: Two pairs: a pair types and chooses the same (the same table, the same team name in an
#: online round, where each phone names its team; the same position, the same dots), yet
#: each note is its own, with its own id and writer; the pairs choose differently.
PHONES = 4


async def fill_every_form(session, base, event, activity, text, pick):
    """What test_every_activity does for one phone: each new form of the activity once,
    taking the `pick`th choice where nothing is chosen (a group, a position, dots)."""
    sent = set()
    for _ in range(6):
        async with session.get(f"{base}/e/{event.join_code}") as r:
            html = await r.text()
        forms = [f for f in page_forms(html) if f.action.endswith(f"/a/{activity.id}")
                 and f.name not in sent]
        if not forms:
            return
        async with session.post(base + forms[0].action, data=forms[0].fill(text, pick),
                                allow_redirects=False) as r:
            assert r.status in (303, 409, 422), await r.text()  # a full slot, a taken place
        sent.add(forms[0].name)


def views_by_key(store, activity_id):
    """{key: [view, …]} over the event's participants, as their phones see the activity
    (participants with notes waiting are their own page's only reader: left out)."""
    activity = store.activity(activity_id)
    method = methods.get(activity.method)
    found: dict = {}
    rows = store.db.execute("SELECT id, event_id, name, organisation, lang FROM participants"
                            " WHERE event_id = ? ORDER BY id", [activity.event_id]).fetchall()
    for row in rows:
        participant = Participant(*row)
        if store.waiting_of(participant.id):
            continue
        ctx = methods.Context(store, activity, "fi", participant, audience="phone")
        found.setdefault(method.phone_key(ctx), []).append(
            methods.resolve(method.participant_view(ctx), limit=methods.PHONE_LIST_LIMIT))
    return found


@pytest.mark.parametrize("name", SEED)
async def test_phones_with_equal_keys_see_equal_views(name, store, server):
    event = store.create_event(templates.load(templates.resolve(name)))
    base = f"http://127.0.0.1:{server.port}"
    shared = 0
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                for _ in range(PHONES)]
    try:
        for activity in store.activities(event.id):
            store.set_activity_state(event.id, activity.id, "open")
            for n, session in enumerate(sessions):
                await fill_every_form(session, base, event, activity,
                                      f"Puhelin {n // 2} kirjoitti", n // 2)
            for state in ("open", "closed"):
                store.set_activity_state(event.id, activity.id, state)
                for key, views in views_by_key(store, activity.id).items():
                    for view in views[1:]:
                        assert view == views[0], (activity.title, state, key)
                        shared += 1
    finally:
        for session in sessions:
            await session.close()
    # Not vacuous: the phones at one table, or before any table, did share a key.
    assert shared >= PHONES
