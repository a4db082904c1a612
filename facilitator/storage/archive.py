"""An event's whole archive as plain data, and loading one back: a new event, or merged
into an event of the same template (seminar 2's workshops run on separate laptops).

Reading takes every row the event owns, table by table (`TABLES`), every column as stored
except those listed below. Ids are renumbered 1, 2, … in each table, in the order of this
file's ids, and every reference (a note's theme, a merge, a vote's session, a moderation
step's notes and themes) uses those numbers: the archive says nothing of how this file
numbers its rows, so a round trip through another database gives the same archive.

Left out, on purpose:
- the `settings` row `secret`: the server's HMAC key, not the event's. It signs every
  device cookie, event pass, CSRF token and projector address on this laptop, for every
  event; a file sent to a colleague must not let them forge those. The one setting that is
  the event's (which discussion answers the facilitator has read) is kept, renumbered;
- the database's ids (renumbered, above) and `events.uid`, this copy's own identity: an
  event made from the archive gets one of its own, and `origin` says where it came from;
- `_sqlite_migrations`, the schema's history, not the event's;
- nothing of the participants beyond what is stored: a device's cookie is never stored,
  only its SHA-256 (`token_hash`), kept so that a device's rows stay together; the hash
  does not let anyone post as that device (that needs the signed cookie).

Rows a merge must recognise carry an origin key, "<event uid>/<table>/<id>" where the row
was first made: its stored `origin` if it was imported, else its own event's uid and id.
Importing an archive again finds its rows by these keys and adds nothing; rows already in
the event stay as they are there (the facilitator may have moderated them since). Groups
are the same group by name, a participant's dots and group choice are theirs once, and
parts and activities are matched by position (the template's programme).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from facilitator.domain import ACTIVITY_STATES, Event, theme_key
from facilitator.domain.codes import LENGTH, ONLINE_LENGTH, normalise_join_code
from facilitator.storage.common import StoreBase
from facilitator.storage.db import BUSY_TIMEOUT_MS

#: What a reader of this archive expects; a newer reader keeps reading older versions.
ARCHIVE_FORMAT = "facilitator-archive"
ARCHIVE_VERSION = 1


class ArchiveError(ValueError):
    """An archive that cannot be read or loaded here; the message is one line."""


@dataclass(frozen=True)
class Table:
    name: str
    #: Which of the table's rows are the event's (`?` is the event's id).
    where: str
    #: Columns holding another archived row's id: column → the table it numbers.
    refs: Mapping[str, str] = field(default_factory=dict)
    #: Columns holding JSON text, archived as the JSON itself.
    json: frozenset[str] = frozenset()
    #: Rows carry an origin key (a merge recognises them by it).
    origin: bool = False
    order: str = "id"


_OF_ACTIVITIES = "activity_id IN (SELECT id FROM activities WHERE event_id = ?)"

#: Every table that holds rows of an event, in the order they are loaded (a row after
#: the rows it refers to). tests/memo/test_archive.py fails when a table of the schema
#: with an event's, activity's or participant's id is missing here.
TABLES: tuple[Table, ...] = (
    Table("workshops", "event_id = ?", order="position, id"),
    Table("parts", "event_id = ?", {"workshop_id": "workshops"},
          json=frozenset({"aims", "how", "results"})),
    Table("activities", "event_id = ?", {"part_id": "parts"},
          json=frozenset({"headings", "config"})),
    Table("participants", "event_id = ?", {"workshop_id": "workshops"}, origin=True),
    Table("groups", "event_id = ?", {"activity_id": "activities"}),
    Table("members", _OF_ACTIVITIES,
          {"activity_id": "activities", "participant_id": "participants", "group_id": "groups"},
          order="activity_id, participant_id"),
    Table("themes", _OF_ACTIVITIES, {"activity_id": "activities"}, origin=True),
    Table("notes", _OF_ACTIVITIES,
          {"activity_id": "activities", "participant_id": "participants", "group_id": "groups",
           "theme_id": "themes", "ref_id": "notes", "merged_into": "notes"},
          json=frozenset({"data"}), origin=True),
    Table("votes", _OF_ACTIVITIES, {"activity_id": "activities", "participant_id": "participants",
                                    "group_id": "groups"}),
    Table("action_items", "event_id = ?", {"part_id": "parts"}, origin=True),
    Table("moderation", "event_id = ?", json=frozenset({"note_ids", "before", "after", "themes"}),
          origin=True),
)
BY_NAME = {t.name: t for t in TABLES}
#: The first tables are the programme (workshops, parts, activities): loaded, or matched
#: in a merge, by `_load_programme`; the rest row by row.
PROGRAMME = 3
EVENT_JSON = frozenset({"aims", "how", "results", "themes"})
#: Columns of the database never archived (see the module's docstring).
NOT_ARCHIVED = frozenset({"id", "event_id", "uid"})
#: Settings of one activity whose value is one of its notes' ids: "<name>.<activity id>".
ACTIVITY_SETTINGS = {"discussion.seen": "notes"}
#: Which JSON shape each JSON column holds.
_JSON_TYPES = {"aims": list, "how": list, "results": list, "themes": list, "headings": list,
               "note_ids": list, "before": list, "config": dict, "data": dict, "after": dict}
#: In a merge: the event's and a part's texts a blank fills from the archive, the card's
#: lists joined line by line, the written results joined paragraph by paragraph. Every
#: other column stays as the event has it.
_FILL = frozenset({"title", "kind", "starts", "ends", "duration", "description", "output",
                   "date", "place", "organiser"})
_JOIN = frozenset({"aims", "how", "results", "themes"})
#: An activity the event never ran takes the archive's run of it.
_RUN = ("state", "opened_at", "closed_at", "round", "round_started_at")
#: SQLite's INTEGER is 64 bits: a larger number would not load (OverflowError), and the
#: file is refused before anything is written.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
#: Columns holding one of a few words: any other would break every page that reads it.
_WORDS = {("activities", "state"): ACTIVITY_STATES}


def _integer(value) -> bool:
    return type(value) is int and _INT_MIN <= value <= _INT_MAX


def _timestamp_error(value: str) -> str | None:
    """A `…_at` column holds a moment as `now()` stores it: ISO 8601 with its offset
    (a clock's deadline is computed from it; "yesterday" would be a 500 on every phone)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"{value[:40]!r} is not an ISO 8601 time"
    return None if moment.tzinfo is not None else f"{value[:40]!r} has no UTC offset"


def _number(maps: dict[str, dict], table: str, value, what: str):
    """`value` (an id of `table`) in the other numbering; a miss is a broken reference."""
    try:
        return maps[table][value]
    except (KeyError, TypeError):
        raise ArchiveError(f"{what} refers to {table} {value!r}, which is not there") from None


def _renumber_step(row: dict, maps: dict[str, dict]) -> None:
    """A moderation step's notes and themes, inside its JSON, in the other numbering."""
    what = f"moderation step {row.get('id')}"

    def note(value):
        return _number(maps, "notes", value, what)

    def column(name: str, value):
        if value is None:
            return None
        if name in ("merged_into", "ref_id"):
            return note(value)
        if name == "theme_id":
            return _number(maps, "themes", value, what)
        return value

    try:
        row["note_ids"] = [note(i) for i in row["note_ids"] or []]
        row["before"] = [{k: note(v) if k == "id" else column(k, v) for k, v in snap.items()}
                         for snap in row["before"] or []]
        if row.get("after") is not None:
            row["after"] = {str(note(int(k))): {c: column(c, v) for c, v in cols.items()}
                            for k, cols in row["after"].items()}
        if row.get("themes") is not None:
            row["themes"] = [{**theme, "id": _number(maps, "themes", theme["id"], what)}
                             for theme in row["themes"]]
    except ArchiveError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError):
        raise ArchiveError(f"{what} is malformed") from None


