"""The JSON archive: an event's whole record in one file, and loading such files back.

The file (version 1) is one JSON object, UTF-8, keys sorted within every row:

    {"format": "facilitator-archive", "version": 1,
     "event": {...},          # the event's row; "origin": the uid of the event it began as
     "parts": [...], "activities": [...], "participants": [...], "groups": [...],
     "members": [...], "themes": [...], "notes": [...], "votes": [...],
     "action_items": [...], "moderation": [...],
     "settings": [{"activity_id", "name", "value"}]}

Each list holds the event's rows of that table, every column as stored (JSON columns as
JSON), `id` numbered 1, 2, … per table and every `…_id` (and `ref_id`, `merged_into`, a
moderation step's notes and themes, an open space vote's topic) in those numbers; members
have no id of their own. Participants, themes, notes, agreements and moderation steps
carry `origin`, "<event uid>/<table>/<id>" of the row where it was first made, by which a
merge knows it again. `settings` holds the event's own settings (which discussion answers
the facilitator has read: `value` a note's id). Hidden, waiting, merged and corrected
notes are all there, with the whole moderation history: it is the record, not the memo.
What is left out, and why: `storage.archive`'s docstring. The same database gives the
same text, and so does a database the text was imported into.

A reader of version 1 refuses a newer version and a field it does not know, rather than
load part of a file; a later version adds fields and keeps reading version 1. It refuses
as well what would load but break the event: a method it does not run or a config no
template may have, an unknown activity state, a time that is not ISO 8601, a note merged
into itself, texts longer than phones may write, integers beyond SQLite's 64 bits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import methods
from facilitator.methods.base import MAX_LINE_CHARS, MAX_NOTE_CHARS
from facilitator.storage.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION, TABLES, ArchiveError

if TYPE_CHECKING:
    from facilitator.memo.model import Memo
    from facilitator.storage import Store
    from facilitator.storage.archive import Imported


#: The longest text a column may hold, as phones and the console limit it when it is
#: written here: an archive is refused rather than give every phone a page as long.
TEXT_LIMITS = {
    ("notes", "text"): MAX_NOTE_CHARS, ("notes", "original"): MAX_NOTE_CHARS,
    ("themes", "title"): MAX_LINE_CHARS, ("groups", "name"): MAX_LINE_CHARS,
    ("workshops", "name"): MAX_LINE_CHARS, ("participants", "name"): MAX_LINE_CHARS,
    ("participants", "organisation"): MAX_LINE_CHARS,
    ("action_items", "what"): MAX_LINE_CHARS * 5, ("action_items", "who"): MAX_LINE_CHARS,
    ("action_items", "due"): MAX_LINE_CHARS,
}
#: Any other text anywhere in the file (a template's description, written results, a
#: text inside a JSON column): templates set no limit, so a generous one.
MAX_TEXT_CHARS = 20 * MAX_NOTE_CHARS


def _option_notes() -> frozenset[str]:
    return frozenset(m for m in methods.known() if methods.get(m).options_are_notes)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def archive_json(store: Store, event_id: int) -> str:
    """The event's archive as JSON text: the header first, then one row a line (a diff
    shows which rows changed). Written line by line because `json.dumps(indent=…)` is the
    pure-Python encoder: 10,000 notes took 1.2 s that way, the C encoder a fraction."""
    data = store.archive(event_id, _option_notes())
    lines = ["{", f' "format": {_dumps(ARCHIVE_FORMAT)},', f' "version": {ARCHIVE_VERSION},',
             f' "event": {_dumps(data["event"])},']
    names = [t.name for t in TABLES] + ["settings"]
    for name in names:
        rows = [f"  {_dumps(row)}" for row in data[name]]
        end = "" if name == names[-1] else ","
        if rows:
            lines += [f' "{name}": [', ",\n".join(rows), f" ]{end}"]
        else:
            lines.append(f' "{name}": []{end}')
    return "\n".join(lines) + "\n}\n"


def render_json(store: Store, memo: Memo, lang: str = "fi") -> str:
    """The `json` memo format: the archive (it has no fixed words, so no language)."""
    return archive_json(store, memo.event.id)


@dataclass(frozen=True)
class Archive:
    path: Path
    data: dict


def read_archive(path: Path) -> Archive:
    """A file read and checked as an archive, writing nothing; ArchiveError (one line,
    naming the file) for anything that is not one this version can load."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ArchiveError(f"{path}: cannot read it ({error.strerror or error})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: not a facilitator archive (not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise ArchiveError(f"{path}: not a facilitator archive (not JSON: {error.msg}"
                           f" at line {error.lineno})") from None
    except RecursionError:  # arrays in arrays, 200,000 deep
        raise ArchiveError(f"{path}: not a facilitator archive (JSON nested too deep)") from None
    except ValueError:  # a number of more digits than Python converts (4,300)
        raise ArchiveError(f"{path}: not a facilitator archive (a number too long to read)"
                           ) from None
    if not isinstance(data, dict) or data.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(f"{path}: not a facilitator archive (no \"format\":"
                           f" \"{ARCHIVE_FORMAT}\")")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise ArchiveError(f"{path}: its version {version!r} is not one this facilitator reads")
    if version > ARCHIVE_VERSION:
        raise ArchiveError(f"{path}: archive version {version} is newer than this facilitator"
                           f" reads ({ARCHIVE_VERSION}); update facilitator")
    return Archive(path, data)


def import_archives(store: Store, paths: Sequence[Path], into: int | None = None) -> Imported:
    """Load the archives, all in one transaction: into the event `into`, else the first
    makes a new event and the others merge into it. A file that cannot be loaded raises
    ArchiveError naming it, and nothing is written."""
    archives = [read_archive(path) for path in paths]  # every file read before any write
    option_notes = _option_notes()
    for archive in archives:
        _say(archive, store.check_archive, archive.data, option_notes)
        _say(archive, check_content, archive.data)
    if into is None:  # the others merge into the first: the same template, or none loads
        first = archives[0]
        for archive in archives[1:]:
            mine, theirs = (a.data["event"].get("template") or "" for a in (first, archive))
            if mine != theirs:
                raise ArchiveError(f"{archive.path}: it was made from template {theirs!r} and"
                                   f" {first.path} from {mine!r}; only archives of the same"
                                   " template merge")
    with store.transaction():
        result = None
        for archive in archives:
            target = into if result is None else result.event.id
            done = _say(archive, store.import_archive, archive.data, target, option_notes)
            if result is None:
                result = done
            else:
                for table, n in done.added.items():
                    result.added[table] = result.added.get(table, 0) + n
                    result.known[table] = result.known.get(table, 0) + done.known[table]
                result.event = done.event
    assert result is not None
    return result


def check_content(data: dict) -> None:
    """What the methods need of a checked archive (`check_archive`: types, references):
    every activity's method one this facilitator runs and its config as a template's is
    checked (`Method.config_errors`), and no text longer than phones may write."""
    for activity in data.get("activities", []):
        label = f"activities {activity['id']}"
        try:
            method = methods.get(activity["method"])
        except KeyError:
            raise ArchiveError(f"{label}: unknown method {activity['method']!r}"
                               f" (known: {', '.join(methods.known())})") from None
        for key, reason in method.config_errors(activity.get("config") or {}):
            raise ArchiveError(f"{label}: config.{key}: {reason}")
    for table in ("event", *(t.name for t in TABLES)):
        rows = [data["event"]] if table == "event" else data.get(table, [])
        for row in rows:
            for column, value in row.items():
                limit = TEXT_LIMITS.get((table, column), MAX_TEXT_CHARS)
                if (text := _longest(value)) > limit:
                    label = f"{table} {row['id']}" if "id" in row else table
                    raise ArchiveError(f"{label}: {column} is {text:,} characters long;"
                                       f" at most {limit:,} are allowed")
    for step in data.get("moderation", []):  # an undo or redo writes these texts back
        for snapshot in [*(step.get("before") or []), *(step.get("after") or {}).values()]:
            for column in ("text", "original"):
                if (text := _longest(snapshot.get(column))) > MAX_NOTE_CHARS:
                    raise ArchiveError(f"moderation {step['id']}: a note's {column} is"
                                       f" {text:,} characters long; at most"
                                       f" {MAX_NOTE_CHARS:,} are allowed")


def _longest(value) -> int:
    """The length of the longest text in `value` (a JSON column's lists and objects
    walked without recursion: a file may nest them deep)."""
    longest, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return longest


def _say(archive: Archive, fn, *args):
    """`fn(*args)`, its refusal said with the file's name."""
    import sqlite3

    try:
        return fn(*args)
    except ArchiveError as error:
        raise ArchiveError(f"{archive.path}: {error}") from None
    except (sqlite3.IntegrityError, OverflowError) as error:  # e.g. a NOT NULL column empty
        raise ArchiveError(f"{archive.path}: does not fit the database ({error})") from None
    except RecursionError:  # a JSON column nested deeper than it can be written back
        raise ArchiveError(f"{archive.path}: does not fit the database (nested too deep)"
                           ) from None
