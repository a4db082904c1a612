"""Notes and their moderation: what participants sent and what the facilitator did with it.

Who may see a note is decided here, in SQL, once for every method (`visible=`):
- "all": every note (the console, and a method's own rules, e.g. a cell a hidden topic holds);
- "counted": what counts in a tally — neither hidden nor waiting for approval; a duplicate
  folded under another still counts (merging two reasons does not take a person off the line);
- "public": what the room and the memo see — counted, and not folded under another note;
- "phone": public, plus the viewer's own notes that wait for approval (shown as waiting).

Every moderation step keeps the notes' moderated columns as they were before it, so the
last step can be undone, and the event's archive holds the whole history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from facilitator.domain import Note
from facilitator.storage.common import StateError, StoreBase, _now

Visible = Literal["all", "counted", "public", "phone"]

_VISIBILITY = {
    "all": "",
    "counted": " AND hidden = 0 AND pending = 0",
    "public": " AND hidden = 0 AND pending = 0 AND merged_into IS NULL",
}

#: The columns a moderation step may change, and an undo puts back.
MODERATED = ("hidden", "pending", "starred", "text", "original", "merged_into", "theme_id",
             "ref_id")


def _key(where: dict) -> tuple:
    """A read's filters as a cache key (a list of values as a sorted tuple)."""
    return tuple(sorted(
        (column, tuple(sorted(value, key=str)) if isinstance(value, (list, set, frozenset))
         else value) for column, value in where.items()))


class NothingChanged(StateError):
    """A moderation step that would change nothing (the notes are already so): one line
    wherever it is met (the CLI's errors, the console's notifications)."""

    def __init__(self, step: str):
        super().__init__(f"{step}: nothing to change")
        self.step = step


@dataclass(frozen=True)
class Step:
    """One moderation step as logged: what was done to which notes."""

    id: int
    event_id: int
    step: str
    note_ids: tuple[int, ...]
    created_at: str
    undone: bool = False


