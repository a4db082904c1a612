"""Schema, as migrations. Never edit an applied migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("facilitator")


@migrations()
def m001_initial(db):
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["events"].create(
        {
            "id": int,
            "title": str,
            "kind": str,
            "starts": str,
            "ends": str,
            "duration": str,
            "description": str,
            "output": str,
            "aims": str,  # JSON list
            "how": str,  # JSON list
            "results": str,  # JSON list
            "summary": str,
            "date": str,
            "place": str,
            "organiser": str,
            "template": str,
            "join_code": str,
            "created_at": str,
        },
        pk="id",
        not_null={"title", "join_code"},
    )
    db["events"].create_index(["join_code"], unique=True)
    db["parts"].create(
        {
            "id": int,
            "event_id": int,
            "position": int,
            "title": str,
            "starts": str,
            "ends": str,
            "description": str,
            "aims": str,
            "how": str,
            "results": str,
            "summary": str,
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id")],
        not_null={"event_id", "title"},
    )
    db["activities"].create(
        {
            "id": int,
            "event_id": int,
            "part_id": int,
            "position": int,
            "method": str,
            "title": str,
            "prompt": str,
            "headings": str,  # JSON list
            "config": str,  # JSON object
            "state": str,
            "opened_at": str,
            "closed_at": str,
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id"), ("part_id", "parts", "id")],
        not_null={"event_id", "method", "title", "state"},
        defaults={"state": "draft"},
    )
    db["participants"].create(
        {
            "id": int,
            "event_id": int,
            "token_hash": str,  # sha256 of the device cookie; the cookie itself is not kept
            "name": str,
            "organisation": str,
            "lang": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id")],
        not_null={"event_id", "token_hash"},
    )
    db["participants"].create_index(["event_id", "token_hash"], unique=True)
    db["groups"].create(
        {"id": int, "event_id": int, "activity_id": int, "position": int, "name": str},
        pk="id",
        foreign_keys=[("event_id", "events", "id"), ("activity_id", "activities", "id")],
        not_null={"event_id", "name"},
    )
    db["themes"].create(
        {"id": int, "activity_id": int, "position": int, "title": str, "summary": str},
        pk="id",
        foreign_keys=[("activity_id", "activities", "id")],
        not_null={"activity_id", "title"},
    )
    db["notes"].create(
        {
            "id": int,
            "activity_id": int,
            "participant_id": int,
            "group_id": int,
            "theme_id": int,
            "heading": str,
            "text": str,
            "hidden": int,
            "starred": int,
            "created_at": str,
            "edited_at": str,
        },
        pk="id",
        foreign_keys=[
            ("activity_id", "activities", "id"),
            ("participant_id", "participants", "id"),
            ("group_id", "groups", "id"),
            ("theme_id", "themes", "id"),
        ],
        not_null={"activity_id", "text", "hidden", "starred"},
        defaults={"hidden": 0, "starred": 0, "heading": ""},
    )
    db["notes"].create_index(["activity_id", "id"])
    db["votes"].create(
        {
            "id": int,
            "activity_id": int,
            "participant_id": int,
            "option": str,
            "dots": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[
            ("activity_id", "activities", "id"),
            ("participant_id", "participants", "id"),
        ],
        not_null={"activity_id", "option", "dots"},
    )
    db["action_items"].create(
        {
            "id": int,
            "event_id": int,
            "part_id": int,
            "what": str,
            "who": str,
            "due": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id"), ("part_id", "parts", "id")],
        not_null={"event_id", "what"},
    )


@migrations()
def m002_method_state(db):
    """What the workshop methods keep: rounds and their clocks, group membership, and a
    note's kind, round, method data and the note it refers to."""
    db["activities"].add_column("round", int, not_null_default=1)
    db["activities"].add_column("round_started_at", str)
    db["notes"].add_column("kind", str, not_null_default="note")
    db["notes"].add_column("round", int, not_null_default=1)
    db["notes"].add_column("data", str)  # JSON object
    db["notes"].add_column("ref_id", int)
    db["members"].create(
        {"activity_id": int, "participant_id": int, "group_id": int, "joined_at": str},
        pk=("activity_id", "participant_id"),
        foreign_keys=[
            ("activity_id", "activities", "id"),
            ("participant_id", "participants", "id"),
            ("group_id", "groups", "id"),
        ],
        not_null={"group_id"},
    )
    db["groups"].create_index(["activity_id", "position"])
    db["votes"].create_index(["activity_id", "participant_id"])


