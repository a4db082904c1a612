"""Teemoittelu, the same for every method: put an activity's notes into themes, rename,
reorder and delete themes, take suggestions, and draft *Mitä tuloksena* from the themes.

The console's keys, its palette and the CLI all call these. Each checks first that the
activity is the event's and every note the activity's, and changes nothing otherwise; each
change is one logged step (`storage.themes`), so `moderation.undo` takes it back.
Suggestions (`facilitator.themes`) change nothing: the facilitator accepts them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from facilitator import themes as suggestions
from facilitator.domain import Activity, Note, Theme
from facilitator.methods.base import MAX_LINE_CHARS, InvalidInput
from facilitator.storage import StateError, Store
from facilitator.storage.notes import Step
from facilitator.storage.themes import tidy_title


def activity_of(store: Store, event_id: int, activity_id: int) -> Activity:
    try:
        activity = store.activity(activity_id)
    except StateError:
        activity = None
    if activity is None or activity.event_id != event_id:
        raise InvalidInput("theming.error.unknown_activity", id=activity_id)
    return activity


def activity_notes(store: Store, activity: Activity, note_ids: Iterable[int]) -> list[Note]:
    """The notes, in the order given, all of them of this activity, or InvalidInput."""
    ids = list(dict.fromkeys(note_ids))
    if not ids:
        raise InvalidInput("moderation.error.no_notes")
    found = store.notes_by_id(ids)
    for note_id in ids:
        note = found.get(note_id)
        if note is None or note.activity_id != activity.id:
            raise InvalidInput("theming.error.unknown_note", id=note_id, activity=activity.id)
    return [found[i] for i in ids]


def _title(title: str) -> str:
    title = tidy_title(title)
    if not title:
        raise InvalidInput("theming.error.empty_title")
    if len(title) > MAX_LINE_CHARS:
        raise InvalidInput("theming.error.title_too_long", limit=MAX_LINE_CHARS)
    return title


def choices(store: Store, activity: Activity) -> list[str]:
    """The titles a facilitator chooses from when theming: the activity's themes in their
    order, then the labels the event's template offers that are not yet used. A template's
    labels are offered, not made: an activity has only the themes someone put notes in."""
    titles = [t.title for t in store.themes(activity.id)]
    taken = {" ".join(t.split()).casefold() for t in titles}
    offered = store.event(activity.event_id).themes
    return titles + [label for label in offered if label.casefold() not in taken]


def assign(store: Store, event_id: int, activity_id: int, title: str,
           note_ids: Iterable[int]) -> tuple[Theme, Step]:
    """Put notes in the theme of this title (any case and spacing), made if it is new."""
    activity = activity_of(store, event_id, activity_id)
    notes = activity_notes(store, activity, note_ids)
    title = _title(title)
    ids = [n.id for n in notes]
    theme = store.find_theme(activity.id, title)
    if theme is None:
        return store.create_theme(activity.id, title, ids)
    return theme, store.assign_theme(activity.id, theme.id, ids)


def unassign(store: Store, event_id: int, activity_id: int, note_ids: Iterable[int]) -> Step:
    """Take notes out of their themes."""
    activity = activity_of(store, event_id, activity_id)
    notes = activity_notes(store, activity, note_ids)
    return store.assign_theme(activity.id, None, [n.id for n in notes])


def theme_of(store: Store, event_id: int, activity_id: int, title: str) -> Theme:
    activity = activity_of(store, event_id, activity_id)
    theme = store.find_theme(activity.id, title)
    if theme is None:
        raise InvalidInput("theming.error.unknown_theme", title=tidy_title(title))
    return theme


def rename(store: Store, event_id: int, activity_id: int, title: str, new_title: str) -> Step:
    theme = theme_of(store, event_id, activity_id, title)
    new_title = _title(new_title)
    taken = store.find_theme(activity_id, new_title)
    if taken is not None and taken.id != theme.id:
        raise InvalidInput("theming.error.title_taken", title=taken.title)
    return store.rename_theme(theme.id, new_title)


def move(store: Store, event_id: int, activity_id: int, title: str, by: int) -> Step:
    """Move a theme `by` places (−1 up, +1 down) in the facilitator's order."""
    theme = theme_of(store, event_id, activity_id, title)
    order = [t.id for t in store.themes(activity_id)]
    return store.move_theme(theme.id, order.index(theme.id) + by)


