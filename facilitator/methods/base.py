"""What every workshop method declares, so the web page, console and memo can render it.

A method owns its configuration schema, the participant input and its validation, its
aggregation and its memo section. Nothing here knows about HTTP or Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from facilitator.domain import Activity, Note

#: The longest note a participant can send. A sticky note holds far less; 2,000 characters
#: is a long paragraph typed on a phone, and it keeps one submission's size bounded.
MAX_NOTE_CHARS = 2000


class InvalidInput(ValueError):
    """A participant's submission that cannot be accepted.

    `key` names a message in the locale catalogue so the refusal is shown in the
    participant's language; `status` is the HTTP status the web answers with.
    """

    def __init__(self, key: str, status: int = 422, **params: Any):
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


@dataclass(frozen=True)
class Field:
    """One input on the participant's form."""

    name: str
    kind: str  # "textarea" or "choice"
    label_key: str  # locale key; the activity's prompt is shown above the form
    choices: tuple[str, ...] = ()
    required: bool = True
    max_length: int = MAX_NOTE_CHARS


@dataclass(frozen=True)
class Submission:
    text: str
    heading: str = ""


@dataclass
class Results:
    """An activity's notes for the memo and the board, grouped under headings in order."""

    groups: list[tuple[str, list[Note]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(notes) for _, notes in self.groups)


class Method:
    id: str = ""

    def config_errors(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(key, reason) pairs for what is wrong with a template's config of this method."""
        return []

    def headings(self, activity: Activity) -> tuple[str, ...]:
        return activity.headings

    def fields(self, activity: Activity) -> list[Field]:
        raise NotImplementedError

    def parse(self, activity: Activity, form: Mapping[str, str]) -> Submission:
        raise NotImplementedError

    def results(self, activity: Activity, notes: list[Note]) -> Results:
        raise NotImplementedError
