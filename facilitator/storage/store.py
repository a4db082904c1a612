"""A typed API over the database: what the web, the console, the CLI and the memo use."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from facilitator.domain import Activity, Event, Group, Part, new_join_code
from facilitator.domain.codes import LENGTH, ONLINE_LENGTH, normalise_join_code
from facilitator.domain.models import Participant, can_change_state
from facilitator.i18n import LANGUAGES
from facilitator.storage.archive import ArchiveStore
from facilitator.storage.common import (
    PEOPLE_TABLES,
    PROGRAMME_TABLES,
    EventNotFound,
    StateError,
    _hash_token,
    _now,
    _tuple,
    parse_id,
)
from facilitator.storage.notes import NotesStore
from facilitator.storage.results import ResultsStore
from facilitator.storage.themes import ThemesStore
from facilitator.storage.workshops import WorkshopsStore


class Store(NotesStore, ResultsStore, ThemesStore, ArchiveStore, WorkshopsStore):
    """The one way in to the database; notes and moderation, results and agreements,
    themes, the event's archive and parallel workshops are in their own modules
    (`storage.notes`, `storage.results`, `storage.themes`, `storage.archive`,
    `storage.workshops`)."""

    @property
    def path(self) -> str:
        """The database file ("" for an in-memory one)."""
        row = self.db.execute("PRAGMA database_list").fetchone()
        return row[2] if row else ""

    # -- change detection ------------------------------------------------------------------

    def change_stamp(self) -> tuple[int, int]:
        """Changes whenever anything in the database may have: another process's commit
        changes `PRAGMA data_version`, this connection's own writes (through the Store or
        not) change `total_changes`. What a cache of anything read from it is keyed by."""
        return self._version(), self.db.conn.total_changes

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one moment of the database (one WAL read transaction): a
        memo built while notes arrive is the room at one instant, not half of each."""
        conn = self.db.conn
        if conn.in_transaction or self._depth:  # inside a write: it is the moment already
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def secret(self) -> bytes:
        """The server's signing key (CSRF), created once and kept so restarts keep sessions."""
        row = self.db.execute("SELECT value FROM settings WHERE key = 'secret'").fetchone()
        if row:
            return bytes.fromhex(row[0])
        value = secrets.token_hex(32)
        with self._writing():
            self.db.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('secret', ?)", [value]
            )
        return self.secret()

    def setting(self, key: str, default: str = "") -> str:
        """A small value kept with the database (e.g. what the console has already read)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._writing():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- events ------------------------------------------------------------------------------

    def _free_code(self, length: int) -> str:
        for _ in range(20):
            code = new_join_code(length)
            if not self.db.execute("SELECT 1 FROM events WHERE join_code = ?", [code]).fetchone():
                break
        return code

    def lengthen_join_code(self, event_id: int, length: int = ONLINE_LENGTH) -> Event:
        """Give the event a code of `length` letters if its code is shorter (an event
        going onto the internet); the old code stops working."""
        event = self.event(event_id)
        if len(event.join_code) < length:
            with self._writing():
                self.db.execute("UPDATE events SET join_code = ? WHERE id = ?",
                                [self._free_code(length), event_id])
            event = self.event(event_id)
        return event

    def create_event(self, event: Event, code_length: int = LENGTH) -> Event:
        """Store an event built from a template, with its parts and activities, atomically;
        `code_length` letters in its join code (`ONLINE_LENGTH` for the internet)."""
        with self._writing():
            code = self._free_code(code_length)
            event_id = (
                self.db["events"]
                .insert(
                    {
                        "title": event.title,
                        "kind": event.kind,
                        "starts": event.starts,
                        "ends": event.ends,
                        "duration": event.duration,
                        "description": event.description,
                        "output": event.output,
                        "aims": json.dumps(list(event.aims), ensure_ascii=False),
                        "how": json.dumps(list(event.how), ensure_ascii=False),
                        "results": json.dumps(list(event.results), ensure_ascii=False),
                        "summary": event.summary,
                        "date": event.date,
                        "place": event.place,
                        "organiser": event.organiser,
                        "template": event.template,
                        "themes": json.dumps(list(event.themes), ensure_ascii=False),
                        "lang": event.lang,
                        "join_code": code,
                        "created_at": _now(),
                    }
                )
                .last_pk
            )
            position = 0
            workshop_ids = self._insert_workshops(event_id, event.parts)
            for p_index, part in enumerate(event.parts):
                part_id = (
                    self.db["parts"]
                    .insert(
                        {
                            "event_id": event_id,
                            "position": p_index,
                            "title": part.title,
                            "starts": part.starts,
                            "ends": part.ends,
                            "description": part.description,
                            "aims": json.dumps(list(part.aims), ensure_ascii=False),
                            "how": json.dumps(list(part.how), ensure_ascii=False),
                            "results": json.dumps(list(part.results), ensure_ascii=False),
                            "summary": part.summary,
                            "workshop_id": workshop_ids.get(part.workshop),
                        }
                    )
                    .last_pk
                )
                for activity in part.activities:
                    activity_id = self.db["activities"].insert(
                        {
                            "event_id": event_id,
                            "part_id": part_id,
                            "position": position,
                            "method": activity.method,
                            "title": activity.title,
                            "prompt": activity.prompt,
                            "headings": json.dumps(list(activity.headings), ensure_ascii=False),
                            "config": json.dumps(activity.config, ensure_ascii=False),
                            "state": "draft",
                            "round": 1,
                            "premoderated": int(activity.premoderated),
                        }
                    ).last_pk
                    for g_index, name in enumerate(activity.groups):
                        self._insert_group(event_id, activity_id, g_index, name)
                    position += 1
        return self.event(event_id)

    def _event_from_row(self, row: dict) -> Event:
        return Event(
            id=row["id"],
            title=row["title"],
            kind=row["kind"] or "seminar",
            starts=row["starts"] or "",
            ends=row["ends"] or "",
            duration=row["duration"] or "",
            description=row["description"] or "",
            output=row["output"] or "",
            aims=_tuple(row["aims"]),
            how=_tuple(row["how"]),
            results=_tuple(row["results"]),
            summary=row["summary"] or "",
            date=row["date"] or "",
            place=row["place"] or "",
            organiser=row["organiser"] or "",
            template=row["template"] or "",
            themes=_tuple(row.get("themes")),
            # An older event, or an archive's unknown language, is Finnish, as before.
            lang=row.get("lang") if row.get("lang") in LANGUAGES else "fi",
            join_code=row["join_code"],
            created_at=row["created_at"] or "",
        )

    def events(self) -> list[Event]:
        return [self._event_from_row(r) for r in self.db["events"].rows_where(order_by="id")]

    def event(self, event_id: int) -> Event:
        rows = self._rows("SELECT * FROM events WHERE id = ?", [event_id])
        if not rows:
            raise EventNotFound(f"no event with id {event_id}")
        return self._event_from_row(rows[0])

    def event_by_code(self, code: str) -> Event:
        normal = normalise_join_code(code)

        def load() -> Event:
            rows = self._rows("SELECT * FROM events WHERE join_code = ?", [normal])
            if not rows:  # raised, so not kept: guessed codes do not fill the cache
                raise EventNotFound(f"no event with join code {code!r}")
            return self._event_from_row(rows[0])

        return self._cached(("event_by_code", normal), load, tables=PROGRAMME_TABLES)

    def find_event(self, ref: str | int) -> Event:
        """An event by id or by join code, as a user types either on the command line."""
        text = str(ref).strip()
        event_id = parse_id(text)
        if event_id is not None:
            return self.event(event_id)
        if text.isascii() and text.isdigit():
            raise EventNotFound(f"no event with id {text}")
        return self.event_by_code(text)

    def memo_published(self, event_id: int) -> bool:
        """Whether the participants' page offers the event's memo (`publish`)."""
        def load() -> bool:
            rows = self._rows("SELECT published_at FROM events WHERE id = ?", [event_id])
            return bool(rows and rows[0]["published_at"])

        return self._cached(("memo_published", event_id), load, tables=PROGRAMME_TABLES)

    def set_memo_published(self, event_id: int, published: bool) -> bool:
        """Publish the memo on the participants' page, or take it off; False when it was
        so already (nothing written)."""
        self.event(event_id)  # an unknown event is EventNotFound, not a silent no-op
        with self._writing():
            changed = self.db.execute(
                "UPDATE events SET published_at = ? WHERE id = ? AND"
                f" published_at IS {'' if published else 'NOT '}NULL",
                [_now() if published else None, event_id]).rowcount
        return bool(changed)

    # -- programme -----------------------------------------------------------------------------

    def parts(self, event_id: int) -> list[Part]:
        activities = self.activities(event_id)
        workshops = {w.id: w.name for w in self.workshops(event_id)}
        parts = []
        for row in self.db["parts"].rows_where("event_id = ?", [event_id], order_by="position"):
            parts.append(
                Part(
                    id=row["id"],
                    event_id=event_id,
                    position=row["position"],
                    title=row["title"],
                    starts=row["starts"] or "",
                    ends=row["ends"] or "",
                    description=row["description"] or "",
                    aims=_tuple(row["aims"]),
                    how=_tuple(row["how"]),
                    results=_tuple(row["results"]),
                    summary=row["summary"] or "",
                    activities=tuple(a for a in activities if a.part_id == row["id"]),
                    workshop=workshops.get(row["workshop_id"], ""),
                )
            )
        return parts

    @staticmethod
    def _activity_from_row(row: dict) -> Activity:
        return Activity(
            id=row["id"],
            event_id=row["event_id"],
            part_id=row["part_id"],
            position=row["position"],
            method=row["method"],
            title=row["title"],
            prompt=row["prompt"] or "",
            headings=_tuple(row["headings"]),
            config=json.loads(row["config"] or "{}"),
            state=row["state"],
            round=row["round"] or 1,
            round_started_at=row["round_started_at"] or "",
            summary=row["summary"] or "",
            premoderated=bool(row["premoderated"]),
        )

    def activities(self, event_id: int, state: str | None = None) -> list[Activity]:
        return list(self._cached(("activities", event_id, state),
                                 lambda: self._load_activities(event_id, state),
                                 tables=PROGRAMME_TABLES))

    def _load_activities(self, event_id: int, state: str | None) -> tuple[Activity, ...]:
        where, args = "event_id = ?", [event_id]
        if state:
            where, args = where + " AND state = ?", args + [state]
        rows = self._rows(f"SELECT * FROM activities WHERE {where} ORDER BY position", args)
        return tuple(self._activity_from_row(r) for r in rows)

    def activity(self, activity_id: int) -> Activity:
        def load() -> Activity:
            rows = self._rows("SELECT * FROM activities WHERE id = ?", [activity_id])
            if not rows:  # raised, so not kept
                raise StateError(f"no activity with id {activity_id}")
            return self._activity_from_row(rows[0])

        # Kept like the event's activities: every post reads it, under its write lock.
        return self._cached(("activity", activity_id), load, tables=PROGRAMME_TABLES)

    def set_activity_state(self, event_id: int, activity_id: int, state: str) -> Activity:
        activity = self.activity(activity_id)
        if activity.event_id != event_id:
            raise StateError(f"activity {activity_id} is not part of event {event_id}")
        if activity.state == state:
            return activity
        if not can_change_state(activity.state, state):
            raise StateError(f"activity {activity_id} is {activity.state}; cannot make it {state}")
        stamp = "opened_at" if state == "open" else "closed_at"
        changes = {"state": state, stamp: _now()}
        if state == "open":
            # Opening (or reopening after a close) starts the current round's clock: a
            # reopened time box with its countdown long at 0:00 would say "time is up".
            changes["round_started_at"] = changes[stamp]
        with self._writing():
            self.db["activities"].update(activity_id, changes)
        return self.activity(activity_id)

    def set_round(self, activity_id: int, round: int) -> Activity:
        """Move to a round (or restart the current one's clock: the same number)."""
        if round < 1:
            raise StateError("rounds count from 1")
        with self._writing():
            self.db.execute(
                "UPDATE activities SET round = ?, round_started_at = ? WHERE id = ?",
                [round, _now(), activity_id],
            )
        return self.activity(activity_id)

    # -- groups ------------------------------------------------------------------------------

    def _insert_group(self, event_id: int, activity_id: int, position: int, name: str) -> int:
        return self.db.conn.execute(
            "INSERT INTO groups (event_id, activity_id, position, name) VALUES (?, ?, ?, ?)",
            [event_id, activity_id, position, name],
        ).lastrowid

    def groups(self, activity_id: int) -> list[Group]:
        rows = self.db.execute(
            "SELECT id, activity_id, position, name FROM groups WHERE activity_id = ?"
            " ORDER BY position, id", [activity_id],
        ).fetchall()
        return [Group(*row) for row in rows]

    def group(self, group_id: int) -> Group | None:
        row = self.db.execute(
            "SELECT id, activity_id, position, name FROM groups WHERE id = ?", [group_id]
        ).fetchone()
        return Group(*row) if row else None

    def add_group(self, activity_id: int, name: str) -> Group:
        """A group by name, made if the activity has none of that name (a team typing
        its name on joining); names compare without regard to case and spacing."""
        activity = self.activity(activity_id)
        wanted = " ".join(name.split()).casefold()
        with self._writing():
            for group in self.groups(activity_id):
                if " ".join(group.name.split()).casefold() == wanted:
                    return group
            position = len(self.groups(activity_id))
            group_id = self._insert_group(activity.event_id, activity_id, position, name)
        return self.group(group_id)  # type: ignore[return-value]

    def set_member(self, activity_id: int, participant_id: int, group_id: int) -> None:
        """Put a participant in one of the activity's groups (moving them if in another)."""
        group = self.group(group_id)
        if group is None or group.activity_id != activity_id:
            raise StateError(f"group {group_id} is not part of activity {activity_id}")
        with self._writing():
            self.db.execute(
                "INSERT INTO members (activity_id, participant_id, group_id, joined_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (activity_id, participant_id)"
                " DO UPDATE SET group_id = excluded.group_id, joined_at = excluded.joined_at",
                [activity_id, participant_id, group_id, _now()],
            )
            self._took_part(participant_id)

    def member_group(self, activity_id: int, participant_id: int) -> Group | None:
        row = self.db.execute(
            "SELECT g.id, g.activity_id, g.position, g.name FROM members m"
            " JOIN groups g ON g.id = m.group_id"
            " WHERE m.activity_id = ? AND m.participant_id = ?",
            [activity_id, participant_id],
        ).fetchone()
        return Group(*row) if row else None

    def member_counts(self, activity_id: int) -> dict[int, int]:
        """Participants per group id."""
        rows = self.db.execute(
            "SELECT group_id, count(*) FROM members WHERE activity_id = ? GROUP BY group_id",
            [activity_id],
        ).fetchall()
        return dict(rows)

    # -- participants ------------------------------------------------------------------------

    def join(self, event_id: int, token: str, lang: str = "fi") -> Participant:
        """The participant behind a device token, created on first sight."""
        token_hash = _hash_token(token)
        with self._writing():
            self.db.execute(
                "INSERT OR IGNORE INTO participants (event_id, token_hash, lang, created_at)"
                " VALUES (?, ?, ?, ?)",
                [event_id, token_hash, lang, _now()],
            )
        return self.participant(event_id, token)  # type: ignore[return-value]

    def participant(self, event_id: int, token: str) -> Participant | None:
        """The participant behind a device token in this event, or None (not yet one).
        Kept over the notes a room writes: every page and post of a phone reads it."""
        def load() -> Participant | None:
            row = self.db.conn.execute(
                "SELECT id, event_id, name, organisation, lang FROM participants"
                " WHERE event_id = ? AND token_hash = ?",
                [event_id, _hash_token(token)],
            ).fetchone()
            if row is None:
                return None
            return Participant(
                id=row[0], event_id=row[1], name=row[2] or "", organisation=row[3] or "",
                lang=row[4] or "fi",
            )

        return self._cached(("participant", event_id, token), load, tables=PEOPLE_TABLES)

    def participant_count(self, event_id: int) -> int:
        """Devices that took part (posted, joined a group or voted); opening the page,
        a link preview or a HEAD does not make a participant."""
        return self.db.execute(
            "SELECT count(*) FROM participants WHERE event_id = ? AND took_part_at IS NOT NULL",
            [event_id],
        ).fetchone()[0]

    # -- votes ---------------------------------------------------------------------------------

    def set_votes(self, activity_id: int, participant_id: int, dots: dict[str, int]) -> None:
        """Replace a participant's dots on an activity with these (options with 0 dropped)."""
        now = _now()
        with self._writing():
            self.db.execute(
                "DELETE FROM votes WHERE activity_id = ? AND participant_id = ?",
                [activity_id, participant_id],
            )
            self.db.conn.executemany(
                "INSERT INTO votes (activity_id, participant_id, option, dots, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(activity_id, participant_id, option, n, now)
                 for option, n in dots.items() if n > 0],
            )
            self._took_part(participant_id)

    def set_team_votes(self, activity_id: int, group_id: int, participant_id: int,
                       dots: dict[str, int]) -> None:
        """Replace a team's ballot on an activity with these dots, cast by one of its
        members (options with 0 dropped): whoever of the team votes last, counts."""
        now = _now()
        with self._writing():
            self.db.execute("DELETE FROM votes WHERE activity_id = ? AND group_id = ?",
                            [activity_id, group_id])
            self.db.conn.executemany(
                "INSERT INTO votes (activity_id, participant_id, group_id, option, dots,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(activity_id, participant_id, group_id, option, n, now)
                 for option, n in dots.items() if n > 0],
            )
            self._took_part(participant_id)

    def team_votes(
        self, activity_id: int, group_id: int | None = None
    ) -> list[tuple[int, str, int]]:
        """(team id, option, dots) rows of a vote per team, or of one team's ballot."""
        sql = ("SELECT group_id, option, dots FROM votes WHERE activity_id = ?"
               " AND group_id IS NOT NULL")
        params: list = [activity_id]
        if group_id is not None:
            sql += " AND group_id = ?"
            params.append(group_id)
        return [tuple(r) for r in self.db.execute(sql + " ORDER BY id", params).fetchall()]

    def votes(
        self, activity_id: int, participant_id: int | None = None
    ) -> list[tuple[int, str, int]]:
        """(participant id, option, dots) rows of an activity, or of one participant
        (what a phone's page pre-fills: one indexed lookup, not the whole room's)."""
        sql = "SELECT participant_id, option, dots FROM votes WHERE activity_id = ?"
        params: list = [activity_id]
        if participant_id is not None:
            sql += " AND participant_id = ?"
            params.append(participant_id)
        return [tuple(r) for r in self.db.execute(sql + " ORDER BY id", params).fetchall()]
