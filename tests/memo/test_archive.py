"""The JSON archive (`memo --format json`) and `facilitator import`, through the command line
as a user runs them: the round trip, merging workshop laptops into one memo, importing
twice, and every refusal leaving the database as it was."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import shutil
import sqlite3
from pathlib import Path

import aiohttp
import pytest

from facilitator.memo.archive import MAX_TEXT_CHARS
from facilitator.methods.base import MAX_LINE_CHARS, MAX_NOTE_CHARS
from facilitator.storage import Store, open_db
from facilitator.storage.archive import BY_NAME, TABLES
from facilitator.web import ParticipantServer, bind_socket
from tests.cli_runner import dump, invoke, ok, refused
from tests.forms import page_forms
from tests.memo import seminar as fixture


def _files(db: Path) -> dict[str, bytes]:
    """The database's bytes, its write-ahead log's too, once every connection the commands
    left open is closed (the last to close copies the log into the file)."""
    gc.collect()
    return {p.name: p.read_bytes() for p in db.parent.glob(db.name + "*")}


@pytest.fixture
def themed(seminar_file, tmp_path) -> tuple[Path, int]:
    """The every-method seminar with themes made, renamed, moved, deleted and an undo,
    all through the CLI; the seen mark of the discussion set as the console sets it."""
    path, event_id = seminar_file
    db = tmp_path / "seminar.db"
    shutil.copy(path, db)
    event = str(event_id)
    notes = json.loads(ok(db, "notes", event, "--json"))
    first = notes[0]["activity"]
    ids = [str(n["id"]) for n in notes if n["activity"] == first and not n["merged_into"]]
    ok(db, "theme", event, str(first), "Yhteistyö", *ids[:2])
    ok(db, "theme", event, str(first), "Vaikeudet", *ids[2:4])
    ok(db, "theme", event, str(first), "Turha", ids[4])
    ok(db, "theme", event, str(first), "Turha", "--remove")
    ok(db, "theme", event, str(first), "Vaikeudet", "--rename", "Haasteet")
    ok(db, "theme", event, str(first), "Haasteet", "--move", "up")
    ok(db, "undo", event)  # the move, taken back: the log keeps it as undone
    ok(db, "actions", event, "add", "Jatketaan", "--who", "Kaikki")
    store = Store(open_db(db))
    discussion = next(a for a in store.activities(event_id) if a.method == "discussion")
    newest = max(n.id for n in store.notes(discussion.id))
    store.set_setting(f"discussion.seen.{discussion.id}", str(newest))
    store.db.conn.close()
    return db, event_id


def _archive(db: Path, event: str | int, out: Path) -> str:
    assert ok(db, "memo", str(event), "-o", out).strip() == str(out)
    return out.read_text(encoding="utf-8")


def test_export_import_export_gives_the_same_json(themed, tmp_path):
    db, event_id = themed
    first = _archive(db, event_id, tmp_path / "arkisto.json")
    data = json.loads(first)
    assert (data["format"], data["version"]) == ("facilitator-archive", 1)
    assert list(data)[:3] == ["format", "version", "event"]
    assert {t.name for t in TABLES} <= set(data)
    assert data["themes"] and data["settings"] and data["votes"] and data["members"]
    assert any(t["deleted_at"] for t in data["themes"])  # deleted, kept for its undo
    assert any(s["undone_at"] for s in data["moderation"])
    # Nothing of this file's numbering: ids count from 1 in every table.
    for table in TABLES:
        if "id" in (data[table.name] or [{}])[0]:
            assert [r["id"] for r in data[table.name]] == list(
                range(1, len(data[table.name]) + 1)), table.name

    fresh = tmp_path / "toinen.db"
    ok(fresh, "new", "demo")  # another event first: every id in the new file differs
    printed = ok(fresh, "import", tmp_path / "arkisto.json").splitlines()
    new_id, code, title = printed[0].split("\t")
    assert (new_id, code, title) == ("2", "KOKEE", "Muistion testiseminaari")
    assert _archive(fresh, new_id, tmp_path / "taas.json") == first
    # The memo reads the same too (its fixed words, the notes, the themes, the votes).
    assert ok(fresh, "memo", new_id, "--format", "md") == ok(db, "memo", str(event_id),
                                                            "--format", "md")
    # Imported again as a new event: the code is taken now, so it gets another; the rest of
    # the archive is the same. Each copy has an identity of its own, and says its origin.
    again = ok(fresh, "import", tmp_path / "arkisto.json").splitlines()[0].split("\t")
    assert again[0] == "3" and again[1] != "KOKEE" and len(again[1]) == 5
    copy = json.loads(_archive(fresh, "3", tmp_path / "kopio.json"))
    assert copy["event"].pop("join_code") == again[1]
    data["event"].pop("join_code")
    assert copy == data
    with sqlite3.connect(fresh) as conn:
        uids = conn.execute("SELECT uid, origin FROM events WHERE id > 1").fetchall()
    assert len({u for u, _ in uids}) == 2 and {o for _, o in uids} == {data["event"]["origin"]}


def test_the_archive_holds_what_the_memo_leaves_out(themed, tmp_path):
    db, event_id = themed
    data = json.loads(_archive(db, event_id, tmp_path / "a.json"))
    notes = {n["text"]: n for n in data["notes"]}
    assert notes[fixture.HIDDEN]["hidden"] == 1
    assert notes[fixture.PENDING]["pending"] == 1
    assert notes[fixture.EDITED]["original"] == fixture.ORIGINAL
    twin = notes["Sama asia kahdesti!"]
    assert twin["merged_into"] == notes["Sama asia kahdesti"]["id"]
    steps = [s["step"] for s in data["moderation"]]
    assert {"hide", "edit", "merge", "star", "theme_new", "theme_delete"} <= set(steps)
    hide = next(s for s in data["moderation"] if s["step"] == "hide")
    assert hide["note_ids"] == [notes[fixture.HIDDEN]["id"]]
    assert hide["before"][0]["text"] == fixture.HIDDEN
    memo = ok(db, "memo", str(event_id), "--format", "md")
    assert fixture.HIDDEN not in memo and fixture.PENDING not in memo
    assert fixture.ORIGINAL not in memo and fixture.KNOWN in memo
    # The server's signing key is not the event's: never in the archive.
    store = Store(open_db(db))
    secret = store.secret().hex()
    store.db.conn.close()
    assert secret not in (tmp_path / "a.json").read_text(encoding="utf-8")


def test_hostile_notes_are_literal_in_the_archive_and_after_import(themed, tmp_path):
    db, event_id = themed
    text = _archive(db, event_id, tmp_path / "a.json")
    for hostile in fixture.HOSTILE:
        assert json.dumps(hostile, ensure_ascii=False) in text  # not escaped to \u003c
    fresh = tmp_path / "fresh.db"
    ok(fresh, "import", tmp_path / "a.json")
    texts = [n["text"] for n in json.loads(ok(fresh, "notes", "1", "--json"))]
    assert texts == [n["text"] for n in json.loads(ok(db, "notes", str(event_id), "--json"))]
    assert set(fixture.HOSTILE) <= set(texts)
    html = ok(fresh, "memo", "1", "--format", "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "[bold]x[/]" in html


def test_open_space_choices_follow_their_topics_to_new_ids(themed, tmp_path):
    """A session choice is a vote for the topic's note id: after an import into a file
    whose ids differ, it still names that topic."""
    db, _ = themed
    _archive(db, 1, tmp_path / "a.json")
    fresh = tmp_path / "fresh.db"
    ok(fresh, "new", "seminaari-1")
    ok(fresh, "import", tmp_path / "a.json")
    store = Store(open_db(fresh))
    event = store.events()[-1]
    space = next(a for a in store.activities(event.id) if a.method == "open_space")
    topics = {str(n.id): n.text for n in store.notes(space.id, kind="topic")}
    votes = store.votes(space.id)
    assert votes and all(option in topics for _, option, _ in votes)
    store.db.conn.close()


# -- several laptops, one memo --------------------------------------------------------------

async def _post(store: Store, event_id: int, position: int, texts: list[str]) -> None:
    """Phones fill every form of the event's activity at `position` once per text, over
    real HTTP (a phone per text: one device may post only so fast)."""
    activity = store.activities(event_id)[position]
    store.set_activity_state(event_id, activity.id, "open")
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        code = store.event(event_id).join_code
        for text in texts:
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
                sent: set[str] = set()
                for _ in range(6):
                    async with phone.get(f"{base}/e/{code}") as r:
                        forms = [f for f in page_forms(await r.text())
                                 if f.action.endswith(f"/a/{activity.id}")
                                 and f.name not in sent]
                    if not forms:
                        break
                    async with phone.post(base + forms[0].action, data=forms[0].fill(text),
                                          allow_redirects=False) as r:
                        assert r.status == 303, await r.text()
                    sent.add(forms[0].name)
    finally:
        await server.stop()
    store.set_activity_state(event_id, activity.id, "closed")


def _laptop(path: Path, position: int, texts: list[str], summary: str) -> Path:
    """A facilitator's laptop that ran one workshop of seminaari-2; returns its archive."""
    ok(path, "new", "seminaari-2")
    store = Store(open_db(path))
    asyncio.run(_post(store, 1, position, texts))
    activity = store.activities(1)[position].id
    store.db.conn.close()
    ok(path, "result", "1", str(activity), summary)
    out = path.with_suffix(".json")
    ok(path, "memo", "1", "-o", out)
    return out


