"""What the facilitator writes: each activity's *Mitä tuloksena*, the cards' texts, and the
agreements (Mitä – Kuka – Mihin mennessä)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from facilitator.domain.models import ActionItem
from facilitator.storage.common import StateError, StoreBase, _now


class ResultsStore(StoreBase):
    def set_activity_summary(self, activity_id: int, text: str) -> None:
        """The activity's *Mitä tuloksena*, as the facilitator wrote it ("" clears it)."""
        with self._writing():
            found = self.db.execute(
                "UPDATE activities SET summary = ? WHERE id = ?", [text, activity_id]
            ).rowcount
        if not found:
            raise StateError(f"no activity with id {activity_id}")

    def set_event_summary(self, event_id: int, text: str) -> None:
        """The event's own *Mitä tuloksena* (its card), as the facilitator wrote it."""
        with self._writing():
            found = self.db.execute("UPDATE events SET summary = ? WHERE id = ?",
                                    [text, event_id]).rowcount
        if not found:
            raise StateError(f"no event with id {event_id}")

    def set_premoderated(self, activity_id: int, on: bool) -> None:
        with self._writing():
            self.db.execute("UPDATE activities SET premoderated = ? WHERE id = ?",
                            [int(on), activity_id])

    def set_card(self, event_id: int, part_id: int | None = None, *,
                 aims: Sequence[str] | None = None, how: Sequence[str] | None = None,
                 results: Sequence[str] | None = None) -> None:
        """Rewrite the event's card (`part_id` None) or a part's: each column a list of
        lines; a column not given stays as it is."""
        changes = {key: json.dumps([line for line in value if line.strip()],
                                   ensure_ascii=False)
                   for key, value in (("aims", aims), ("how", how), ("results", results))
                   if value is not None}
        if not changes:
            return
        sets = ", ".join(f"{key} = ?" for key in changes)
        with self._writing():
            if part_id is None:
                found = self.db.execute(f"UPDATE events SET {sets} WHERE id = ?",
                                        [*changes.values(), event_id]).rowcount
            else:
                found = self.db.execute(f"UPDATE parts SET {sets} WHERE id = ? AND event_id = ?",
                                        [*changes.values(), part_id, event_id]).rowcount
        if not found:
            raise StateError(f"no part {part_id} in event {event_id}" if part_id
                             else f"no event with id {event_id}")

    # -- agreements ------------------------------------------------------------------------

    def action_items(self, event_id: int) -> list[ActionItem]:
        rows = self.db.execute(
            "SELECT id, event_id, what, who, due, part_id FROM action_items"
            " WHERE event_id = ? ORDER BY id", [event_id],
        ).fetchall()
        return [ActionItem(id=r[0], event_id=r[1], what=r[2], who=r[3] or "", due=r[4] or "",
                           part_id=r[5]) for r in rows]

    def action_item(self, event_id: int, item_id: int) -> ActionItem:
        found = [a for a in self.action_items(event_id) if a.id == item_id]
        if not found:
            raise StateError(f"no action item {item_id} in event {event_id}")
        return found[0]

    def add_action_item(self, event_id: int, what: str, who: str = "", due: str = "",
                        part_id: int | None = None) -> ActionItem:
        with self._writing():
            item_id = self.db.conn.execute(
                "INSERT INTO action_items (event_id, part_id, what, who, due, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", [event_id, part_id, what, who, due, _now()],
            ).lastrowid
        return self.action_item(event_id, item_id)

    def update_action_item(self, event_id: int, item_id: int, *, what: str, who: str,
                           due: str) -> ActionItem:
        with self._writing():
            found = self.db.execute(
                "UPDATE action_items SET what = ?, who = ?, due = ? WHERE id = ? AND event_id = ?",
                [what, who, due, item_id, event_id],
            ).rowcount
        if not found:
            raise StateError(f"no action item {item_id} in event {event_id}")
        return self.action_item(event_id, item_id)

    def remove_action_item(self, event_id: int, item_id: int) -> None:
        with self._writing():
            found = self.db.execute(
                "DELETE FROM action_items WHERE id = ? AND event_id = ?", [item_id, event_id]
            ).rowcount
        if not found:
            raise StateError(f"no action item {item_id} in event {event_id}")
