"""Who sees what, over real HTTP, for every bundled activity: phone A fills every form its
page shows, the facilitator hides all of A's notes, and phone B's page (while open and
after closing) and the memo never show them. With pre-moderation, A's note waits: A sees
it marked, B and the memo not, until the facilitator approves it.

The phones know no method: they fill whatever forms the page offers (`tests/forms.py`),
so a method that leaks a moderated note anywhere on a phone's page fails here.
"""

from __future__ import annotations

import aiohttp
import pytest

from facilitator import templates
from facilitator.memo import build_memo, render_markdown
from facilitator.methods import moderation
from tests.forms import page_forms

BUNDLED = ["seminaari-1", "verkkokeskustelu-1", "seminaari-2", "verkkokeskustelu-2", "demo"]
#: Templates of open questions only: a phone's page shows no one's notes, its own neither
#: (the confirmation after sending aside), so B can see nothing of A's to begin with.
QUESTIONS_ONLY = {"seminaari-1", "demo"}
#: In every text phone A types (never in a group's name: a group is no note).
SECRET = "AAA-salainen"


class Phone:
    """One phone's browser: its own cookies, the pages it reads, the forms it posts."""

    def __init__(self, session: aiohttp.ClientSession, base: str, code: str, name: str,
                 text: str):
        self.session, self.base, self.code = session, base, code
        self.name, self.text = name, text

    async def page(self) -> str:
        async with self.session.get(f"{self.base}/e/{self.code}") as r:
            assert r.status == 200
            return await r.text()

    async def fill_every_form(self, activity_id: int) -> set[str]:
        """Post each form the activity's section offers once, as they appear."""
        sent: set[str] = set()
        for _ in range(8):
            forms = [f for f in page_forms(await self.page())
                     if f.action.endswith(f"/a/{activity_id}") and f.name not in sent]
            if not forms:
                break
            form = forms[0]
            text = self.name if form.name == "group" else f"{self.text} {form.name}"
            async with self.session.post(self.base + form.action, data=form.fill(text),
                                         allow_redirects=False) as r:
                assert r.status == 303, (form.name, await r.text())
            sent.add(form.name)
        return sent


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def memo_of(store, event_id: int) -> str:
    return render_markdown(build_memo(store, event_id))


@pytest.mark.parametrize("name", BUNDLED)
async def test_a_hidden_phones_notes_reach_no_other_phone_nor_the_memo(name, store, server):
    event = store.create_event(templates.load(templates.resolve(name)))
    base = f"http://127.0.0.1:{server.port}"
    async with _session() as a_session, _session() as b_session:
        a = Phone(a_session, base, event.join_code, "Tiimi A", SECRET)
        b = Phone(b_session, base, event.join_code, "Tiimi B", "BBB-julkinen")
        seen_by_b = False
        for activity in store.activities(event.id):
            store.set_activity_state(event.id, activity.id, "open")
            await a.fill_every_form(activity.id)
            await b.fill_every_form(activity.id)
            seen_by_b |= SECRET in await b.page()
        assert SECRET in memo_of(store, event.id)  # else the test below proves nothing
        if name not in QUESTIONS_ONLY:
            assert seen_by_b, "phone B never saw phone A's text: nothing to hide"

        [a_id] = {n.participant_id for n in store.event_notes(event.id)
                  if n.text.startswith(SECRET)}
        mine = [n.id for n in store.event_notes(event.id) if n.participant_id == a_id]
        moderation.hide(store, event.id, mine)
        assert all(SECRET not in n.text for n in store.event_notes(event.id)
                   if n.participant_id != a_id)  # B's own notes do not quote A's

        page = await b.page()
        at = page.find(SECRET)
        assert at < 0, page[max(0, at - 400):at + 60]
        assert name in QUESTIONS_ONLY or "BBB-julkinen" in page  # B's own are still there
        for activity in store.activities(event.id):
            store.set_activity_state(event.id, activity.id, "closed")
            assert SECRET not in await b.page(), activity.title
        assert SECRET not in memo_of(store, event.id)
        assert SECRET not in await a.page()  # hidden is hidden for its author too
        # …and so is the confirmation of sending it, reloaded.
        async with a.session.get(f"{base}/e/{event.join_code}?sent={mine[-1]}") as r:
            assert SECRET not in await r.text()


async def test_a_note_waiting_for_approval_shows_only_on_its_authors_page(store, server):
    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-2")))
    base = f"http://127.0.0.1:{server.port}"
    activity = next(x for x in store.activities(event.id) if x.method == "discussion")
    store.set_activity_state(event.id, activity.id, "open")
    store.set_premoderated(activity.id, True)
    async with _session() as a_session, _session() as b_session:
        a = Phone(a_session, base, event.join_code, "Tiimi A", SECRET)
        b = Phone(b_session, base, event.join_code, "Tiimi B", "BBB-julkinen")
        await a.fill_every_form(activity.id)
        await b.fill_every_form(activity.id)
        waiting = [n for n in store.event_notes(event.id) if n.text.startswith(SECRET)]
        assert waiting and all(n.pending for n in waiting)

        page = await a.page()
        assert SECRET in page and "odottaa hyväksyntää" in page
        assert SECRET not in await b.page()
        assert SECRET not in memo_of(store, event.id)

        # B's notes wait too: approve only A's, and A's reach everyone.
        moderation.approve(store, event.id, [n.id for n in waiting])
        page = await a.page()
        assert SECRET in page
        assert page.count("odottaa hyväksyntää") == 0
        assert SECRET in await b.page()
        assert SECRET in memo_of(store, event.id)


async def test_a_waiting_note_on_a_question_is_the_authors_alone(store, server):
    event = store.create_event(templates.load(templates.resolve("demo")))
    base = f"http://127.0.0.1:{server.port}"
    activity = store.activities(event.id)[0]
    store.set_activity_state(event.id, activity.id, "open")
    store.set_premoderated(activity.id, True)
    async with _session() as a_session, _session() as b_session:
        a = Phone(a_session, base, event.join_code, "A", SECRET)
        b = Phone(b_session, base, event.join_code, "B", "BBB-julkinen")
        [form] = [f for f in page_forms(await a.page()) if f.action.endswith(f"/a/{activity.id}")]
        async with a.session.post(base + form.action, data=form.fill(SECRET)) as r:
            confirmation, sent_url = await r.text(), str(r.url)
        assert "?sent=" in sent_url
        # The question shows a phone its note back once, on sending: marked waiting.
        assert SECRET in confirmation and "odottaa hyväksyntää" in confirmation
        assert "Fasilitaattori hyväksyy vastaukset" in confirmation
        async with b.session.get(sent_url) as r:  # another phone at the same address
            assert SECRET not in await r.text()
        assert SECRET not in memo_of(store, event.id)
        [note] = store.event_notes(event.id)
        moderation.approve(store, event.id, [note.id])
        async with a.session.get(sent_url) as r:
            page = await r.text()
        assert SECRET in page and "odottaa hyväksyntää" not in page
        assert SECRET in memo_of(store, event.id)