@pytest.fixture(scope="module")
def workshops(tmp_path_factory):
    """Workshop 1 (the process walk) on one laptop, workshop 2 (the treasure map) on
    another: their archives."""
    where = tmp_path_factory.mktemp("laptops")
    one = _laptop(where / "tyopaja1.db", 2, ["Pysäkillä puhuttiin siirtymistä"],
                  "Työpaja 1: siirtymät puhuttivat.")
    two = _laptop(where / "tyopaja2.db", 3, ["Kahden vuoden päästä yhteinen malli"],
                  "Työpaja 2: yhteinen malli.")
    return one, two


def test_workshop_archives_merge_into_one_memo(workshops, tmp_path):
    one, two = workshops
    main = tmp_path / "vetaja.db"
    ok(main, "new", "seminaari-2")
    store = Store(open_db(main))
    asyncio.run(_post(store, 1, 0, ["Yhteinen aloitus porisi"]))
    store.db.conn.close()
    printed = ok(main, "import", one, two, "--into", "1").splitlines()
    assert printed[0].split("\t")[0] == "1"
    assert printed[1].startswith("added ")
    memo = ok(main, "memo", "1", "--format", "md")
    for text in ("Yhteinen aloitus porisi", "Pysäkillä puhuttiin siirtymistä",
                 "Kahden vuoden päästä yhteinen malli", "Työpaja 1: siirtymät puhuttivat.",
                 "Työpaja 2: yhteinen malli."):
        assert text in memo, text
    assert len(ok(main, "list").splitlines()) == 6  # one event, its five activities

    # Without --into the first archive is a new event and the second merges into it.
    fresh = tmp_path / "uusi.db"
    ok(fresh, "import", one, two)
    both = ok(fresh, "memo", "1", "--format", "md")
    assert "Pysäkillä puhuttiin siirtymistä" in both and "yhteinen malli" in both


