"""Every contribution of an event as rows, for the spreadsheet formats (CSV, XLSX).

The memo's blocks are the methods' summaries; a spreadsheet wants the notes themselves.
They are read for the memo audience, so what the room saw is what the rows hold:
nothing hidden or waiting for approval, a merged duplicate once (its keeper), the
corrected text with the text as sent beside it. A dot vote's dots are rows too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields

from facilitator import methods
from facilitator.i18n import t
from facilitator.memo.model import Memo
from facilitator.storage import Store


@dataclass(frozen=True)
class Contribution:
    event: str
    part: str
    activity: str
    method: str
    #: Where it was given: the map area, the station, the question, the option.
    heading: str
    group: str
    theme: str
    text: str
    #: The text as the participant sent it, when the facilitator corrected it.
    original: str
    #: A number the contribution carries: a position on the line, dots on an option.
    value: int | str
    created: str
    starred: bool


COLUMNS = tuple(f.name for f in fields(Contribution))


def _value(data: dict) -> int | str:
    for key in ("position", "value", "dots"):
        if isinstance(data.get(key), int | str):
            return data[key]
    return ""


def contributions(store: Store, memo: Memo, lang: str = "fi") -> Iterator[Contribution]:
    """The event's contributions in programme order, each activity's as written."""
    title = memo.event.title
    for section in memo.parts:
        for item in section.activities:
            activity = item.activity
            method = t(lang, f"methods.name.{activity.method}")
            ctx = methods.Context(store, activity, lang, audience="memo")
            groups = {g.id: g.name for g in store.groups(activity.id)}
            themes = {r["id"]: r["title"] for r in
                      store.db["themes"].rows_where("activity_id = ?", [activity.id])}
            row = (title, section.part.title, activity.title, method)
            for note in ctx.notes():
                yield Contribution(
                    *row, note.heading, groups.get(note.group_id, ""),
                    themes.get(note.theme_id, ""), note.text,
                    note.original if note.edited else "", _value(note.data),
                    note.created_at, note.starred)
            if activity.method == "dot_vote":
                for _participant, option, dots in store.votes(activity.id):
                    yield Contribution(*row, option, "", "", "", "", dots, "", False)


def as_tuple(row: Contribution) -> tuple:
    return astuple(row)


#: What a spreadsheet reads as the start of a formula (or of a hidden control character).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
