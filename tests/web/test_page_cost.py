"""A page costs what it shows, not what is stored: a station with 10,000 notes.

Measured on the server's own connection while a real phone loads its page over HTTP:
the statements it runs (the same number at 100 notes as at 10,000), their plans (counts
from an index alone, reads that stop at what is shown, never a scan of the notes or a
sort of all of them), and the SQLite virtual machine's steps for the next phone at the
same station (what the room may read is counted and read once until the database
changes, so the next phone's page does the same work at 10,000 notes as at 100)."""

from __future__ import annotations

import aiohttp

from facilitator import methods, templates
from facilitator.methods import process_walk
from tests.conftest import hide

LIMIT = methods.PHONE_LIST_LIMIT


def open_walk(store, notes: int):
    """Seminar 2's walk, open, with `notes` notes at group 1's station (and one at the next)."""
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    walk = store.set_activity_state(event.id, walk.id, "open")
    group = store.groups(walk.id)[0]
    station = process_walk.METHOD.station_for(walk, group)
    with store.transaction():
        for n in range(notes):
            store.add_note(walk.id, f"muistiinpano {n:05d}", station, group_id=group.id)
        store.add_note(walk.id, "toisella pysäkillä", walk.config["stations"][1],
                       group_id=store.groups(walk.id)[1].id)
    return event, walk, group


class Traced:
    """The statements and the virtual machine's steps on the server's connection."""

    def __init__(self, store):
        self.conn = store.db.conn
        self.statements: list[str] = []
        self.steps = 0

    def _step(self) -> int:
        self.steps += 1
        return 0

    def __enter__(self):
        self.conn.set_trace_callback(self.statements.append)
        self.conn.set_progress_handler(self._step, 100)
        return self

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)
        self.conn.set_progress_handler(None, 0)

    def plans(self) -> list[tuple[str, str]]:
        """(statement, plan) of every read of the notes table."""
        out = []
        for sql in self.statements:
            if sql.startswith("SELECT") and " FROM notes" in sql:
                rows = self.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
                out.append((sql, " | ".join(r[3] for r in rows)))
        return out


