"""Loading event templates (sessions/*.toml) into domain objects, with precise errors.

A broken template is rejected whole: the error names the file, the field path and the
reason, and nothing has been written, because loading happens before any storage.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from facilitator import methods
from facilitator.domain import Activity, Event, Part
from facilitator.i18n import LANGUAGES
from facilitator.methods.base import MAX_LINE_CHARS

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

EVENT_KEYS = {
    "title", "kind", "starts", "ends", "duration", "description", "output",
    "aims", "how", "results", "date", "place", "organiser", "themes", "lang",
}
PART_KEYS = {
    "title", "starts", "ends", "description", "aims", "how", "results", "activities", "workshop",
}
ACTIVITY_KEYS = {"method", "title", "prompt", "headings", "config", "premoderate"}
KINDS = ("seminar", "online")


class TemplateError(ValueError):
    def __init__(self, file: str, field: str, reason: str):
        super().__init__(f"{file}: {field}: {reason}" if field else f"{file}: {reason}")
        self.file, self.field, self.reason = file, field, reason


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    title: str


def templates_dir() -> Path:
    """The bundled templates: inside the installed package, or the checkout's sessions/.

    In an editable install importlib.resources does not see the top-level sessions/, so
    the checkout is the fallback; this is the one place that knows.
    """
    packaged = Path(__file__).parent / "sessions"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "sessions"


def bundled() -> list[TemplateInfo]:
    infos = []
    for path in sorted(templates_dir().glob("*.toml")):
        try:
            title = load(path).title
        except TemplateError as exc:
            title = f"(virhe: {exc.reason})"
        infos.append(TemplateInfo(name=path.stem, path=path, title=title))
    return infos


def resolve(name_or_path: str) -> Path:
    """A bundled template's name, or a path to a TOML file."""
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix == ".toml" or len(candidate.parts) > 1
    bundled_path = templates_dir() / f"{name_or_path}.toml"
    if not looks_like_path and bundled_path.is_file():
        return bundled_path  # a bundled name wins over a stray local file of that name
    if candidate.is_file():
        return candidate
    if looks_like_path:
        raise TemplateError(name_or_path, "", "no such file")
    names = ", ".join(info.name for info in bundled())
    raise TemplateError(name_or_path, "", f"no such template (bundled: {names})")


