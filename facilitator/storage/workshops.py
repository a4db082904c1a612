"""Parallel workshops: an event's workshops, which parts (and so activities) each holds,
and which workshop each participant chose.

What a phone, a projector set to one workshop, or the console reads:
`workshops(event_id)`, `activities_in(event_id, workshop_id)` (that workshop's activities
and the whole room's, in programme order) and `workshop_counts(event_id)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.domain import Activity, Part, Workshop
from facilitator.storage.common import PROGRAMME_TABLES, StateError, StoreBase


class WorkshopsStore(StoreBase):
    def _insert_workshops(self, event_id: int, parts: Sequence[Part]) -> dict[str, int]:
        """The template's workshops, in the order they first come; inside create_event's
        transaction. Returns each name's id, for the parts' `workshop_id`."""
        ids: dict[str, int] = {}
        for part in parts:
            if part.workshop and part.workshop not in ids:
                ids[part.workshop] = self.db.conn.execute(
                    "INSERT INTO workshops (event_id, position, name) VALUES (?, ?, ?)",
                    [event_id, len(ids), part.workshop],
                ).lastrowid
        return ids

    def workshops(self, event_id: int) -> list[Workshop]:
        """The event's parallel workshops in the template's order; [] for an event the
        whole room does together."""
        return list(self._cached(("workshops", event_id), lambda: self._load_workshops(event_id),
                                 tables=PROGRAMME_TABLES))

    def _load_workshops(self, event_id: int) -> tuple[Workshop, ...]:
        parts: dict[int, list[int]] = {}
        for part_id, workshop_id in self.db.conn.execute(
            "SELECT id, workshop_id FROM parts WHERE event_id = ? AND workshop_id IS NOT NULL"
            " ORDER BY position", [event_id],
        ):
            parts.setdefault(workshop_id, []).append(part_id)
        rows = self._rows("SELECT id, event_id, position, name FROM workshops"
                          " WHERE event_id = ? ORDER BY position, id", [event_id])
        return tuple(Workshop(**row, part_ids=tuple(parts.get(row["id"], ()))) for row in rows)

    def workshop_parts(self, event_id: int) -> dict[int, tuple[Part, ...]]:
        """Each workshop's parts (what the phones' chooser lists under its name), kept
        until the database changes: every page of a phone with no workshop reads it."""
        def load() -> dict[int, tuple[Part, ...]]:
            parts = {p.id: p for p in self.parts(event_id)}
            return {w.id: tuple(parts[i] for i in w.part_ids if i in parts)
                    for w in self.workshops(event_id)}

        return self._cached(("workshop_parts", event_id), load, tables=PROGRAMME_TABLES)

    def workshop(self, event_id: int, workshop_id: int | None) -> Workshop | None:
        """One of the event's workshops, or None (another event's, or no such id)."""
        return next((w for w in self.workshops(event_id) if w.id == workshop_id), None)

    def activity_workshops(self, event_id: int) -> dict[int, int]:
        """Activity id → workshop id, for the event's activities that are in a workshop."""
        def load() -> dict[int, int]:
            return dict(self.db.conn.execute(
                "SELECT a.id, p.workshop_id FROM activities a JOIN parts p ON p.id = a.part_id"
                " WHERE a.event_id = ? AND p.workshop_id IS NOT NULL", [event_id],
            ).fetchall())

        return self._cached(("activity_workshops", event_id), load, tables=PROGRAMME_TABLES)

    def workshop_of(self, activity: Activity) -> Workshop | None:
        """The workshop an activity belongs to; None for the whole room's activities."""
        if activity.event_id is None:
            return None
        found = self.activity_workshops(activity.event_id).get(activity.id)
        return self.workshop(activity.event_id, found)

    def activities_in(self, event_id: int, workshop_id: int | None,
                      state: str | None = None) -> list[Activity]:
        """What a phone in that workshop is shown: the workshop's activities and the
        whole room's; with `workshop_id` None (no workshop chosen), the whole room's only."""
        placed = self.activity_workshops(event_id)
        return [a for a in self.activities(event_id, state=state)
                if placed.get(a.id) in (None, workshop_id)]

    def set_workshop(self, participant_id: int, workshop_id: int | None) -> None:
        """Record the workshop a participant chose (None: none); choosing is taking part,
        as joining a group is."""
        with self._writing():
            row = self.db.execute("SELECT event_id FROM participants WHERE id = ?",
                                  [participant_id]).fetchone()
            if row is None:
                raise StateError(f"no participant with id {participant_id}")
            if workshop_id is not None and self.workshop(row[0], workshop_id) is None:
                raise StateError(f"workshop {workshop_id} is not part of event {row[0]}")
            self.db.execute("UPDATE participants SET workshop_id = ? WHERE id = ?",
                            [workshop_id, participant_id])
            self._took_part(participant_id)

    def participant_workshop(self, participant_id: int) -> int | None:
        row = self.db.execute("SELECT workshop_id FROM participants WHERE id = ?",
                              [participant_id]).fetchone()
        return row[0] if row else None

    def workshop_counts(self, event_id: int) -> dict[int, int]:
        """Participants per workshop id (those who chose one and took part)."""
        return dict(self.db.execute(
            "SELECT workshop_id, count(*) FROM participants WHERE event_id = ?"
            " AND workshop_id IS NOT NULL AND took_part_at IS NOT NULL GROUP BY workshop_id",
            [event_id],
        ).fetchall())