class NotesStore(StoreBase):
    _NOTE_COLUMNS = (
        "id, activity_id, participant_id, heading, text, hidden, starred, created_at,"
        " kind, round, group_id, ref_id, data, pending, original, merged_into, theme_id"
    )

    #: Columns a read of notes can be narrowed by (`notes(..., kind="topic")`).
    NOTE_FILTERS = frozenset({"id", "kind", "heading", "round", "group_id", "ref_id",
                              "participant_id", "theme_id", "merged_into", "starred",
                              "pending", "hidden"})

    @staticmethod
    def _note_from_row(row) -> Note:
        return Note(
            id=row[0], activity_id=row[1], participant_id=row[2], heading=row[3] or "",
            text=row[4], hidden=bool(row[5]), starred=bool(row[6]), created_at=row[7] or "",
            kind=row[8], round=row[9], group_id=row[10], ref_id=row[11],
            data=json.loads(row[12]) if row[12] else {}, pending=bool(row[13]),
            original=row[14], merged_into=row[15], theme_id=row[16],
        )

    # -- writing ---------------------------------------------------------------------------

    def _took_part(self, participant_id: int | None) -> None:
        """A device that posts, joins a group or votes is a participant from then on."""
        if participant_id is not None:
            self.db.execute(
                "UPDATE participants SET took_part_at = ? WHERE id = ? AND took_part_at IS NULL",
                [_now(), participant_id],
            )

    def add_note(
        self,
        activity_id: int,
        text: str,
        heading: str = "",
        participant_id: int | None = None,
        *,
        kind: str = "note",
        round: int = 1,
        group_id: int | None = None,
        ref_id: int | None = None,
        data: dict | None = None,
        pending: bool = False,
    ) -> Note:
        """Commit a note; returns only once it is on disk (the caller may then acknowledge).
        Inside `transaction()` it is on disk when that commits."""
        created = _now()
        data = data or {}
        with self._writing():
            note_id = self.db.conn.execute(
                "INSERT INTO notes (activity_id, participant_id, heading, text, hidden, starred,"
                " created_at, kind, round, group_id, ref_id, data, pending)"
                " VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?)",
                [activity_id, participant_id, heading, text, created, kind, round, group_id,
                 ref_id, json.dumps(data, ensure_ascii=False) if data else None, int(pending)],
            ).lastrowid
            self._took_part(participant_id)
        return Note(
            id=note_id, activity_id=activity_id, text=text, heading=heading,
            participant_id=participant_id, created_at=created, kind=kind, round=round,
            group_id=group_id, ref_id=ref_id, data=data, pending=pending,
        )

    def update_note(self, note_id: int, **changes) -> Note:
        """Change a note's `text`, `heading`, `ref_id`, `group_id`, `data` (replaced
        whole) or `pending`: a method's placements and a participant's own changes. The
        facilitator's corrections go through `edit_text`, which keeps the original."""
        allowed = {"text", "heading", "ref_id", "group_id", "data", "pending"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"update_note takes {', '.join(sorted(allowed))}")
        if "data" in changes:
            changes["data"] = json.dumps(changes["data"] or {}, ensure_ascii=False)
        if "pending" in changes:
            changes["pending"] = int(changes["pending"])
        if "text" in changes:
            # A new text from its author (a swapped point, a rewritten report) is not the
            # text the facilitator corrected or starred: neither carries over.
            changes["original"] = None
            changes["starred"] = 0
        changes["edited_at"] = _now()
        with self._writing():
            self.db["notes"].update(note_id, changes)
        note = self.note(note_id)
        if note is None:
            raise StateError(f"no note with id {note_id}")
        return note

    # -- reading ---------------------------------------------------------------------------

    def _where(self, activity_id: int, visible: str, viewer: int | None, where: dict,
               after_id: int = 0) -> tuple[str, list]:
        unknown = set(where) - self.NOTE_FILTERS
        if unknown:
            raise ValueError(f"notes() cannot filter by {', '.join(sorted(unknown))}")
        sql = " WHERE activity_id = ?"
        params: list = [activity_id]
        if after_id:  # only when asked: "id > 0" keeps SQLite off the better index
            sql += " AND id > ?"
            params.append(after_id)
        for column, value in sorted(where.items()):
            if value is None:
                sql += f" AND {column} IS NULL"
            elif isinstance(value, (tuple, list, frozenset, set)):
                values = sorted(value, key=str)
                sql += f" AND {column} IN ({', '.join('?' * len(values))})" if values else " AND 0"
                params += values
            else:
                sql += f" AND {column} = ?"
                params.append(value)
        if visible == "own_pending":  # what a phone sees beyond "public": its own, waiting
            sql += " AND hidden = 0 AND pending = 1 AND merged_into IS NULL AND participant_id = ?"
            params.append(viewer)
        elif visible == "phone":
            sql += " AND hidden = 0 AND merged_into IS NULL AND (pending = 0"
            if viewer is not None:
                sql += " OR participant_id = ?"
                params.append(viewer)
            sql += ")"
        else:
            sql += _VISIBILITY[visible]
        return sql, params

    def notes(
        self, activity_id: int, *, visible: Visible = "all", viewer: int | None = None,
        after_id: int = 0, limit: int | None = None, offset: int = 0,
        newest_first: bool = False, **where,
    ) -> list[Note]:
        """An activity's notes in order (oldest first unless `newest_first`), narrowed in
        SQL by equal columns (`kind`, `heading`, `round`, `group_id`, …; a tuple means any
        of them) and by who reads (`visible`, `viewer` for a phone's own pending notes):
        a phone's page reads only its station's or its own notes, not the whole room's, and
        the console only the rows on screen (`limit`, `offset`).

        The first `limit` of what the room may read is the same for every phone: read
        once and kept until the database changes, as `count_notes` counts; a phone's own
        waiting notes are read for it and put in their places."""
        if visible not in ("public", "phone") or limit is None or offset:
            return self._read(activity_id, visible, viewer, after_id, limit, offset,
                              newest_first, where)
        key = ("notes", activity_id, after_id, limit, newest_first, _key(where))
        public = self._cached(key, lambda: tuple(self._read(
            activity_id, "public", None, after_id, limit, 0, newest_first, where)))
        if visible == "public" or viewer is None:
            return list(public)
        own = self._read(activity_id, "own_pending", viewer, after_id, limit, 0,
                         newest_first, where)
        if not own:
            return list(public)
        merged = sorted([*public, *own], key=lambda n: n.id, reverse=newest_first)
        return merged[:limit]

    def waiting_of(self, participant_id: int) -> tuple[int, ...]:
        """The ids of a participant's notes that wait for approval, as `visible="phone"`
        shows them to its phone alone (one index read: web/page_cache.py asks per page)."""
        rows = self.db.execute(
            "SELECT id FROM notes WHERE participant_id = ? AND pending = 1 AND hidden = 0"
            " AND merged_into IS NULL ORDER BY id", [participant_id]).fetchall()
        return tuple(row[0] for row in rows)

    def _read(self, activity_id: int, visible: str, viewer: int | None, after_id: int,
              limit: int | None, offset: int, newest_first: bool, where: dict) -> list[Note]:
        sql, params = self._where(activity_id, visible, viewer, where, after_id)
        sql = f"SELECT {self._NOTE_COLUMNS} FROM notes{sql} ORDER BY id"
        if newest_first:
            sql += " DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [self._note_from_row(r) for r in self.db.execute(sql, params).fetchall()]

    def count_notes(self, activity_id: int, *, visible: Visible = "all",
                    viewer: int | None = None, after_id: int = 0, **where) -> int:
        """How many notes `notes()` would read with the same arguments.

        What the room may read is the same for every phone: counted once and kept until
        the database changes (`_cached`), so a room reloading at a round change counts a
        station once, not once a phone. A phone's count adds its own notes that wait for
        approval, a few entries of an index."""
        if visible not in ("public", "phone"):
            return self._count(activity_id, visible, None, after_id, where)
        key = ("count_notes", activity_id, after_id, _key(where))
        public = self._cached(key, lambda: self._count(activity_id, "public", None, after_id,
                                                       where))
        if visible == "public" or viewer is None:
            return public
        return public + self._count(activity_id, "own_pending", viewer, after_id, where)

    def _count(self, activity_id: int, visible: str, viewer: int | None, after_id: int,
               where: dict) -> int:
        sql, params = self._where(activity_id, visible, viewer, where, after_id)
        return self.db.execute(f"SELECT count(*) FROM notes{sql}", params).fetchone()[0]

    def count_notes_by(self, activity_id: int, column: str, *, visible: Visible = "all",
                       viewer: int | None = None, **where) -> dict:
        """How many notes per value of `column` (a heading, a station, a group)."""
        if column not in self.NOTE_FILTERS:
            raise ValueError(f"cannot count notes by {column}")
        sql, params = self._where(activity_id, visible, viewer, where)
        rows = self.db.execute(
            f"SELECT {column}, count(*) FROM notes{sql} GROUP BY {column}", params
        ).fetchall()
        return dict(rows)

    def note(self, note_id: int) -> Note | None:
        row = self.db.execute(
            f"SELECT {self._NOTE_COLUMNS} FROM notes WHERE id = ?", [note_id]
        ).fetchone()
        return self._note_from_row(row) if row else None

    def notes_by_id(self, note_ids: Iterable[int]) -> dict[int, Note]:
        ids = sorted(set(note_ids))
        if not ids:
            return {}
        rows = self.db.execute(
            f"SELECT {self._NOTE_COLUMNS} FROM notes WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        ).fetchall()
        return {row[0]: self._note_from_row(row) for row in rows}

    def note_count(self, activity_id: int) -> int:
        return self.count_notes(activity_id)

    def event_notes(self, event_id: int, activity_id: int | None = None) -> list[Note]:
        """Every note of an event (or one of its activities), in order: the CLI's list."""
        sql = (f"SELECT {', '.join('n.' + c.strip() for c in self._NOTE_COLUMNS.split(','))}"
               " FROM notes n JOIN activities a ON a.id = n.activity_id WHERE a.event_id = ?")
        params: list = [event_id]
        if activity_id is not None:
            sql += " AND n.activity_id = ?"
            params.append(activity_id)
        rows = self.db.execute(sql + " ORDER BY n.id", params).fetchall()
        return [self._note_from_row(r) for r in rows]

    def merged_counts(self, note_ids: Iterable[int]) -> dict[int, int]:
        """How many duplicates are folded under each of these notes."""
        ids = sorted(set(note_ids))
        if not ids:
            return {}
        rows = self.db.execute(
            "SELECT merged_into, count(*) FROM notes WHERE merged_into IN"
            f" ({', '.join('?' * len(ids))}) GROUP BY merged_into", ids,
        ).fetchall()
        return dict(rows)

    def pending_count(self, activity_id: int) -> int:
        """Notes waiting for the facilitator's approval (a rejected one is hidden)."""
        return self.count_notes(activity_id, pending=1, hidden=0)

    # -- moderation ------------------------------------------------------------------------

    def _snapshot(self, note_ids: Iterable[int]) -> list[dict]:
        ids = sorted(set(note_ids))
        if not ids:
            return []
        return self._rows(f"SELECT id, {', '.join(MODERATED)} FROM notes"
                          f" WHERE id IN ({', '.join('?' * len(ids))})", ids)

    def moderate(self, event_id: int, step: str, note_ids: Iterable[int],
                 changes: dict[int, dict], *, themes: list[dict] | None = None) -> Step:
        """Apply `changes` ({note id: {column: value}}) as one logged step.

        The notes' moderated columns are kept as they were, so `undo` can put them back;
        the step and its log entry are one transaction. `themes` are the rows of the themes
        the step changes, as they were before it (`storage.themes` makes them), so an undo
        puts those back too."""
        ids = tuple(sorted(set(note_ids) | set(changes)))
        for columns in changes.values():
            if set(columns) - set(MODERATED):
                raise ValueError(f"a moderation step changes only {', '.join(MODERATED)}")
        stamp = _now()
        with self._writing():
            before = self._snapshot(ids)
            # Only what differs: a step that changes nothing is no step (nothing to undo).
            found = {row["id"]: row for row in before}
            changes = {note_id: {c: v for c, v in columns.items()
                                 if note_id in found and found[note_id][c] != v}
                       for note_id, columns in changes.items()}
            changes = {note_id: columns for note_id, columns in changes.items() if columns}
            if not changes and not themes:
                raise NothingChanged(step)
            for note_id, columns in changes.items():
                if columns:
                    sets = ", ".join(f"{c} = ?" for c in columns)
                    self.db.execute(f"UPDATE notes SET {sets}, edited_at = ? WHERE id = ?",
                                    [*columns.values(), stamp, note_id])
            step_id = self.db.conn.execute(
                "INSERT INTO moderation (event_id, step, note_ids, before, after, created_at,"
                " themes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [event_id, step, json.dumps(list(ids)), json.dumps(before, ensure_ascii=False),
                 json.dumps({str(k): v for k, v in changes.items()}, ensure_ascii=False),
                 stamp, json.dumps(themes, ensure_ascii=False) if themes else None],
            ).lastrowid
        return Step(step_id, event_id, step, ids, stamp)

    def moderation_steps(self, event_id: int) -> list[Step]:
        rows = self.db.execute(
            "SELECT id, event_id, step, note_ids, created_at, undone_at FROM moderation"
            " WHERE event_id = ? ORDER BY id", [event_id],
        ).fetchall()
        return [Step(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5] is not None)
                for r in rows]

    def last_step(self, event_id: int) -> Step | None:
        """The step an undo takes back: the event's own, never one a merged archive
        brought (`facilitator import --into`: another laptop's history, whose themes may
        now be this event's own). A step imported with the event itself is its own."""
        row = self.db.execute(
            "SELECT m.id, m.event_id, m.step, m.note_ids, m.created_at FROM moderation m"
            " JOIN events e ON e.id = m.event_id"
            " WHERE m.event_id = ? AND m.undone_at IS NULL AND (m.origin IS NULL OR"
            " substr(m.origin, 1, length(coalesce(e.origin, e.uid)) + 1)"
            " = coalesce(e.origin, e.uid) || '/') ORDER BY m.id DESC LIMIT 1", [event_id],
        ).fetchone()
        return Step(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4]) if row else None

    def undo_step(self, event_id: int) -> Step | None:
        """Put back what the event's last step changed; None if nothing to undo.

        A column goes back only while it still holds what the step set: if the participant
        has since swapped the text, or the note went back to waiting, that newer state
        stays (an undo never drops a participant's words or skips an approval)."""
        with self._writing():
            step = self.last_step(event_id)
            if step is None:
                return None
            before_json, after_json, themes = self.db.execute(
                "SELECT before, after, themes FROM moderation WHERE id = ?", [step.id]
            ).fetchone()
            stamp = _now()
            deleted = []
            for row in json.loads(themes) if themes else ():
                # First the themes (a deleted one back before its notes point at it again).
                theme_id = row.pop("id")
                sets = ", ".join(f"{c} = ?" for c in row)
                self.db.execute(f"UPDATE themes SET {sets} WHERE id = ?",
                                [*row.values(), theme_id])
                if row.get("deleted_at"):
                    deleted.append(theme_id)
            before = {row.pop("id"): row for row in json.loads(before_json)}
            after = ({int(k): v for k, v in json.loads(after_json).items()} if after_json
                     else {note_id: dict(row) for note_id, row in before.items()})
            now = {row["id"]: row for row in self._snapshot(after)}
            for note_id, columns in after.items():
                current = now.get(note_id)
                if current is None:
                    continue
                back = {c: before[note_id][c] for c, v in columns.items()
                        if after_json is None or current[c] == v}
                if back:
                    sets = ", ".join(f"{c} = ?" for c in back)
                    self.db.execute(f"UPDATE notes SET {sets}, edited_at = ? WHERE id = ?",
                                    [*back.values(), stamp, note_id])
            for theme_id in deleted:
                # A deleted theme keeps no notes: a merged archive's notes, put in it by a
                # step of that archive's (which no undo here takes back), go out of it too.
                self.db.execute("UPDATE notes SET theme_id = NULL, edited_at = ?"
                                " WHERE theme_id = ?", [stamp, theme_id])
            self.db.execute("UPDATE moderation SET undone_at = ? WHERE id = ?", [stamp, step.id])
        return step