def _renumber(table: Table, row: dict, maps: dict[str, dict], option_notes: set) -> None:
    """A row's references in the other numbering (ids as `maps` maps them)."""
    what = f"{table.name} {row.get('id', '')}".rstrip()
    activity = row.get("activity_id")  # in the numbering `option_notes` uses
    for column, target in table.refs.items():
        if row.get(column) is not None:
            row[column] = _number(maps, target, row[column], f"{what}'s {column}")
    if table.name == "votes" and activity in option_notes:
        # Open space keeps a session choice as a vote whose option is the topic's note id.
        try:
            option = int(row["option"])
        except (TypeError, ValueError):
            raise ArchiveError(f"{what}'s option is not a note's id") from None
        row["option"] = str(_number(maps, "notes", option, f"{what}'s option"))
    if table.name == "moderation":
        _renumber_step(row, maps)


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """One statement per table and set of columns: 10,000 notes share it."""
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def _key(text: str | None) -> str:
    """Two theme titles, or two group names, are the same whatever their case and spacing
    (as `find_theme` and `add_group` have it)."""
    return theme_key(text or "")


def _joined(mine: list | None, theirs: list | None) -> list | None:
    """A card column's lines: the event's, then the archive's it lacks."""
    if not theirs:
        return mine
    lines = list(mine or [])
    lines += [line for line in theirs if line not in lines]
    return lines


