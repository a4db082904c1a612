"""A seminar that uses every method, with what a facilitator does to it afterwards.

Seminar 2 and the second online round in one event: a phone fills every form of every
activity over real HTTP (as `tests/web/test_every_activity.py` does), then the
facilitator writes summaries, edits the card, records agreements, hides one note, edits
one, merges two, and a hostile note goes in beside the others. Built once per test run
into a database file; the memo tests read it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import aiohttp

from facilitator import templates
from facilitator.methods import moderation
from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket
from tests.forms import page_forms
from tests.seed import per_phone

#: Notes that must read exactly as typed in every format.
HOSTILE = ('<script>alert(1)</script>', '[bold]x[/]', '=HYPERLINK("http://x")',
           '+1 -2 @summa')
HIDDEN = "Tämä piilotettu muistiinpano ei kuulu muistioon"
PENDING = "Tämä odottaa hyväksyntää eikä kuulu muistioon"
EDITED, ORIGINAL = "Korjattu teksti", "Korjattu tekstti"
KNOWN = "Yhteistyö oppilashuollossa toimii"


def _event():
    seminar = templates.load(templates.resolve("seminaari-2"))
    online = per_phone(templates.load(templates.resolve("verkkokeskustelu-2")))
    return replace(seminar, title="Muistion testiseminaari", parts=seminar.parts + online.parts)


async def _fill(store: Store, event_id: int) -> None:
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        code = store.event(event_id).join_code
        for number, activity in enumerate(store.activities(event_id), start=1):
            # A phone per activity: one device may post only so fast (its rate limit).
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as phone:
                store.set_activity_state(event_id, activity.id, "open")
                sent: set[str] = set()
                for _ in range(6):
                    async with phone.get(f"{base}/e/{code}") as r:
                        assert r.status == 200
                        html = await r.text()
                    forms = [f for f in page_forms(html)
                             if f.action.endswith(f"/a/{activity.id}") and f.name not in sent]
                    if not forms:
                        break
                    form = forms[0]
                    text = KNOWN if number == 1 else f"Vastaus {number}: {form.name}"
                    async with phone.post(base + form.action, data=form.fill(text),
                                          allow_redirects=False) as r:
                        assert r.status == 303, (activity.title, form.name, await r.text())
                    sent.add(form.name)
                store.set_activity_state(event_id, activity.id, "closed")
    finally:
        await server.stop()


def build(path: Path) -> int:
    """The seminar in the database file `path`; returns the event's id."""
    store = Store(open_db(path))
    event = store.create_event(_event())
    store.db["events"].update(event.id, {"join_code": "KOKEE", "date": "2026-12-10",
                                         "place": "Järvenpää"})
    asyncio.run(_fill(store, event.id))
    activities = store.activities(event.id)
    for activity in activities:
        store.set_activity_summary(activity.id, f"Yhteenveto: {activity.title}.")
    first = activities[0]
    notes = [n for n in store.event_notes(event.id) if n.activity_id == first.id]
    model = notes[0]

    def add(text: str, **kw):
        return store.add_note(model.activity_id, text, model.heading, model.participant_id,
                              kind=model.kind, round=model.round, group_id=model.group_id,
                              data=model.data, **kw)

    for text in HOSTILE:
        add(text)
    moderation.hide(store, event.id, [add(HIDDEN).id])
    add(PENDING, pending=True)
    moderation.edit(store, event.id, add(ORIGINAL).id, EDITED)
    keep, twin = add("Sama asia kahdesti"), add("Sama asia kahdesti!")
    moderation.merge(store, event.id, keep.id, [twin.id])
    moderation.star(store, event.id, [keep.id])
    store.set_card(event.id, aims=["Yhteinen kuva lakimuutoksesta"],
                   how=["Työpajat", "Verkkokeskustelu"], results=["Kehittämisen kärjet"])
    store.set_event_summary(event.id, "Kehittämisen kärjet sovittiin.")
    store.add_action_item(event.id, "Kootaan muistio", "Fasilitaattori", "31.12.2026")
    store.add_action_item(event.id, "<b>Seuraava</b> tapaaminen", "Ryhmä | 2", "kevät")
    store.db.conn.close()
    return event.id