def test_a_theme_of_the_same_title_is_one_theme_and_undo_stays_with_the_event(tmp_path):
    """Both laptops themed the common buzz groups' points "Yhteistyö": merged, one theme
    holds both; the merged-in steps are the other laptop's history, so `undo` takes back
    the event's own step, and leaves no note in a theme it deletes."""
    ids = {}
    for name, text, title in (("kone", "Toisen koneen ajatus", " yhteistyö"),
                              ("vetaja", "Oma ajatus", "Yhteistyö")):
        db = tmp_path / f"{name}.db"
        ok(db, "new", "seminaari-2")
        store = Store(open_db(db))
        asyncio.run(_post(store, 1, 0, [text]))
        store.db.conn.close()
        ids[name] = [str(n["id"]) for n in json.loads(ok(db, "notes", "1", "--json"))]
        ok(db, "theme", "1", "1", title, *ids[name])
    laptop, main = tmp_path / "kone.db", tmp_path / "vetaja.db"
    ok(laptop, "memo", "1", "-o", tmp_path / "kone.json")
    ok(main, "import", tmp_path / "kone.json", "--into", "1")
    themes = json.loads(ok(main, "themes", "1", "1", "--json"))
    assert [t["title"] for t in themes["themes"]] == ["Yhteistyö"]
    assert len(themes["themes"][0]["notes"]) == len(ids["kone"]) + len(ids["vetaja"])
    memo = ok(main, "memo", "1", "--format", "md")
    assert "Toisen koneen ajatus" in memo and "Oma ajatus" in memo
    assert "theme_new" in ok(main, "undo", "1")  # the event's own step
    themes = json.loads(ok(main, "themes", "1", "1", "--json"))
    assert themes["themes"] == [] and len(themes["unthemed"]) == len(ids["kone"]) + len(
        ids["vetaja"])
    assert ok(main, "undo", "1").strip() == "nothing to undo"