def delete(store: Store, event_id: int, activity_id: int, title: str) -> Step:
    """Delete a theme; its notes are left without one (undo brings both back)."""
    return store.delete_theme(theme_of(store, event_id, activity_id, title).id)


# -- suggestions ---------------------------------------------------------------------------


def unthemed_texts(store: Store, activity: Activity) -> list[tuple[int, str]]:
    """What suggestions group: the notes the room sees that are in no theme yet."""
    return [(n.id, n.text) for n in store.notes(activity.id, visible="public", theme_id=None)]


def suggest(store: Store, activity: Activity, level: int = 0,
            lang: str = "fi") -> suggestions.Suggestions:
    """Groups of the activity's unthemed notes, each with a label; changes nothing.
    ~0.2 s for 1,000 notes: the console runs it off the event loop."""
    return suggestions.suggest(unthemed_texts(store, activity), lang, level)


def accept(store: Store, event_id: int, activity_id: int,
           groups: Sequence[tuple[str, Sequence[int]]]) -> list[Step]:
    """Accept suggested groups as the facilitator edited them ((label, note ids) each).
    Each is one step; a label of an existing theme adds the notes to it."""
    return [assign(store, event_id, activity_id, label, ids)[1] for label, ids in groups]


# -- a first draft of the results ------------------------------------------------------------


@dataclass(frozen=True)
class ThemeDigest:
    """A theme's size and its most representative notes, for a draft of the results."""

    title: str
    size: int
    examples: tuple[str, ...]


def digest(store: Store, activity: Activity, k: int = 2, lang: str = "fi"
           ) -> list[ThemeDigest]:
    """Each theme with notes the room sees: its size and the `k` notes nearest its centre."""
    notes = store.notes(activity.id, visible="public")
    texts = {n.id: n.text for n in notes}
    pairs = [(n.id, n.text) for n in notes]
    out = []
    for theme in store.themes(activity.id):
        ids = [n.id for n in notes if n.theme_id == theme.id]
        if ids:
            near = suggestions.representative(pairs, ids, k, lang)
            out.append(ThemeDigest(theme.title, len(ids), tuple(texts[i] for i in near)))
    return out


def draft(store: Store, activity: Activity, lang: str = "fi") -> str:
    """A starting text for *Mitä tuloksena*, for the facilitator to rewrite: one line per
    theme, largest first, with its size and what its most typical notes say. Never stored
    by itself — the results editor offers it and the facilitator saves what they keep."""
    from facilitator.i18n import t

    lines = []
    for item in sorted(digest(store, activity, lang=lang), key=lambda d: -d.size):
        said = "; ".join(" ".join(e.split()) for e in item.examples)
        lines.append(t(lang, "theming.draft_line", title=item.title, count=item.size,
                       examples=said))
    return "\n".join(lines)


# -- the console's theme mode --------------------------------------------------------------


def board_view(ctx) -> list:
    """The board in theme mode, for any method: each theme with its notes, in the
    facilitator's order, then the notes in no theme. Counted in SQL, read when drawn."""
    from facilitator.methods.base import Heading, Text

    store, activity = ctx.store, ctx.activity
    counts = ctx.count_by("theme_id")
    blocks: list = []
    themes = store.themes(activity.id)
    if not themes:
        blocks.append(Text(ctx.t("theming.board.none_yet"), "muted"))
    for theme in themes:
        count = counts.get(theme.id, 0)
        blocks.append(Heading(theme.title, count))
        if count:
            blocks.append(ctx.note_list(count=count, theme_id=theme.id))
    rest = counts.get(None, 0)
    blocks.append(Heading(ctx.t("theming.board.unthemed"), rest))
    if rest:
        blocks.append(ctx.note_list(count=rest, theme_id=None))
    return blocks