async def phone_at(server, event, group) -> aiohttp.ClientSession:
    """A phone that scanned its group's QR code (and has not loaded the page yet)."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    url = f"http://127.0.0.1:{server.port}/e/{event.join_code}/g/{group.id}"
    for then in (f"{url}?c=1", f"/e/{event.join_code}#a{group.activity_id}"):
        async with session.get(url, allow_redirects=False) as r:
            assert r.status == 303 and r.headers["Location"].endswith(then.split("/", 3)[-1])
        url = then
    return session


async def page(session, server, event) -> str:
    async with session.get(f"http://127.0.0.1:{server.port}/e/{event.join_code}") as r:
        assert r.status == 200
        return await r.text()


async def test_a_station_with_10000_notes_costs_what_the_page_shows(server, store):
    small = open_walk(store, 100)
    big = open_walk(store, 10_000)
    event, walk, group = big
    newest = store.notes(walk.id, newest_first=True, limit=1, group_id=group.id)
    hide(store, newest[0].id)  # the facilitator hid the newest: neither shown nor counted
    first, second = [await phone_at(server, event, group) for _ in range(2)]
    small_phones = [await phone_at(server, small[0], small[2]) for _ in range(2)]
    try:
        store.set_setting("page_cost", "read afresh")  # a write: what was kept is gone
        # Nothing written between these: each event's first page reads, the next hits
        # what the first read.
        with Traced(store) as small_first:
            await page(small_phones[0], server, small[0])
        with Traced(store) as big_first:
            html = await page(first, server, event)
        with Traced(store) as big_second:
            again = await page(second, server, event)
        with Traced(store) as small_second:
            await page(small_phones[1], server, small[0])
    finally:
        for session in (first, second, *small_phones):
            await session.close()

    # The newest 50 visible notes, the count of the rest, nothing from another station.
    shown = [n for n in range(10_000) if f"muistiinpano {n:05d}<" in html]
    assert shown == list(range(10_000 - 1 - LIMIT, 10_000 - 1))
    assert "Tälle pysäkille kirjoitettu <span class=\"count\">(9999)</span>" in html
    assert f"… ja {9_999 - LIMIT} aiempaa." in html
    assert "toisella pysäkillä" not in html
    assert again.replace(_csrf(again), "") == html.replace(_csrf(html), "")

    # As many statements at 10,000 notes as at 100: nothing is read note by note.
    # (The event and its activities may be kept from the joins: give or take those.)
    assert len(big_first.plans()) == len(small_first.plans())
    assert abs(len(big_first.statements) - len(small_first.statements)) <= 2
    for sql, plan in big_first.plans():
        assert "SCAN notes" not in plan, (sql, plan)
        assert "TEMP B-TREE" not in plan, (sql, plan)  # sorting every match to keep 50
        if sql.startswith("SELECT count(*)"):
            # No note's row is read, but for the phone's own waiting ones (sought by
            # `pending` in the index: a few, whatever the station holds).
            own = "pending = 1" in sql and "pending=?" in plan
            assert "COVERING INDEX" in plan or own, (sql, plan)
        elif "pending = 1" in sql and sql.startswith("SELECT id FROM notes WHERE participant_id"):
            # Whether this phone has notes waiting (its page is then its own): the
            # waiting entries of an index, none of the notes it wrote.
            assert "idx_notes_waiting" in plan, (sql, plan)
        else:
            assert f"LIMIT {LIMIT}" in sql or " id = " in sql, sql
    # The next phone at the station: the same work at 10,000 notes as at 100.
    assert big_second.steps <= small_second.steps + 2, (big_second.steps,
                                                         small_second.steps)
    assert big_first.steps > 10 * big_second.steps  # what the station's count costs once


def _csrf(html: str) -> str:
    from tests.conftest import csrf_of

    return csrf_of(html)


async def test_a_discussion_with_2000_answers_shows_the_newest_50_with_their_comments(
        server, store, phone):
    from tests.web.test_discussion import Phone

    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-1")))
    [talk] = [a for a in store.activities(event.id) if a.method == "discussion"]
    store.set_activity_state(event.id, talk.id, "open")
    first = talk.config["questions"][0]
    ours = Phone(phone, server, event)
    status, _, _ = await ours.send("group", name="Oma tiimi")
    assert status == 200
    await ours.send("answer-1", text="Meidän vastauksemme")
    teams = [store.add_group(talk.id, f"Tiimi {n}") for n in range(40)]
    with store.transaction():
        answers = [store.add_note(talk.id, f"vastaus {n:04d}", first, kind="answer",
                                  group_id=teams[n % 40].id) for n in range(2000)]
        # A comment on the oldest answer (not shown) and on the newest (shown).
        for answer in (answers[0], answers[-1]):
            store.add_note(talk.id, f"kommentti {answer.text}", first, kind="comment",
                           group_id=teams[1].id, ref_id=answer.id)
    store.set_setting("page_cost", "read afresh")
    with Traced(store) as traced:
        html = await ours.page()
    shown = [n for n in range(2000) if f"vastaus {n:04d}<" in html]
    assert shown == list(range(2000 - LIMIT, 2000))
    assert "Meidän vastauksemme" in html
    assert "Muiden työryhmien vastaukset (2000)" in html
    assert f"… ja {2000 - LIMIT} aiempaa vastausta." in html
    assert "kommentti vastaus 1999" in html and "kommentti vastaus 0000" not in html
    for sql, plan in traced.plans():
        assert "SCAN notes" not in plan and "TEMP B-TREE" not in plan, (sql, plan)
    # Once closed, every phone reads it: the newest of each question, still.
    store.set_activity_state(event.id, talk.id, "closed")
    with Traced(store) as traced:
        html = await ours.page()
    shown = [n for n in range(2000) if f"vastaus {n:04d}<" in html]
    assert shown == list(range(2000 - LIMIT, 2000))  # their own, the oldest, not among them
    assert "Meidän vastauksemme" not in html and "kommentti vastaus 1999" in html
    assert f"… ja {2001 - LIMIT} aiempaa vastausta." in html
    for sql, plan in traced.plans():
        assert "SCAN notes" not in plan and "TEMP B-TREE" not in plan, (sql, plan)
