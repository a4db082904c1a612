"""The archive keeps the parallel workshops: a new event from an archive has its own
workshops with the parts and the participants' choices in them, and a merge from another
laptop puts its participants in this event's workshop of the same name."""

from __future__ import annotations

from facilitator.storage import Store, open_db
from tests.cli_runner import ok


def _choose(db, workshop_index: int) -> None:
    store = Store(open_db(db))
    event = store.events()[0]
    person = store.join(event.id, f"phone-{workshop_index}")
    store.set_workshop(person.id, store.workshops(event.id)[workshop_index].id)
    store.db.conn.close()


def test_an_archive_keeps_the_workshops_and_the_choices(tmp_path):
    laptop = tmp_path / "paja2.db"
    ok(laptop, "new", "seminaari-2")
    _choose(laptop, 1)
    archive = tmp_path / "paja2.json"
    ok(laptop, "memo", "1", "-o", archive)

    fresh = tmp_path / "uusi.db"
    ok(fresh, "new", "demo")  # ids here differ from the laptop's
    ok(fresh, "new", "seminaari-2")
    ok(fresh, "import", archive)
    store = Store(open_db(fresh))
    event = store.events()[-1]
    workshops = store.workshops(event.id)
    assert [w.name for w in workshops] == ["Työpaja 1", "Työpaja 2", "Työpaja 3"]
    assert {w.id for w in workshops}.isdisjoint(
        {w.id for w in store.workshops(store.events()[1].id)})
    parts = {p.id: p for p in store.parts(event.id)}
    assert [parts[i].workshop for w in workshops for i in w.part_ids] == \
        ["Työpaja 1", "Työpaja 2", "Työpaja 3"]
    assert store.workshop_counts(event.id) == {workshops[1].id: 1}

    # Merged into the seminar event of this laptop: into its own "Työpaja 2".
    into = store.events()[1]
    ok(fresh, "import", archive, "--into", str(into.id))
    mine = store.workshops(into.id)
    assert store.workshop_counts(into.id) == {mine[1].id: 1}
