"""Themes (teemoittelu): an activity's notes grouped under titles, in the facilitator's order.

A note is in at most one theme (`notes.theme_id`). Every change here is a logged moderation
step, as hiding or merging is, so `undo_step` takes it back: the step keeps the notes'
columns and the themes' rows as they were (`moderation.themes`). That is why a deleted theme
is only marked (`deleted_at`) — undoing the delete brings it back with its notes — and why
a theme made by a step is recorded as deleted "before" it, so an undo takes it away again.
Checks a facilitator can trip (a note of another activity, a title taken) are made in
`methods.theming`, which says them in the reader's language; here they are StateErrors.
"""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.domain import Theme, theme_key
from facilitator.storage.common import StateError, StoreBase, _now
from facilitator.storage.notes import Step

#: What a theme step may change of a theme, and an undo puts back.
_THEME_COLUMNS = ("position", "title", "deleted_at")


def tidy_title(title: str) -> str:
    """A theme's title as kept: one line, single spaces."""
    return " ".join(title.split())


class ThemesStore(StoreBase):
    # -- reading ---------------------------------------------------------------------------

    def themes(self, activity_id: int) -> list[Theme]:
        """The activity's themes in the facilitator's order (deleted ones left out)."""
        rows = self.db.execute(
            "SELECT id, activity_id, title, position, summary FROM themes"
            " WHERE activity_id = ? AND deleted_at IS NULL ORDER BY position, id",
            [activity_id],
        ).fetchall()
        return [Theme(r[0], r[1], r[2], r[3] or 0, r[4] or "") for r in rows]

    def has_themes(self, activity_id: int) -> bool:
        return self.db.execute(
            "SELECT 1 FROM themes WHERE activity_id = ? AND deleted_at IS NULL LIMIT 1",
            [activity_id],
        ).fetchone() is not None

    def theme(self, theme_id: int) -> Theme | None:
        row = self.db.execute(
            "SELECT id, activity_id, title, position, summary FROM themes"
            " WHERE id = ? AND deleted_at IS NULL", [theme_id],
        ).fetchone()
        return Theme(row[0], row[1], row[2], row[3] or 0, row[4] or "") if row else None

    def find_theme(self, activity_id: int, title: str) -> Theme | None:
        """The activity's theme of this title, whatever its case and spacing."""
        key = theme_key(title)
        return next((t for t in self.themes(activity_id) if theme_key(t.title) == key), None)

    def _theme_rows(self, theme_ids: Iterable[int]) -> list[dict]:
        ids = sorted(set(theme_ids))
        if not ids:
            return []
        return self._rows(f"SELECT id, {', '.join(_THEME_COLUMNS)} FROM themes"
                          f" WHERE id IN ({', '.join('?' * len(ids))})", ids)

    def _event_of(self, activity_id: int) -> int:
        row = self.db.execute("SELECT event_id FROM activities WHERE id = ?",
                              [activity_id]).fetchone()
        if row is None:
            raise StateError(f"no activity with id {activity_id}")
        return row[0]

    def _free_title(self, activity_id: int, title: str, but: int | None = None) -> str:
        title = tidy_title(title)
        if not title:
            raise StateError("a theme needs a title")
        taken = self.find_theme(activity_id, title)
        if taken is not None and taken.id != but:
            raise StateError(f"activity {activity_id} has a theme {taken.title!r} already")
        return title

    # -- writing: each a logged, undoable step -----------------------------------------------

    def create_theme(self, activity_id: int, title: str,
                     note_ids: Iterable[int] = ()) -> tuple[Theme, Step]:
        """A new theme, last in the order, with these notes in it (taken out of any other)."""
        event_id = self._event_of(activity_id)
        ids = sorted(set(note_ids))
        with self._writing():
            title = self._free_title(activity_id, title)
            position = self.db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM themes WHERE activity_id = ?"
                " AND deleted_at IS NULL", [activity_id]).fetchone()[0]
            theme_id = self.db.conn.execute(
                "INSERT INTO themes (activity_id, position, title, summary) VALUES (?, ?, ?, '')",
                [activity_id, position, title],
            ).lastrowid
            # Before the step the theme was not there: an undo marks it deleted.
            before = [{"id": theme_id, "position": position, "title": title,
                       "deleted_at": _now()}]
            step = self.moderate(event_id, "theme_new", ids,
                                 {i: {"theme_id": theme_id} for i in ids}, themes=before)
        return Theme(theme_id, activity_id, title, position), step

    def assign_theme(self, activity_id: int, theme_id: int | None,
                     note_ids: Iterable[int]) -> Step:
        """Put notes in a theme (out of any other), or out of every theme (`None`)."""
        event_id = self._event_of(activity_id)
        ids = sorted(set(note_ids))
        if theme_id is not None:
            theme = self.theme(theme_id)
            if theme is None or theme.activity_id != activity_id:
                raise StateError(f"activity {activity_id} has no theme {theme_id}")
        return self.moderate(event_id, "theme" if theme_id is not None else "untheme", ids,
                             {i: {"theme_id": theme_id} for i in ids})

    def rename_theme(self, theme_id: int, title: str) -> Step:
        theme = self._existing(theme_id)
        with self._writing():
            title = self._free_title(theme.activity_id, title, but=theme_id)
            before = self._theme_rows([theme_id])
            self.db.execute("UPDATE themes SET title = ? WHERE id = ?", [title, theme_id])
            return self.moderate(self._event_of(theme.activity_id), "theme_rename", [], {},
                                 themes=before)

    def move_theme(self, theme_id: int, position: int) -> Step:
        """Move a theme to `position` (0 first; beyond the end: last); the others close up."""
        theme = self._existing(theme_id)
        with self._writing():
            order = [t.id for t in self.themes(theme.activity_id)]
            before = self._theme_rows(order)
            order.remove(theme_id)
            order.insert(max(0, min(position, len(order))), theme_id)
            for index, tid in enumerate(order):
                self.db.execute("UPDATE themes SET position = ? WHERE id = ?", [index, tid])
            return self.moderate(self._event_of(theme.activity_id), "theme_move", [], {},
                                 themes=before)

    def delete_theme(self, theme_id: int) -> Step:
        """Delete a theme: its notes are left without one; one step, so undo restores both."""
        theme = self._existing(theme_id)
        with self._writing():
            before = self._theme_rows([theme_id])
            self.db.execute("UPDATE themes SET deleted_at = ? WHERE id = ?", [_now(), theme_id])
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM notes WHERE theme_id = ?", [theme_id]).fetchall()]
            return self.moderate(self._event_of(theme.activity_id), "theme_delete", ids,
                                 {i: {"theme_id": None} for i in ids}, themes=before)

    def _existing(self, theme_id: int) -> Theme:
        theme = self.theme(theme_id)
        if theme is None:
            raise StateError(f"no theme with id {theme_id}")
        return theme
