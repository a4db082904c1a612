"""The database file: read-only copies, damaged files, backup while writing, purge."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from facilitator import templates
from facilitator.storage import Store, open_db
from tests.cli_runner import invoke, ok, refused


def seminar(store: Store, note: str):
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    participant = store.join(event.id, "t" * 43, "fi")
    store.add_note(activity.id, note, activity.headings[0], participant.id)
    return event


@pytest.fixture
def read_only_copy(tmp_path, store, db_path):
    seminar(store, "Lukuoikeus riittää")
    store.db.conn.close()
    folder = tmp_path / "usb"
    folder.mkdir()
    copy = folder / "copy.db"
    shutil.copy(db_path, copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    yield copy
    folder.chmod(0o755)


def test_list_and_memo_work_from_a_read_only_copy(read_only_copy):
    assert "Kokeiluseminaari" in ok(read_only_copy, "list")
    assert "Lukuoikeus riittää" in ok(read_only_copy, "memo", "1")
    assert sorted(p.name for p in read_only_copy.parent.iterdir()) == ["copy.db"]
    # A write is one line, not a traceback.
    ran = invoke(read_only_copy, "new", "demo")
    assert ran.code == 1
    assert ran.stderr == "facilitator: database error: attempt to write a readonly database\n"


def test_a_damaged_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    ran = invoke(bad, "list")
    assert ran.code == 1 and ran.stderr.count("\n") == 1
    assert "is damaged or is not a facilitator database" in ran.stderr


def test_backup_while_another_process_writes(store, db_path, tmp_path):
    event = seminar(store, "ensimmäinen")
    activity = store.activities(event.id)[1]
    stop = threading.Event()

    def writer():
        other = Store(open_db(db_path))
        n = 0
        while not stop.is_set():
            other.add_note(activity.id, f"kirjoitus {n}", activity.headings[0])
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        out = ok(db_path, "backup", str(tmp_path / "backup.db"))
    finally:
        stop.set()
        thread.join()
    assert out == "backed up 1 event to " + str(tmp_path / "backup.db") + "\n"
    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM notes").fetchone()[0] >= 1
    assert "already exists" in refused(db_path, "backup", str(tmp_path / "backup.db"))


def test_purge_leaves_none_of_the_events_text_in_the_file(store, db_path):
    gone = seminar(store, "Salainen huomio poistettavaksi")
    kept = seminar(store, "Tämä jää talteen")
    store.db.execute("UPDATE events SET place = 'Piilopaikka' WHERE id = ?", [gone.id])
    store.add_action_item(gone.id, "Sovittu salaisuus", who="Salanimi")
    # Asked first: no is no.
    assert invoke(db_path, "purge", str(gone.id), input="n\n").code == 1
    assert "Salainen" in ok(db_path, "notes", str(gone.id))
    out = ok(db_path, "purge", str(gone.id), "--yes")
    assert out.startswith(f"purged event {gone.id}")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for text in ("Salainen huomio", "Piilopaikka", "Sovittu salaisuus", "Salanimi"):
        assert text.encode() not in raw
    assert "Tämä jää talteen".encode() in raw
    assert "Tämä jää talteen" in ok(db_path, "notes", str(kept.id))
    assert [e.id for e in Store(open_db(db_path)).events()] == [kept.id]


def test_a_file_damaged_past_where_opening_reads_is_found_at_open(store, db_path, tmp_path):
    """The header and the schema intact, a page of notes overwritten: every command
    says so in one line at open, not later in the middle of a memo."""
    event = seminar(store, "alku")
    activity = store.activities(event.id)[1]
    for i in range(300):
        store.add_note(activity.id, f"Muistiinpano {i} " * 20, activity.headings[0], None)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes'"
                            ).fetchone()[0]
    page_size = store.db.execute("PRAGMA page_size").fetchone()[0]
    store.db.conn.close()
    with open(db_path, "r+b") as f:  # the notes table's root page: its cell pointers
        f.seek((root - 1) * page_size + 8)
        f.write(b"\xff" * 64)
    assert "Kokeiluseminaari" not in (ran := invoke(db_path, "list")).stdout
    assert ran.code == 1 and ran.stderr.count("\n") == 1
    assert f"database {db_path} is damaged (" in ran.stderr
    assert "restore a backup" in ran.stderr


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx", "csv"])
def test_every_export_works_from_a_read_only_copy(read_only_copy, tmp_path, fmt):
    out = tmp_path / f"muistio.{fmt}"
    ok(read_only_copy, "memo", "1", "--format", fmt, "-o", str(out))
    assert out.stat().st_size > 0
    if fmt in ("html", "csv"):
        assert "Lukuoikeus riittää" in out.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in read_only_copy.parent.iterdir()) == ["copy.db"]


def test_a_read_only_file_in_a_writable_folder_reads_and_says_why_it_cannot_write(
    tmp_path, store, db_path
):
    """A file write-protected on purpose (its folder writable): read through SQLite's
    read-only mode, never changed, and a write is one line."""
    seminar(store, "Suojattu tiedosto")
    store.db.conn.close()
    db_path.chmod(0o444)
    assert "Suojattu tiedosto" in ok(db_path, "notes", "1")
    assert "Suojattu tiedosto" in ok(db_path, "memo", "1")
    ran = invoke(db_path, "hide", "1", "1")
    assert ran.code == 1 and ran.stderr.count("\n") == 1
    assert "readonly" in ran.stderr
    db_path.chmod(0o644)
    assert Store(open_db(db_path)).note(1).hidden is False