@migrations()
def m003_notes_by_participant(db):
    """A phone's page reads its own notes (its place on the emotion line, its dots) on
    every load: without this index that read scans the whole activity."""
    db["notes"].create_index(["activity_id", "participant_id"])


@migrations()
def m004_cockpit(db):
    """What the facilitator does with the notes (issue 7): moderation, results, agreements.

    - notes: `pending` (waiting for approval in a pre-moderated activity), `original` (the
      text as sent, kept when the facilitator corrects a typo), `merged_into` (a duplicate
      folded under the note that survives);
    - activities: the written *Mitä tuloksena* (`summary`) and pre-moderation;
    - participants: `took_part_at`, the first post, group join or vote: a device that only
      opened the page is not a participant;
    - moderation: every step with the notes' state before it, so the last can be undone.
    """
    db["notes"].add_column("pending", int, not_null_default=0)
    db["notes"].add_column("original", str)
    db["notes"].add_column("merged_into", int)
    db["activities"].add_column("summary", str)
    db["activities"].add_column("premoderated", int, not_null_default=0)
    db["participants"].add_column("took_part_at", str)
    db.execute(
        "UPDATE participants SET took_part_at = created_at WHERE"
        " id IN (SELECT participant_id FROM notes WHERE participant_id IS NOT NULL)"
        " OR id IN (SELECT participant_id FROM members)"
        " OR id IN (SELECT participant_id FROM votes WHERE participant_id IS NOT NULL)"
    )
    db["moderation"].create(
        {
            "id": int,
            "event_id": int,
            "step": str,  # hide, unhide, approve, edit, star, unstar, merge, unmerge, …
            "note_ids": str,  # JSON list
            "before": str,  # JSON list of the notes' moderated columns before the step
            "created_at": str,
            "undone_at": str,
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id")],
        not_null={"event_id", "step", "note_ids", "before"},
    )
    db["moderation"].create_index(["event_id", "id"])
    db["notes"].create_index(["participant_id"])
    db["notes"].create_index(["merged_into"])
    # The console counts an activity's notes per heading (a question's sub-headings, the
    # treasure map's areas, the process walk's stations) on every refresh.
    db["notes"].create_index(["activity_id", "kind", "heading"])


@migrations()
def m005_counting_indexes(db):
    """The console counts an activity's notes per heading and those waiting for approval
    on every refresh: with these the counts read an index, not the notes (16,000 notes:
    the board's counts went from 14 ms to under 2 ms a refresh)."""
    db["notes"].create_index(["activity_id", "heading"])
    db.execute("CREATE INDEX IF NOT EXISTS idx_notes_pending ON notes (activity_id)"
               " WHERE pending = 1")


@migrations()
def m006_themes(db):
    """Teemoittelu: the facilitator's themes as undoable steps, and a template's labels.

    - events: `themes`, the labels the template offers (JSON list);
    - themes: `deleted_at` — a deleted theme is kept, so that undoing the delete (or the
      step that made it) brings it back with its notes; lists leave it out;
    - moderation: `themes`, the themes' rows before the step (JSON list), as `before`
      keeps the notes'.
    """
    db["events"].add_column("themes", str)
    db["themes"].add_column("deleted_at", str)
    db["moderation"].add_column("themes", str)
    db["themes"].create_index(["activity_id", "position"])
    db["notes"].create_index(["theme_id"])


@migrations()
def m007_moderation_after(db):
    """What each moderation step set, beside what it found: an undo puts back only the
    columns that still hold what the step set, so it never overwrites a participant's
    newer text (a swapped point) or lets a waiting note through."""
    db["moderation"].add_column("after", str)  # JSON {note id: {column: value}}


@migrations()
def m009_published(db):
    """The memo offered on the participants' page: `published_at`, when the facilitator
    published it (null: not published). Kept in the database, so a `serve` in another
    process, a restart and the CLI all agree on it."""
    db["events"].add_column("published_at", str)


@migrations()
def m010_workshops(db):
    """Parallel workshops (issue 10): seminar 2's workshops 1–3 run at once and each
    participant chooses one.

    - workshops: an event's workshops by name, in the template's order;
    - parts: `workshop_id`, the workshop a part belongs to (none: the whole room's part);
    - participants: `workshop_id`, the workshop the device chose, for the console's counts
      (the phone's page follows its choice cookie; see `web.workshops`).
    """
    db["workshops"].create(
        {"id": int, "event_id": int, "position": int, "name": str},
        pk="id",
        foreign_keys=[("event_id", "events", "id")],
        not_null={"event_id", "name"},
    )
    db["workshops"].create_index(["event_id", "position"])
    db["parts"].add_column("workshop_id", int)
    db["participants"].add_column("workshop_id", int)
    db["participants"].create_index(["event_id", "workshop_id"])


@migrations()
def m011_archive(db):
    """The JSON archive (issue 9): what lets workshop archives from several laptops merge
    into one event without a row arriving twice.

    - events: `uid`, a random id of its own (a trigger gives every new event one, however
      it is inserted), and `origin`, the uid of the event an imported archive was made
      from (NULL for an event made here);
    - participants, themes, notes, action_items, moderation: `origin`, the row's key in
      the archive it came from ("<event uid>/<table>/<id>"; NULL for a row made here, whose
      key is then its own event's uid, table and id). Importing the same archive again
      finds every row by it and adds nothing.
    """
    db["events"].add_column("uid", str)
    db["events"].add_column("origin", str)
    db.execute("UPDATE events SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS idx_events_uid ON events (uid)")
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS events_uid AFTER INSERT ON events WHEN NEW.uid IS NULL"
        " BEGIN UPDATE events SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END"
    )
    for table in ("participants", "themes", "notes", "action_items", "moderation"):
        db[table].add_column("origin", str)