def test_importing_an_archive_twice_adds_nothing(workshops, tmp_path):
    one, _ = workshops
    main = tmp_path / "vetaja.db"
    ok(main, "new", "seminaari-2")
    ok(main, "import", one, "--into", "1")
    before = _archive(main, 1, tmp_path / "ennen.json")
    snapshot = dump(main)
    again = ok(main, "import", one, "--into", "1").splitlines()
    assert again[1].startswith("added 0 notes, 0 votes, 0 participants, 0 moderation steps;")
    assert dump(main) == snapshot
    assert _archive(main, 1, tmp_path / "jalkeen.json") == before
    # The merged event's own archive, imported into it, finds every row too.
    ok(main, "import", tmp_path / "ennen.json", "--into", "1")
    assert dump(main) == snapshot
    # Both files at once, one twice: once.
    fresh = tmp_path / "fresh.db"
    ok(fresh, "import", one, one)
    assert _archive(fresh, 1, tmp_path / "kerran.json").count('"kind": "note"') == \
        before.count('"kind": "note"')


def test_archives_of_other_templates_are_refused(workshops, tmp_path):
    one, _ = workshops
    db = tmp_path / "db.db"
    ok(db, "new", "verkkokeskustelu-1")
    files = _files(db)
    said = refused(db, "import", one, "--into", "1")
    assert str(one) in said and "'seminaari-2'" in said and "'verkkokeskustelu-1'" in said
    assert _files(db) == files
    # Two files, no --into: the second would merge into the first's event; refused too.
    online = tmp_path / "verkko.json"
    ok(db, "memo", "1", "-o", online)
    said = refused(db, "import", online, one)
    assert said.startswith(f"{one}: ") and str(online) in said and "'seminaari-2'" in said
    assert len(ok(db, "list").splitlines()) == 2  # still the one event and its activity


def test_a_programme_that_differs_is_refused(themed, tmp_path):
    """The fixture is seminaari-2 with the second online round's parts added: the same
    template name, another programme."""
    db, event_id = themed
    _archive(db, event_id, tmp_path / "a.json")
    other = tmp_path / "other.db"
    ok(other, "new", "seminaari-2")
    assert "programme" in refused(other, "import", tmp_path / "a.json", "--into", "1")