def load(path: str | Path) -> Event:
    path = Path(path)
    file = str(path)
    try:
        # utf-8-sig: Windows editors save a byte-order mark that TOML does not allow.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise TemplateError(file, "", exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise TemplateError(file, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(file, "", f"not valid TOML: {exc}") from None
    return _Reader(file).event(data, template=path.stem)


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def fail(self, field: str, reason: str):
        raise TemplateError(self.file, field, reason)

    def table(self, value: Any, field: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(field, "must be a table")
        for key in value:
            if key not in allowed:
                self.fail(f"{field}.{key}" if field else key,
                          f"unknown key (allowed: {', '.join(sorted(allowed))})")
        return value

    def text(self, table: dict, key: str, field: str, required: bool = False) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{field}.{key}", "must be a text")
        if required and not value.strip():
            self.fail(f"{field}.{key}", "is required")
        return value.strip()

    def texts(self, table: dict, key: str, field: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{field}.{key}", "must be a list of texts")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{field}.{key}[{i}]", "must be a non-empty text")
        cleaned = tuple(" ".join(v.split()) for v in value)
        if len(set(cleaned)) != len(cleaned):
            self.fail(f"{field}.{key}", "has the same text twice")
        return cleaned

    def theme_labels(self, table: dict) -> tuple[str, ...]:
        """The event's starting theme labels: texts, one line each, distinct whatever
        their case (a theme's title is unique so, per activity)."""
        labels = self.texts(table, "themes", "event")
        seen: dict[str, int] = {}
        for i, label in enumerate(labels):
            if len(label) > MAX_LINE_CHARS:
                self.fail(f"event.themes[{i}]", f"must be at most {MAX_LINE_CHARS} characters")
            first = seen.setdefault(label.casefold(), i)
            if first != i:
                self.fail(f"event.themes[{i}]", f"is the same label as themes[{first}]")
        return labels

    def times(self, table: dict, field: str) -> tuple[str, str]:
        starts = self.text(table, "starts", field)
        ends = self.text(table, "ends", field)
        for key, value in (("starts", starts), ("ends", ends)):
            if value and not _TIME.match(value):
                self.fail(f"{field}.{key}", f"must be a time HH:MM, not {value!r}")
        if ends and not starts:
            self.fail(f"{field}.ends", "needs starts too")
        if starts and ends and ends <= starts:
            self.fail(f"{field}.ends", f"must be after starts ({starts})")
        return starts, ends

    def event(self, data: dict, template: str) -> Event:
        self.table(data, "", {"event", "parts"})
        if "event" not in data:
            self.fail("event", "is required")
        table = self.table(data["event"], "event", EVENT_KEYS)
        kind = self.text(table, "kind", "event") or "seminar"
        if kind not in KINDS:
            self.fail("event.kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
        lang = self.text(table, "lang", "event") or "fi"
        if lang not in LANGUAGES:
            self.fail("event.lang", f"must be one of {', '.join(LANGUAGES)}, not {lang!r}")
        starts, ends = self.times(table, "event")
        parts_data = data.get("parts")
        if not isinstance(parts_data, list) or not parts_data:
            self.fail("parts", "at least one [[parts]] is required")
        parts = tuple(self.part(p, f"parts[{i}]") for i, p in enumerate(parts_data))
        self.workshops(parts)
        return Event(
            title=self.text(table, "title", "event", required=True),
            kind=kind,
            starts=starts,
            ends=ends,
            duration=self.text(table, "duration", "event"),
            description=self.text(table, "description", "event"),
            output=self.text(table, "output", "event"),
            aims=self.texts(table, "aims", "event"),
            how=self.texts(table, "how", "event"),
            results=self.texts(table, "results", "event"),
            date=self.text(table, "date", "event"),
            place=self.text(table, "place", "event"),
            organiser=self.text(table, "organiser", "event"),
            themes=self.theme_labels(table),
            lang=lang,
            template=template,
            parts=parts,
        )

    def part(self, value: Any, field: str) -> Part:
        table = self.table(value, field, PART_KEYS)
        starts, ends = self.times(table, field)
        activities_data = table.get("activities", [])
        if not isinstance(activities_data, list):
            self.fail(f"{field}.activities", "must be a list of [[parts.activities]] tables")
        activities = tuple(
            self.activity(a, f"{field}.activities[{i}]") for i, a in enumerate(activities_data)
        )
        return Part(
            title=self.text(table, "title", field, required=True),
            starts=starts,
            ends=ends,
            description=self.text(table, "description", field),
            aims=self.texts(table, "aims", field),
            how=self.texts(table, "how", field),
            results=self.texts(table, "results", field),
            activities=activities,
            workshop=self.workshop_name(table, field),
        )

    def workshop_name(self, table: dict, field: str) -> str:
        """A part's `workshop`: the name phones choose it by, one line."""
        if "workshop" not in table:
            return ""
        name = " ".join(self.text(table, "workshop", field, required=True).split())
        if len(name) > MAX_LINE_CHARS:
            self.fail(f"{field}.workshop", f"must be at most {MAX_LINE_CHARS} characters")
        return name

    def workshops(self, parts: tuple[Part, ...]) -> None:
        """Parallel workshops come at least two, and the parts of one workshop name it
        the same way: a name spelt differently would be a workshop of its own that no
        one meant, and one workshop alone is no choice to give the room."""
        first: dict[str, tuple[int, str]] = {}
        for i, part in enumerate(parts):
            if not part.workshop:
                continue
            seen = first.setdefault(part.workshop.casefold(), (i, part.workshop))
            if seen[1] != part.workshop:
                self.fail(f"parts[{i}].workshop",
                          f"is the workshop of parts[{seen[0]}] spelt differently"
                          f" ({seen[1]!r}): write it the same way")
        if len(first) == 1:
            [(i, name)] = first.values()
            self.fail(f"parts[{i}].workshop",
                      f"{name!r} is the only workshop: parallel workshops need at least two"
                      " (or leave the key out)")

    def activity(self, value: Any, field: str) -> Activity:
        table = self.table(value, field, ACTIVITY_KEYS)
        method_id = self.text(table, "method", field, required=True)
        try:
            method = methods.get(method_id)
        except KeyError:
            self.fail(f"{field}.method",
                      f"unknown method {method_id!r} (known: {', '.join(methods.known())})")
        config = table.get("config", {})
        if not isinstance(config, dict):
            self.fail(f"{field}.config", "must be a table")
        for key, reason in method.config_errors(config):
            self.fail(f"{field}.config.{key}", reason)
        # Lists of texts become choices on the phones: tidy their spaces as for headings.
        config = {
            key: [" ".join(v.split()) for v in value]
            if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
            for key, value in config.items()
        }
        premoderate = table.get("premoderate", False)
        if not isinstance(premoderate, bool):
            self.fail(f"{field}.premoderate", "must be true or false")
        activity = Activity(
            method=method_id,
            title=self.text(table, "title", field, required=True),
            prompt=self.text(table, "prompt", field),
            headings=self.texts(table, "headings", field),
            config=config,
            premoderated=premoderate,
        )
        return replace(activity, groups=method.groups(activity))
