"""The notes and their moderation, for scripts and for online rounds run with
`facilitator serve` where no console is open: notes, hide, unhide, approve, edit, star,
merge, unmerge, undo.

Each step is `facilitator.methods.moderation`'s, as the console's keys are: it checks that
every note belongs to the event and changes nothing otherwise, and it is logged, so
`facilitator undo EVENT` takes back the last one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from facilitator.cli.common import (
    ID,
    db_option,
    event_activity,
    handle_errors,
    json_option,
    one_line,
    open_store,
    plural,
    read_text,
)
from facilitator.domain import Note
from facilitator.i18n import t
from facilitator.methods import moderation
from facilitator.storage import Store
from facilitator.storage.notes import Step

note_ids_argument = click.argument("note_ids", metavar="NOTE...", nargs=-1, required=True,
                                   type=ID)


def _flags(note: Note) -> str:
    flags = [name for name, on in (("hidden", note.hidden), ("pending", note.pending),
                                   ("starred", note.starred), ("edited", note.edited)) if on]
    if note.merged_into is not None:
        flags.append(f"merged:{note.merged_into}")
    return ",".join(flags) or "-"


def _note_json(note: Note, groups: dict[int, str], themes: dict[int, str]) -> dict:
    return {
        "id": note.id,
        "activity": note.activity_id,
        "kind": note.kind,
        "heading": note.heading,
        "text": note.text,
        "original": note.original if note.edited else None,
        "hidden": note.hidden,
        "starred": note.starred,
        "pending": note.pending,
        "merged_into": note.merged_into,
        "group": groups.get(note.group_id) if note.group_id is not None else None,
        "theme": themes.get(note.theme_id) if note.theme_id is not None else None,
        "created": note.created_at,
    }


@click.command()
@click.argument("event")
@click.option("--activity", "activity_id", type=ID, default=None,
              help="Only this activity's notes.")
@json_option
@db_option
@handle_errors
def notes(event: str, activity_id: int | None, as_json: bool, db_path: Path | None):
    """The notes of EVENT as the facilitator sees them: hidden and waiting ones too, flagged."""
    store = open_store(db_path)
    found = store.find_event(event)
    if activity_id is not None:
        event_activity(store, found, activity_id)
    groups = {g.id: g.name for a in store.activities(found.id) for g in store.groups(a.id)}
    found_notes = store.event_notes(found.id, activity_id)
    if as_json:
        themes = {t.id: t.title for a in store.activities(found.id) for t in store.themes(a.id)}
        click.echo(json.dumps([_note_json(n, groups, themes) for n in found_notes],
                              ensure_ascii=False, indent=2))
        return
    for note in found_notes:
        group = one_line(groups.get(note.group_id, "")) if note.group_id is not None else ""
        click.echo("\t".join([str(note.id), str(note.activity_id), _flags(note),
                              group or "-", one_line(note.text)]))


def _done(event_id: int, what: str) -> None:
    click.echo(f"{what} (undo: facilitator undo {event_id})")


def _moderate(db_path: Path | None, event: str, step, *args, **kwargs) -> tuple[int, Step]:
    store = open_store(db_path)
    event_id = store.find_event(event).id
    try:
        return event_id, step(store, event_id, *args, **kwargs)
    except moderation.NothingToChange as invalid:
        # Already so (hidden, starred …): a script asking twice is not an error, and no
        # step is logged, so nothing turns up to undo.
        click.echo(f"nothing to change: {t('en', invalid.key, **invalid.params)}")
        sys.exit(0)


@click.command()
@click.argument("event")
@note_ids_argument
@db_option
@handle_errors
def hide(event: str, note_ids: tuple[int, ...], db_path: Path | None):
    """Hide notes of EVENT: kept, but gone from phones, the projector and the memo."""
    event_id, step = _moderate(db_path, event, moderation.hide, note_ids)
    _done(event_id, f"hidden {plural(len(step.note_ids), 'note')}")


@click.command()
@click.argument("event")
@note_ids_argument
@db_option
@handle_errors
def unhide(event: str, note_ids: tuple[int, ...], db_path: Path | None):
    """Show hidden notes of EVENT again."""
    event_id, step = _moderate(db_path, event, moderation.hide, note_ids, hidden=False)
    _done(event_id, f"unhidden {plural(len(step.note_ids), 'note')}")


@click.command()
@click.argument("event")
@note_ids_argument
@db_option
@handle_errors
def approve(event: str, note_ids: tuple[int, ...], db_path: Path | None):
    """Let notes waiting for approval (a pre-moderated activity) through to everyone."""
    event_id, step = _moderate(db_path, event, moderation.approve, note_ids)
    skipped = len(set(note_ids)) - len(step.note_ids)
    extra = f"; {skipped} {'was' if skipped == 1 else 'were'} not waiting" if skipped else ""
    _done(event_id, f"approved {plural(len(step.note_ids), 'note')}{extra}")


@click.command()
@click.argument("event")
@click.argument("note_id", metavar="NOTE", type=ID)
@click.argument("text")
@db_option
@handle_errors
def edit(event: str, note_id: int, text: str, db_path: Path | None):
    """Correct the text of a note (TEXT `-` reads standard input); the original is kept."""
    event_id, _ = _moderate(db_path, event, moderation.edit, note_id, read_text(text))
    _done(event_id, f"edited note {note_id}")


@click.command()
@click.argument("event")
@note_ids_argument
@click.option("--on/--off", "starred", default=None,
              help="Star or unstar them all (default: toggle, as the console's key does).")
@db_option
@handle_errors
def star(event: str, note_ids: tuple[int, ...], starred: bool | None, db_path: Path | None):
    """Star notes of EVENT (unstar them if all are starred already)."""
    event_id, step = _moderate(db_path, event, moderation.star, note_ids, starred=starred)
    done = "starred" if step.step == "star" else "unstarred"
    _done(event_id, f"{done} {plural(len(step.note_ids), 'note')}")


def _keeper(store: Store, keep_id: int) -> int:
    """The note the merge folded under: KEEP, or its own keeper if it was folded."""
    note = store.note(keep_id)
    return note.merged_into if note is not None and note.merged_into is not None else keep_id


@click.command()
@click.argument("event")
@click.argument("keep", metavar="KEEP", type=ID)
@note_ids_argument
@db_option
@handle_errors
def merge(event: str, keep: int, note_ids: tuple[int, ...], db_path: Path | None):
    """Fold duplicate notes under KEEP: the room and the memo show the point once."""
    store = open_store(db_path)
    event_id = store.find_event(event).id
    step = moderation.merge(store, event_id, keep, note_ids)
    _done(event_id, f"merged {plural(len(step.note_ids) - 1, 'note')} into {_keeper(store, keep)}")


@click.command()
@click.argument("event")
@note_ids_argument
@db_option
@handle_errors
def unmerge(event: str, note_ids: tuple[int, ...], db_path: Path | None):
    """Undo merges: a folded note stands alone again; a keeper lets its folded notes go."""
    event_id, step = _moderate(db_path, event, moderation.unmerge, note_ids)
    _done(event_id, f"unmerged {plural(len(step.note_ids), 'note')}")


@click.command()
@click.argument("event")
@db_option
@handle_errors
def undo(event: str, db_path: Path | None):
    """Undo the last moderation step of EVENT (from the console or from here)."""
    store = open_store(db_path)
    step = moderation.undo(store, store.find_event(event).id)
    if step is None:
        click.echo("nothing to undo")
        return
    ids = ", ".join(map(str, step.note_ids))
    click.echo(f"undid {step.step} of {plural(len(step.note_ids), 'note')} ({ids})")


COMMANDS = (notes, hide, unhide, approve, edit, star, merge, unmerge, undo)