def _broken(tmp_path: Path, good: Path) -> dict[str, bytes]:
    data = json.loads(good.read_text(encoding="utf-8"))
    note = data["notes"][0]
    other = {**note, "id": max(n["id"] for n in data["notes"]) + 1, "origin": "x/notes/2"}
    activity = data["activities"][0]

    def with_activity(**changes) -> bytes:
        return json.dumps({**data, "activities": [{**activity, **changes},
                                                  *data["activities"][1:]]}).encode()

    header = b'{"format": "facilitator-archive", "version": 1'
    cases = {
        # Each of these once loaded, and then the memo and every phone page failed.
        "unknown-method": with_activity(method="nosuch"),
        "config-of-another-shape": with_activity(config={"questions": 5}),
        "unknown-state": with_activity(state="exploded"),
        "merged-into-itself": json.dumps({**data, "notes": [
            {**note, "merged_into": note["id"]}, *data["notes"][1:]]}).encode(),
        "merged-in-a-ring": json.dumps({**data, "notes": [
            {**note, "merged_into": other["id"]}, {**other, "merged_into": note["id"]},
            *data["notes"][1:]]}).encode(),
        "not-a-time": json.dumps({**data, "notes": [{**note, "created_at": "yesterday"}]}
                                 ).encode(),
        # Longer than a phone may write: every phone would be sent it.
        "note-too-long": json.dumps({**data, "notes": [
            {**note, "text": "x" * (MAX_NOTE_CHARS + 1)}]}).encode(),
        "workshop-name-too-long": json.dumps({**data, "workshops": [
            {**w, "name": "x" * (MAX_LINE_CHARS + 1)} for w in data["workshops"]]}).encode(),
        "description-too-long": json.dumps({**data, "event": {
            **data["event"], "description": "x" * (MAX_TEXT_CHARS + 1)}}).encode(),
        "undo-too-long": json.dumps({**data, "moderation": [
            {"id": 1, "origin": "x/moderation/1", "step": "edit", "note_ids": [note["id"]],
             "before": [{"id": note["id"], "text": "x" * (MAX_NOTE_CHARS + 1)}],
             "after": {str(note["id"]): {"text": "y"}},
             "created_at": "2026-01-01T00:00:00+00:00"}]}).encode(),
        "text-too-long-in-json": json.dumps({**data, "notes": [
            {**note, "data": {"x": ["x" * (MAX_TEXT_CHARS + 1)]}}]}).encode(),
        # What Python's json and SQLite cannot hold: RecursionError, ValueError, OverflowError.
        "nested-too-deep": header + b', "notes": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        "number-too-long": header + b"0" * 5000 + b"}",
        "integer-beyond-sqlite": with_activity(round=10**30),
        "id-beyond-sqlite": json.dumps({**data, "notes": [{**note, "id": 2**63}]}).encode(),
        "truncated": good.read_bytes()[:500],
        "binary": b"SQLite format 3\x00\xff\xfe",
        "not-ours": json.dumps({"format": "something-else", "version": 1}).encode(),
        "newer": json.dumps({**data, "version": 99}).encode(),
        "dangling": json.dumps({**data, "notes": [{**note, "theme_id": 999}]}).encode(),
        "wrong-type": json.dumps({**data, "notes": [{**note, "hidden": "yes"}]}).encode(),
        "unknown-field": json.dumps({**data, "notes": [{**note, "secret": 1}]}).encode(),
        "repeated-id": json.dumps({**data, "notes": [note, note]}).encode(),
        "no-text": json.dumps({**data, "notes": [{**note, "text": None}]}).encode(),
        "list": b"[1, 2]",
        "step-of-no-note": json.dumps({**data, "moderation": [
            {"id": 1, "origin": "x/moderation/1", "step": "hide", "note_ids": [999],
             "before": [], "created_at": "2026-01-01T00:00:00+00:00"}]}).encode(),
        "step-malformed": json.dumps({**data, "moderation": [
            {"id": 1, "origin": "x/moderation/1", "step": "hide", "note_ids": [1],
             "before": ["x"], "created_at": "2026-01-01T00:00:00+00:00"}]}).encode(),
    }
    out = {}
    for name, content in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        out[name] = path
    return out


def test_broken_files_are_refused_and_nothing_is_written(workshops, tmp_path):
    one, _ = workshops
    db = tmp_path / "db.db"
    ok(db, "new", "seminaari-2")
    for name, path in _broken(tmp_path, one).items():
        files = _files(db)
        for args in (["import", path], ["import", path, "--into", "1"], ["import", one, path]):
            said = refused(db, *args)
            assert said.startswith(f"{path}: "), (name, said)
            assert _files(db) == files, name
    assert refused(db, "import", tmp_path / "missing.json").startswith(
        f"{tmp_path / 'missing.json'}: cannot read it")


def test_the_database_itself_is_not_an_archive(workshops, tmp_path):
    one, _ = workshops
    db = one.with_suffix(".db")
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    assert "not a facilitator archive" in refused(copy, "import", copy)


# -- the shape stays complete as the schema grows -------------------------------------------

