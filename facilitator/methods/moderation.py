"""The facilitator's moderation of single notes, the same for every method: hide, approve,
correct, star, merge duplicates, hide a device's spam, undo the last step.

The console's keys, its command palette and the CLI all call these. Each step checks that
every note belongs to the event first and then changes them all in one logged transaction
(or nothing); where a method counts or links notes, merging asks the method what a merge
means (`Method.merge_changes`): two buzz groups raising one point is not a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.domain import Note
from facilitator.methods import get as method_for
from facilitator.methods.base import MAX_NOTE_CHARS, Context, InvalidInput
from facilitator.methods.question import clean_text
from facilitator.storage import Store
from facilitator.storage.notes import NothingChanged, Step


class NothingToChange(InvalidInput):
    """The notes are already so (hidden, starred …): no step is taken, none is logged."""


def _step(store: Store, event_id: int, step: str, note_ids, changes) -> Step:
    try:
        return store.moderate(event_id, step, note_ids, changes)
    except NothingChanged:
        raise NothingToChange(f"moderation.error.nothing_{step}") from None


def event_notes(store: Store, event_id: int, note_ids: Iterable[int]) -> list[Note]:
    """The notes, in the order given, all of them of this event, or InvalidInput naming
    the first that is not (nothing is changed then)."""
    ids = list(dict.fromkeys(note_ids))
    if not ids:
        raise InvalidInput("moderation.error.no_notes")
    found = store.notes_by_id(ids)
    activities = {a.id for a in store.activities(event_id)}
    for note_id in ids:
        note = found.get(note_id)
        if note is None or note.activity_id not in activities:
            raise InvalidInput("moderation.error.unknown_note", id=note_id)
    return [found[i] for i in ids]


def hide(store: Store, event_id: int, note_ids: Iterable[int], hidden: bool = True) -> Step:
    """Hide (or show again) notes: kept in the database, gone from phones, the projector
    and the memo; the console shows them struck through."""
    notes = event_notes(store, event_id, note_ids)
    return _step(store, event_id, "hide" if hidden else "unhide", [n.id for n in notes],
                          {n.id: {"hidden": int(hidden)} for n in notes})


def approve(store: Store, event_id: int, note_ids: Iterable[int]) -> Step:
    """Let notes waiting in a pre-moderated activity through to everyone."""
    notes = event_notes(store, event_id, note_ids)
    waiting = [n for n in notes if n.pending]
    if not waiting:
        raise InvalidInput("moderation.error.not_pending")
    return _step(store, event_id, "approve", [n.id for n in waiting],
                          {n.id: {"pending": 0} for n in waiting})


def edit(store: Store, event_id: int, note_id: int, text: str) -> Step:
    """Correct a note's text; the text as sent is kept (the console shows it), everyone
    else sees the correction. Editing back to the original forgets it."""
    (note,) = event_notes(store, event_id, [note_id])
    text = clean_text(text)
    if not text:
        raise InvalidInput("methods.error.empty_note")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput("methods.error.note_too_long", limit=MAX_NOTE_CHARS)
    original = note.original if note.original is not None else note.text
    return _step(store, event_id, "edit", [note.id], {note.id: {
        "text": text, "original": None if text == original else original}})


def star(store: Store, event_id: int, note_ids: Iterable[int],
         starred: bool | None = None) -> Step:
    """Star notes (None: star them all unless all are starred, then unstar)."""
    notes = event_notes(store, event_id, note_ids)
    if starred is None:
        starred = not all(n.starred for n in notes)
    return _step(store, event_id, "star" if starred else "unstar", [n.id for n in notes],
                          {n.id: {"starred": int(starred)} for n in notes})


def _context(store: Store, note: Note) -> Context:
    return Context(store, store.activity(note.activity_id), audience="console")


def _real(store: Store, changes: dict[int, dict]) -> dict[int, dict]:
    """Only what a step really changes: a column already so is left out, and a note with
    nothing left to change too."""
    current = store.notes_by_id(changes)
    out = {}
    for note_id, columns in changes.items():
        note = current.get(note_id)
        real = {c: v for c, v in columns.items() if note is None or getattr(note, c) != v}
        if real:
            out[note_id] = real
    return out


def merge(store: Store, event_id: int, keep_id: int, other_ids: Iterable[int]) -> Step:
    """Fold duplicates under the note that stays (`keep_id`), as its method means it."""
    others = [i for i in dict.fromkeys(other_ids) if i != keep_id]
    keep, *notes = event_notes(store, event_id, [keep_id, *others])
    if not notes:
        raise InvalidInput("moderation.error.merge_two")
    if any(n.activity_id != keep.activity_id for n in notes):
        raise InvalidInput("moderation.error.merge_activity")
    if keep.merged_into is not None:  # a folded note cannot hold others: its keeper does
        keep = store.note(keep.merged_into) or keep
        notes = [n for n in notes if n.id != keep.id]
    ctx = _context(store, keep)
    changes = _real(store, method_for(ctx.activity.method).merge_changes(ctx, keep, notes))
    if not changes:  # already merged as asked: no empty step in the log (nor to undo)
        raise InvalidInput("moderation.error.already_merged")
    return _step(store, event_id, "merge", [keep.id, *(n.id for n in notes)], changes)


def unmerge(store: Store, event_id: int, note_ids: Iterable[int]) -> Step:
    """Undo merges: a folded note stands on its own again, a keeper lets its folded go."""
    notes = event_notes(store, event_id, note_ids)
    changes: dict[int, dict] = {}
    for note in notes:
        ctx = _context(store, note)
        for note_id, columns in method_for(ctx.activity.method).unmerge_changes(
                ctx, note).items():
            changes.setdefault(note_id, {}).update(columns)
    if not changes:
        raise InvalidInput("moderation.error.not_merged")
    return _step(store, event_id, "unmerge", list(changes), changes)


def hide_device(store: Store, event_id: int, note_id: int) -> Step:
    """Hide everything the device that wrote this note sent to the event (spam), at once."""
    (note,) = event_notes(store, event_id, [note_id])
    if note.participant_id is None:
        raise InvalidInput("moderation.error.no_device")
    spam = [n for n in store.event_notes(event_id)
            if n.participant_id == note.participant_id and not n.hidden]
    if not spam:
        raise InvalidInput("moderation.error.nothing_to_hide")
    return _step(store, event_id, "hide_device", [n.id for n in spam],
                          {n.id: {"hidden": 1} for n in spam})


def undo(store: Store, event_id: int) -> Step | None:
    """Undo the event's last moderation step; None when there is none left."""
    return store.undo_step(event_id)