def _appended(mine: str | None, theirs: str | None) -> str | None:
    """Written results: the event's, then the archive's paragraph if it is not in it."""
    if not theirs or theirs.strip() in (mine or ""):
        return mine
    return f"{mine.rstrip()}\n\n{theirs}" if mine and mine.strip() else theirs


@dataclass(frozen=True)
class Column:
    type: str  # as declared: INTEGER, TEXT, …
    not_null: bool  # NOT NULL (and not the primary key)
    default: bool  # has a default, so a row may leave it out


@dataclass
class Imported:
    """What an import did: the event, and per table how many rows came in (and how many
    it already had)."""

    event: Event
    added: dict[str, int] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)


class ArchiveStore(StoreBase):
    # -- reading ---------------------------------------------------------------------------

    def _columns(self, table: str) -> dict[str, Column]:
        """The table's columns as this database has them."""
        return {r[1]: Column((r[2] or "").upper(), bool(r[3]) and not r[5], r[4] is not None)
                for r in self.db.conn.execute(f'PRAGMA table_info("{table}")')}

    def archive(self, event_id: int, option_notes: frozenset[str] = frozenset()) -> dict:
        """Everything the database holds of the event, as plain data (see the module's
        docstring); `option_notes` names the methods whose votes' options are note ids."""
        self.event(event_id)  # an unknown event is EventNotFound
        with self._reading() as read:
            [event] = read("SELECT * FROM events WHERE id = ?", [event_id])
            uid = event["uid"]
            tables = {t.name: read(f'SELECT * FROM "{t.name}" WHERE {t.where}'
                                   f" ORDER BY {t.order}", [event_id]) for t in TABLES}
            settings = read("SELECT key, value FROM settings WHERE key LIKE '%.%'"
                            " ORDER BY key", [])
        maps = {name: {row["id"]: n for n, row in enumerate(rows, start=1)}
                for name, rows in tables.items() if name != "members"}
        option_activities = {a["id"] for a in tables["activities"] if a["method"] in option_notes}
        out: dict = {"event": {**self._out_row(event, EVENT_JSON),
                               "origin": event["origin"] or uid}}
        for table in TABLES:
            rows = []
            for stored in tables[table.name]:
                row = self._out_row(stored, table.json)
                if "id" in stored:
                    row["id"] = maps[table.name][stored["id"]]
                if table.origin:
                    row["origin"] = stored["origin"] or f"{uid}/{table.name}/{stored['id']}"
                # The row's references, still this file's ids, into the archive's numbers.
                _renumber(table, row, maps, option_activities)
                rows.append(row)
            out[table.name] = rows
        out["settings"] = self._out_settings(settings, maps)
        return out

    @staticmethod
    def _out_row(stored: dict, json_columns: frozenset[str]) -> dict:
        row = {}
        for column, value in stored.items():
            if column in NOT_ARCHIVED or column == "origin":
                continue
            decode = column in json_columns and value is not None
            row[column] = json.loads(value) if decode else value
        return row

    @staticmethod
    def _out_settings(settings: list[dict], maps: dict[str, dict]) -> list[dict]:
        out = []
        for setting in settings:
            name, _, activity = setting["key"].rpartition(".")
            target = ACTIVITY_SETTINGS.get(name)
            if target is None or not activity.isdigit():
                continue
            local = maps["activities"].get(int(activity))
            value = maps[target].get(int(setting["value"])) if setting["value"].isdigit() else None
            if local is not None and value is not None:
                out.append({"activity_id": local, "name": name, "value": value})
        return sorted(out, key=lambda s: (s["activity_id"], s["name"]))

    @contextmanager
    def _reading(self) -> Iterator[Callable[[str, list], list[dict]]]:
        """The whole archive read from one snapshot, even while phones post, through a
        connection of its own: an export may run in a worker while the server writes
        through the shared one, whose transactions it must neither join nor end. A
        read-only folder is read as `open_db` reads it (immutable); an in-memory
        database, which no other connection sees, through its own."""
        path = self.path  # type: ignore[attr-defined]
        if not path:
            yield self._rows
            return
        folder = Path(path).parent
        flags = "mode=ro" if os.access(folder, os.W_OK) else "immutable=1"
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?{flags}", uri=True)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("BEGIN")

            def rows(sql: str, params: list) -> list[dict]:
                cursor = conn.execute(sql, params)
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

            yield rows
        finally:
            conn.close()

    # -- checking ----------------------------------------------------------------------------

    def check_archive(self, data: dict, option_notes: frozenset[str] = frozenset()) -> None:
        """Every row's fields and their types as this database's tables have them, every id
        unique, every reference to a row the archive holds; else ArchiveError."""
        if not isinstance(data.get("event"), dict):
            raise ArchiveError("it has no event")
        self._row_checker("event", self._columns("events"), EVENT_JSON, keyed=False,
                          origin=True)(data["event"])
        known = {t.name for t in TABLES} | {"format", "version", "event", "settings"}
        extra = sorted(set(data) - known)
        if extra:
            raise ArchiveError(f"it holds {extra[0]!r}, which this version does not know")
        maps: dict[str, dict] = {}
        for table in TABLES:
            rows = data.get(table.name, [])
            if not isinstance(rows, list):
                raise ArchiveError(f"its {table.name} is not a list")
            columns = self._columns(table.name)
            keyed = "id" in columns
            check = self._row_checker(table.name, columns, table.json, keyed=keyed,
                                      origin=table.origin)
            for row in rows:
                check(row)
            if keyed:
                ids = [row["id"] for row in rows]
                if len(set(ids)) != len(ids):
                    raise ArchiveError(f"its {table.name} repeat an id")
                maps[table.name] = {i: i for i in ids}
        _check_merges(data.get("notes", []))
        option_activities = {a["id"] for a in data.get("activities", [])
                             if a.get("method") in option_notes}
        for table in TABLES:  # every reference resolves (checked on copies)
            for row in data.get(table.name, []):
                _renumber(table, dict(row), maps, option_activities)  # renumbers a copy
        for setting in data.get("settings", []):
            if (not isinstance(setting, dict) or set(setting) != {"activity_id", "name", "value"}
                    or setting["name"] not in ACTIVITY_SETTINGS):
                raise ArchiveError("its settings are malformed")
            _number(maps, "activities", setting["activity_id"], "a setting")
            _number(maps, ACTIVITY_SETTINGS[setting["name"]], setting["value"], "a setting")

    @staticmethod
    def _row_checker(table: str, columns: dict[str, Column], json_columns: frozenset[str],
                     *, keyed: bool, origin: bool) -> Callable[[object], None]:
        """A check of one row of `table`, made once for all its rows."""
        allowed = (set(columns) - NOT_ARCHIVED - {"origin"}) | ({"id"} if keyed else set())
        allowed |= {"origin"} if origin else set()
        needed = ({"id"} if keyed else set()) | ({"origin"} if origin else set())
        # NOT NULL: given as null, or left out where the column has no default.
        never_null = [n for n, c in columns.items() if n in allowed and c.not_null]
        always = [n for n in never_null if not columns[n].default]
        kinds: dict[str, Callable[[object], bool]] = {}
        # Beyond its type, what a value must be: (name → reason it is not, or None).
        rules: dict[str, Callable[[object], str | None]] = {}
        for name in allowed:
            if (table, name) in _WORDS:
                words = _WORDS[table, name]
                rules[name] = lambda v, words=words: None if v in words else (
                    f"{v[:40]!r} is not one of {', '.join(words)}")
            elif name.endswith("_at"):
                rules[name] = _timestamp_error
            if name == "id":
                kinds[name] = lambda v: _integer(v) and v > 0
            elif name == "origin":
                kinds[name] = lambda v: isinstance(v, str) and bool(v)
            elif name in json_columns:
                shape = _JSON_TYPES.get(name, (list, dict))
                kinds[name] = lambda v, shape=shape: isinstance(v, shape)
            elif "INT" in columns[name].type:
                kinds[name] = _integer
            elif "TEXT" in columns[name].type:
                kinds[name] = lambda v: isinstance(v, str)
            else:
                kinds[name] = lambda v: _integer(v) or isinstance(v, (float, str))

        def check(row) -> None:
            if not isinstance(row, dict):
                raise ArchiveError(f"a row of its {table} is not an object")
            if not row.keys() <= allowed:
                extra = sorted(set(row) - allowed)[0]
                raise ArchiveError(f"{table} has a field {extra!r} this version does not know")
            if not row.keys() >= needed:
                raise ArchiveError(f"a row of its {table} has no {sorted(needed - set(row))[0]!r}")
            label = f"{table} {row['id']}" if "id" in row else table
            for name in never_null:
                if row.get(name) is None and (name in row or name in always):
                    raise ArchiveError(f"{label}: {name} is empty")
            for name, value in row.items():
                if value is None:
                    continue
                if not kinds[name](value):
                    if type(value) is int:
                        raise ArchiveError(f"{label}: {name} is beyond what the column holds"
                                           " (a 64-bit integer)")
                    raise ArchiveError(f"{label}: {name} is {type(value).__name__}, not what"
                                       " the column holds")
                if name in rules and (reason := rules[name](value)):
                    raise ArchiveError(f"{label}: {name}: {reason}")

        return check

    # -- loading -------------------------------------------------------------------------------

    def import_archive(self, data: dict, into: int | None = None,
                       option_notes: frozenset[str] = frozenset()) -> Imported:
        """Load a checked archive (`check_archive`): a new event, or merged into `into`.
        One transaction (or part of the caller's): all of it or nothing."""
        with self._writing():
            if into is None:
                event_id = self._new_event(data["event"])
            else:
                event_id = into
                self._check_same_programme(event_id, data)
                self._merge_event(event_id, data["event"])
            result = Imported(self.event(event_id))
            maps: dict[str, dict] = {}
            self._load_programme(event_id, data, maps, merging=into is not None)
            option_activities = {a["id"] for a in data.get("activities", [])
                                 if a["method"] in option_notes}
            for table in TABLES[PROGRAMME:]:
                added, known = self._load_rows(event_id, table, data.get(table.name, []), maps,
                                               option_activities, merging=into is not None)
                result.added[table.name], result.known[table.name] = added, known
            if into is None:
                for setting in data.get("settings", []):
                    activity = maps["activities"][setting["activity_id"]]
                    value = maps[ACTIVITY_SETTINGS[setting["name"]]][setting["value"]]
                    self.db.execute(
                        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                        " DO UPDATE SET value = excluded.value",
                        [f"{setting['name']}.{activity}", str(value)])
        result.event = self.event(event_id)
        return result

    def _insert(self, table: str, row: dict, json_columns: frozenset[str]) -> int:
        values = [json.dumps(v, ensure_ascii=False) if k in json_columns and v is not None
                  else v for k, v in row.items()]
        return self.db.conn.execute(_insert_sql(table, tuple(row)), values).lastrowid

    def _new_event(self, event: dict) -> int:
        row = dict(event)
        code = normalise_join_code(row.get("join_code") or "")
        taken = self.db.execute("SELECT 1 FROM events WHERE join_code = ?", [code]).fetchone()
        if taken or not (code.isascii() and code.isalnum() and len(code) <= ONLINE_LENGTH):
            # The archive's code is another event's here (its phones keep it), or not one a
            # phone could type: a new one, as long (a code for the internet stays long).
            code = self._free_code(  # type: ignore[attr-defined]
                ONLINE_LENGTH if len(code) > LENGTH else LENGTH)
        row["join_code"] = code
        return self._insert("events", row, EVENT_JSON)

    def _check_same_programme(self, event_id: int, data: dict) -> None:
        event = self.event(event_id)
        theirs = data["event"].get("template") or ""
        if theirs != event.template:
            raise ArchiveError(
                f"it was made from template {theirs!r} and event {event_id} from"
                f" {event.template!r}; only archives of the same template merge")
        mine = [[a.method for a in p.activities]
                for p in self.parts(event_id)]  # type: ignore[attr-defined]
        by_part: dict = {}
        for a in sorted(data.get("activities", []), key=lambda a: (a.get("position") or 0,
                                                                    a["id"])):
            by_part.setdefault(a.get("part_id"), []).append(a["method"])
        parts = sorted(data.get("parts", []), key=lambda p: (p.get("position") or 0, p["id"]))
        theirs_programme = [by_part.get(p["id"], []) for p in parts]
        if theirs_programme != mine:
            raise ArchiveError(
                f"its programme ({len(parts)} parts) is not event {event_id}'s"
                f" ({len(mine)} parts) though both are from template {event.template!r}")

    def _merge_event(self, event_id: int, event: dict) -> None:
        [mine] = self._rows("SELECT * FROM events WHERE id = ?", [event_id])
        self._merge_texts("events", mine, event)

    def _merge_texts(self, table: str, mine: dict, theirs: dict) -> None:
        """The event's or a part's texts, with what the archive adds (`_FILL`, `_JOIN`)."""
        changes = {}
        for column, value in theirs.items():
            if column not in mine:
                continue
            if column in _FILL and not mine[column] and value:
                changes[column] = value
            elif column in _JOIN:
                current = json.loads(mine[column]) if mine[column] else None
                joined = _joined(current, value)
                if joined != current:
                    changes[column] = json.dumps(joined, ensure_ascii=False)
            elif column == "summary":
                text = _appended(mine[column], value)
                if text != mine[column]:
                    changes[column] = text
        if changes:
            sets = ", ".join(f'"{c}" = ?' for c in changes)
            self.db.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?',
                            [*changes.values(), mine["id"]])

    def _load_programme(self, event_id: int, data: dict, maps: dict, merging: bool) -> None:
        parts = sorted(data.get("parts", []), key=lambda p: p["id"])
        activities = sorted(data.get("activities", []), key=lambda a: a["id"])
        workshops = sorted(data.get("workshops", []),
                           key=lambda w: (w.get("position") or 0, w["id"]))
        if not merging:
            maps["workshops"] = {w["id"]: self._insert(
                "workshops", {**_without(w, "id"), "event_id": event_id}, frozenset())
                for w in workshops}
            maps["parts"] = {}
            for p in parts:
                row = {**_without(p, "id"), "event_id": event_id}
                _renumber(BY_NAME["parts"], row, maps, set())
                maps["parts"][p["id"]] = self._insert("parts", row, BY_NAME["parts"].json)
            maps["activities"] = {}
            for a in activities:
                row = {**_without(a, "id"), "event_id": event_id}
                _renumber(BY_NAME["activities"], row, maps, set())
                maps["activities"][a["id"]] = self._insert("activities", row,
                                                           BY_NAME["activities"].json)
            return
        # The same template: a workshop is the one of its name (else of its place), the
        # n-th part is the n-th part, its activities likewise.
        mine_workshops = self._rows("SELECT id, name FROM workshops WHERE event_id = ?"
                                    " ORDER BY position, id", [event_id])
        by_name = {w["name"]: w["id"] for w in mine_workshops}
        maps["workshops"] = {
            w["id"]: by_name.get(w.get("name"), mine_workshops[i]["id"]
                                 if i < len(mine_workshops) else None)
            for i, w in enumerate(workshops)}
        mine_parts = self._rows("SELECT * FROM parts WHERE event_id = ? ORDER BY position, id",
                                [event_id])
        theirs_parts = sorted(parts, key=lambda p: (p.get("position") or 0, p["id"]))
        maps["parts"] = {}
        for mine, theirs in zip(mine_parts, theirs_parts, strict=True):
            maps["parts"][theirs["id"]] = mine["id"]
            self._merge_texts("parts", mine, theirs)
        maps["activities"] = {}
        for mine_part, theirs_part in zip(mine_parts, theirs_parts, strict=True):
            mine_acts = self._rows("SELECT * FROM activities WHERE part_id = ?"
                                   " ORDER BY position, id", [mine_part["id"]])
            theirs_acts = sorted((a for a in activities if a.get("part_id") == theirs_part["id"]),
                                 key=lambda a: (a.get("position") or 0, a["id"]))
            for mine, theirs in zip(mine_acts, theirs_acts, strict=True):
                maps["activities"][theirs["id"]] = mine["id"]
                changes = {}
                if mine["state"] == "draft" and theirs.get("state", "draft") != "draft":
                    changes = {c: theirs[c] for c in _RUN if c in theirs and c in mine}
                text = _appended(mine["summary"], theirs.get("summary"))
                if text != mine["summary"]:
                    changes["summary"] = text
                if changes:
                    sets = ", ".join(f'"{c}" = ?' for c in changes)
                    self.db.execute(f"UPDATE activities SET {sets} WHERE id = ?",
                                    [*changes.values(), mine["id"]])

    def _origins(self, event_id: int, table: Table) -> dict[str, int]:
        """The event's rows of `table` by their origin keys (a row made here: its own)."""
        uid = self.db.execute("SELECT uid FROM events WHERE id = ?", [event_id]).fetchone()[0]
        rows = self.db.execute(
            f"SELECT id, coalesce(origin, ? || id) FROM \"{table.name}\" WHERE {table.where}",
            [f"{uid}/{table.name}/", event_id]).fetchall()
        return {origin: row_id for row_id, origin in rows}

    def _load_rows(self, event_id: int, table: Table, rows: list[dict], maps: dict,
                   option_activities: set, *, merging: bool) -> tuple[int, int]:
        """Insert the rows the event does not have yet; returns (added, already there)."""
        rows = sorted(rows, key=lambda r: r.get("id", 0))
        maps[table.name] = {}
        found: Callable[[dict], int | None] = self._finder(event_id, table, merging)
        owned = "event_id" in self._columns(table.name)
        # Notes load before the notes they point at are numbered: a merge may keep a
        # later note, so ref_id and merged_into are set once every note has its id.
        numbering = maps | {"notes": _Later()} if table.name == "notes" else maps
        later: list[tuple[int, dict]] = []
        bases: dict[int, int] = {}
        added = known = 0
        for archived in rows:
            row = dict(archived)
            _renumber(table, row, numbering, option_activities)
            existing = found(row)
            if existing is not None:
                known += 1
                if "id" in archived:
                    maps[table.name][archived["id"]] = existing
                continue
            local = row.pop("id", None)
            refs = {c: row.pop(c) for c in ("ref_id", "merged_into") if row.get(c) is not None}
            if owned:
                row["event_id"] = event_id
            if table.name == "themes" and merging:  # after the event's own, in their order
                activity = row["activity_id"]
                if activity not in bases:
                    bases[activity] = self.db.execute(
                        "SELECT coalesce(max(position) + 1, 0) FROM themes"
                        " WHERE activity_id = ?", [activity]).fetchone()[0]
                row["position"] = bases[activity] + (row.get("position") or 0)
            new_id = self._insert(table.name, row, table.json)
            if local is not None:
                maps[table.name][local] = new_id
            if refs:
                later.append((new_id, refs))
            added += 1
        for new_id, refs in later:  # every note has its new id now
            sets = {c: _number(maps, "notes", v.value, f"note {new_id}'s {c}")
                    for c, v in refs.items()}
            self.db.execute(f"UPDATE notes SET {', '.join(f'{c} = ?' for c in sets)}"
                            " WHERE id = ?", [*sets.values(), new_id])
        return added, known

    def _finder(self, event_id: int, table: Table, merging: bool):
        """How to find a row the event already has (None: a new row)."""
        if not merging:
            return lambda row: None
        origins = self._origins(event_id, table) if table.origin else {}
        if table.name == "participants":
            hashes = dict(self.db.execute(
                "SELECT token_hash, id FROM participants WHERE event_id = ?", [event_id]))
            return lambda row: origins.get(row["origin"]) or hashes.get(row.get("token_hash"))
        if table.name == "themes":  # a live theme of the same title is that theme
            titles = {(a, _key(t)): i for i, a, t in self.db.execute(
                "SELECT id, activity_id, title FROM themes WHERE deleted_at IS NULL AND "
                + _OF_ACTIVITIES, [event_id])}
            return lambda row: origins.get(row["origin"]) or (
                titles.get((row["activity_id"], _key(row.get("title"))))
                if row.get("deleted_at") is None else None)
        if table.name == "groups":  # the same name is the same group (as add_group has it)
            names = {(a, _key(n)): i for i, a, n in self.db.execute(
                "SELECT id, activity_id, name FROM groups WHERE event_id = ?", [event_id])}
            return lambda row: names.get((row.get("activity_id"), _key(row.get("name"))))
        if table.name in ("members", "votes"):
            # A participant's group choice and dots are theirs once: the event's stand.
            had = {tuple(r) for r in self.db.execute(
                f"SELECT DISTINCT activity_id, participant_id FROM {table.name} WHERE "
                + _OF_ACTIVITIES, [event_id])}
            return lambda row: (-1 if (row["activity_id"], row.get("participant_id")) in had
                                else None)
        return lambda row: origins.get(row["origin"]) if table.origin else None


class _Later:
    """Stands in for the notes' numbering while notes load: a note's ref_id and
    merged_into are resolved once every note has its new id."""

    def __getitem__(self, value):
        return _Pending(value)


@dataclass(frozen=True)
class _Pending:
    value: int


def _check_merges(notes: list[dict]) -> None:
    """A merge ends at a note merged into nothing: a note merged into itself, or a ring of
    merges, would leave notes that are nowhere (and the memo following them in a loop)."""
    into = {n["id"]: n.get("merged_into") for n in notes if n.get("merged_into") is not None}
    done: set[int] = set()
    for start in into:
        seen = {start}
        at = into[start]
        while at in into and at not in done:
            if at in seen:
                what = "itself" if into[start] == start else "a ring of merges"
                raise ArchiveError(f"notes {start}: merged_into: it is merged into {what}")
            seen.add(at)
            at = into[at]
        done |= seen


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}