def test_every_table_of_an_event_is_in_the_archive(tmp_path):
    """A table that holds an event's, activity's or participant's rows (a new migration's)
    must be archived, and every id column in it renumbered: else an archive would lose it
    or point at the wrong rows."""
    store = Store(open_db(tmp_path / "x.db"))
    conn = store.db.conn
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    owned = {"event_id", "activity_id", "participant_id"}
    for table in tables:
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if table in ("events", "settings", "_sqlite_migrations"):
            continue
        assert table in BY_NAME or not columns & owned, f"{table} is not archived"
        if table not in BY_NAME:
            continue
        keys = {r[3] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        ids = {c for c in columns if c.endswith("_id")} | keys | (
            {"merged_into"} & columns)
        missing = ids - set(BY_NAME[table].refs) - {"event_id"}
        assert not missing, f"{table}: {missing} not renumbered"


# -- formats by extension, and the memo's language ------------------------------------------

@pytest.fixture
def demo(tmp_path):
    db = tmp_path / "demo.db"
    ok(db, "new", "demo")
    return db


def test_json_by_extension_and_to_a_pipe(demo, tmp_path):
    out = tmp_path / "ARKISTO.JSON"
    ok(demo, "memo", "1", "-o", out)
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "facilitator-archive"
    piped = ok(demo, "memo", "1", "--format", "json")
    assert piped == out.read_text(encoding="utf-8")
    assert ok(demo, "memo", "1", "--format", "json", "--lang", "en") == piped  # no fixed words


def test_a_read_only_database_is_archived_but_not_imported_into(demo, tmp_path):
    archive, other = tmp_path / "a.json", tmp_path / "other.db"
    ok(demo, "memo", "1", "-o", archive)
    ok(other, "new", "demo")
    ok(other, "result", "1", "1", "Toisen koneen tulos")
    ok(other, "memo", "1", "-o", tmp_path / "other.json")
    demo.chmod(0o444)
    try:
        assert ok(demo, "memo", "1", "--format", "json") == archive.read_text(encoding="utf-8")
        ran = invoke(demo, "import", tmp_path / "other.json", "--into", "1")
        assert ran.code == 1 and "readonly" in ran.stderr and ran.stderr.count("\n") == 1
    finally:
        demo.chmod(0o644)


def _words(fmt: str, data: bytes) -> str:
    """The text a reader of the format sees."""
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(book.sheetnames + [str(c.value) for s in book for row in s.iter_rows()
                                            for c in row if c.value is not None])
    if fmt == "pdf":
        import pypdf

        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig")


#: A fixed word of each format in Finnish and in English.
WORDS = {"md": ("Mitä tavoittelimme", "What we aimed for"),
         "html": ("Mitä tavoittelimme", "What we aimed for"),
         "docx": ("Mitä tavoittelimme", "What we aimed for"),
         "pdf": ("Mitä tavoittelimme", "What we aimed for"),
         "xlsx": ("Vastaukset", "Contributions"),
         "csv": ("Äänestys", "Dot vote")}  # the method column


@pytest.mark.parametrize("fmt", sorted(WORDS))
def test_lang_sets_the_fixed_words_of_every_format(fmt, seminar_file, tmp_path):
    if fmt == "pdf":
        pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra")
    db = tmp_path / "seminar.db"
    shutil.copy(seminar_file[0], db)
    finnish, english = WORDS[fmt]
    for lang, wanted, unwanted in (("fi", finnish, english), ("en", english, finnish)):
        out = tmp_path / f"muistio-{lang}.{fmt}"
        ok(db, "memo", "1", "--lang", lang, "-o", out)
        words = _words(fmt, out.read_bytes())
        assert wanted in words and unwanted not in words, (fmt, lang)



def test_an_export_neither_joins_nor_ends_a_write_in_progress(seminar):
    """The console may export while the server is inside a write on the shared
    connection: the archive reads its own snapshot, and the write still commits."""
    from facilitator.memo.archive import archive_json

    store, event_id = seminar
    activity = store.activities(event_id)[0]
    with store.transaction():
        store.add_note(activity.id, "Kesken kirjoitettu")
        during = archive_json(store, event_id)
        store.add_note(activity.id, "Samassa kirjoituksessa")
    assert "Kesken kirjoitettu" not in during
    after = archive_json(store, event_id)
    assert "Kesken kirjoitettu" in after and "Samassa kirjoituksessa" in after
