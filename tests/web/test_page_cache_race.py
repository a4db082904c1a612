"""A commit landing while a phone's page key is being read (the writer thread, or another
process, commits at any moment: the loop's reads are each their own snapshot) must not
file that phone's page under a key that no longer describes it."""

from __future__ import annotations

from facilitator.storage import Store, open_db
from facilitator.web.app import PAGES
from tests.web.test_page_cache import page, table  # noqa: F401 (fixture)
from tests.web.test_process_walk import STATIONS


async def test_a_note_committed_while_the_key_is_read_stays_its_writers(
        server, store, db_path, table, monkeypatch):  # noqa: F811
    event, walk, phones = table
    store.set_premoderated(walk.id, True)
    server.app[PAGES]._clock = lambda: 1000.0  # one second throughout: no flake
    writer = Store(open_db(db_path))  # the writer thread's connection, say
    group = store.groups(walk.id)[1]
    original = type(store).waiting_of
    landed = []

    def waiting_of(self, participant_id):
        found = original(self, participant_id)
        if not landed:  # phone 0's own post commits just after its key was read
            landed.append(writer.add_note(walk.id, "Oma odottava huomio", STATIONS[1],
                                          participant_id, kind="note", round=1,
                                          group_id=group.id, pending=True))
        return found

    await page(phones[1], server, event)  # to know the others' key is (…, ())
    monkeypatch.setattr(type(store), "waiting_of", waiting_of)
    await page(phones[0], server, event)  # drawn as before the note, or with it
    assert landed
    monkeypatch.setattr(type(store), "waiting_of", original)
    # Another member of the table, in the same second: the note waits for approval and
    # is only its writer's to see.
    assert "Oma odottava huomio" not in await page(phones[1], server, event)
    assert "Oma odottava huomio" in await page(phones[0], server, event)
    assert "Oma odottava huomio" not in await page(phones[2], server, event)
    writer.db.close()
