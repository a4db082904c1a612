"""Done when: every activity of the four bundled seminars runs with its method — opened,
a phone fills in the forms its page shows, the console's live view and the memo show it.

The phone here knows no method: it fills each form the page offers, as a person would,
and posts it back over real HTTP, so any activity whose page cannot be filled fails.
"""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.memo import build_memo, render_markdown
from tests.forms import page_forms

SEED = ["seminaari-1", "verkkokeskustelu-1", "seminaari-2", "verkkokeskustelu-2"]


@pytest.mark.parametrize("name", SEED)
async def test_each_activity_takes_input_through_its_own_forms(name, store, server, phone):
    event = store.create_event(templates.load(templates.resolve(name)))
    base = f"http://127.0.0.1:{server.port}"
    for activity in store.activities(event.id):
        assert activity.method in methods.known()
        store.set_activity_state(event.id, activity.id, "open")
        sent = set()
        # Forms appear as earlier ones are done (a group first, then the note; a topic,
        # then its placing): post each new one once.
        for _ in range(6):
            async with phone.get(f"{base}/e/{event.join_code}") as r:
                assert r.status == 200
                html = await r.text()
            forms = [f for f in page_forms(html) if f.action.endswith(f"/a/{activity.id}")
                     and f.name not in sent]
            if not forms:
                break
            form = forms[0]
            async with phone.post(base + form.action, data=form.fill(),
                                  allow_redirects=False) as r:
                assert r.status == 303, (activity.title, form.name, await r.text())
            sent.add(form.name)
        assert sent - {"group"}, f"{activity.title}: no form besides the group's"
        ctx = methods.Context(store, store.activity(activity.id))
        method = methods.get(activity.method)
        assert method.count(ctx) >= 1, activity.title
        assert method.live_view(ctx), activity.title
        store.set_activity_state(event.id, activity.id, "closed")
    memo = render_markdown(build_memo(store, event.id))
    assert "Ei kirjattuja vastauksia." not in memo