@migrations()
def m012_page_indexes(db):
    """A phone's page costs what it shows, not what is stored:
    - what the room may read at a station, an area or a question is counted from the
      index alone (10,000 notes: 3,300 at a station counted in 0.36 ms, not 1.4 ms);
    - a group's notes (a table's map, a team's answers) are read newest first from an
      index in that order, not by walking the whole activity;
    - the comments on the answers shown, and the reports on a topic, by what they are on."""
    db["notes"].create_index(["activity_id", "kind", "heading", "hidden", "pending",
                              "merged_into"])
    db["notes"].create_index(["activity_id", "group_id"])
    db["notes"].create_index(["ref_id"])


@migrations()
def m013_team_votes(db):
    """A dot vote per team (`per = "team"`, the seed's "työryhmä äänestää"): the ballot
    belongs to the team, so its rows carry the team; `participant_id` is whoever cast it
    last. Rows of a vote per participant keep `group_id` empty."""
    db["votes"].add_column("group_id", int, fk="groups", fk_col="id")
    db["votes"].create_index(["activity_id", "group_id"])


@migrations()
def m014_event_lang(db):
    """The event's language (`lang`, "fi" or "en", from the template): the memo's fixed
    words follow it unless `--lang` says otherwise. Events made before it are Finnish
    (NULL is read as "fi")."""
    db["events"].add_column("lang", str)


@migrations()
def m015_waiting_index(db):
    """A phone's page is shared with the phones that see the same unless it has notes of
    its own waiting for approval (web/page_cache.py): asked on every page, answered from
    the few waiting entries, not from every note the participant wrote."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_notes_waiting ON notes (participant_id)"
               " WHERE pending = 1")


@migrations()
def m016_lighter_note_indexes(db):
    """Every index on the notes is written with every note: twelve of them made a note's
    insert cost two to three times its row (benchmarks/load.py, a room posting at once).
    A note's theme, merge and reference are empty for most notes, so only the notes that
    have one are indexed (a lookup by value, `theme_id = ?` or `ref_id IN (…)`, implies
    the value is there and still reads the index). `(activity_id, kind, heading)` stays,
    though m012's longer index begins with it: read newest first where `hidden` or
    `pending` is not fixed, the longer one cannot give the order, and a question's answers
    were read past all of its comments (tests/storage/test_notes.py)."""
    for column in ("theme_id", "ref_id", "merged_into"):
        db.execute(f'DROP INDEX IF EXISTS "idx_notes_{column}"')
        db.execute(f'CREATE INDEX "idx_notes_{column}" ON notes ({column})'
                   f" WHERE {column} IS NOT NULL")
