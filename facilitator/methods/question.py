"""Open question: free notes, optionally under the sub-headings the template gives."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from facilitator.domain import Activity, Note
from facilitator.methods.base import (
    MAX_NOTE_CHARS,
    Field,
    InvalidInput,
    Method,
    Results,
    Submission,
)


def clean_text(text: str) -> str:
    """Keep what was typed; drop only what no one means to send.

    Normalised to NFC so "ä" typed two ways is one letter; control characters other than
    newlines and tabs are removed (they break terminals and exports); ends are trimmed.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return kept.strip()


class QuestionMethod(Method):
    id = "question"

    def config_errors(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [(key, "the question method takes no config keys") for key in config]

    def fields(self, activity: Activity) -> list[Field]:
        fields = []
        headings = self.headings(activity)
        if headings:
            fields.append(Field("heading", "choice", "methods.field.heading", choices=headings))
        fields.append(Field("text", "textarea", "methods.field.note"))
        return fields

    def parse(self, activity: Activity, form: Mapping[str, str]) -> Submission:
        text = clean_text(form.get("text", ""))
        if not text:
            raise InvalidInput("methods.error.empty_note", status=422)
        if len(text) > MAX_NOTE_CHARS:
            raise InvalidInput("methods.error.note_too_long", status=413, limit=MAX_NOTE_CHARS)
        headings = self.headings(activity)
        heading = form.get("heading", "")
        if headings:
            if heading not in headings:
                raise InvalidInput("methods.error.choose_heading", status=422)
        elif heading:
            raise InvalidInput("methods.error.choose_heading", status=422)
        return Submission(text=text, heading=heading)

    def results(self, activity: Activity, notes: list[Note]) -> Results:
        headings = self.headings(activity)
        if not headings:
            return Results(groups=[("", list(notes))])
        grouped: dict[str, list[Note]] = {h: [] for h in headings}
        for note in notes:
            # A heading no longer in the template still keeps its notes (nothing is lost).
            grouped.setdefault(note.heading, []).append(note)
        return Results(groups=list(grouped.items()))


class PlannedMethod(QuestionMethod):
    """A seed method whose own module is not built yet: it runs as an open question.

    Its sub-headings are the activity's `headings` or else the list its config names
    (the process walk's stations, the treasure map's areas, …), so the programme is
    usable today and the template already carries what the real method will need.
    """

    def __init__(self, method_id: str, config_keys: Mapping[str, type], headings_key: str = ""):
        self.id = method_id
        self.config_keys = dict(config_keys)
        self.headings_key = headings_key

    def config_errors(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        errors = []
        for key, value in config.items():
            expected = self.config_keys.get(key)
            if expected is None:
                known = ", ".join(sorted(self.config_keys))
                errors.append((key, f"unknown key for {self.id} (known: {known})"))
            elif expected is list:
                if not isinstance(value, list) or not value:
                    errors.append((key, "must be a non-empty list of texts"))
                elif not all(isinstance(v, str) and v.strip() for v in value):
                    errors.append((key, "every item must be a non-empty text"))
                elif len({" ".join(v.split()) for v in value}) != len(value):
                    errors.append((key, "has the same text twice"))
            elif expected is int and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                errors.append((key, "must be a whole number, 0 or more"))
        return errors

    def headings(self, activity: Activity) -> tuple[str, ...]:
        if activity.headings:
            return activity.headings
        if self.headings_key:
            return tuple(activity.config.get(self.headings_key, ()))
        return ()
