"""The things a seminar is made of, as plain dataclasses.

Templates build these before anything is stored; the store returns them. Lists such as
`aims` are tuples so a value read from the database can be shared without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: An activity is prepared (draft), taking input (open) or done (closed). Closing is not
#: final: the room may want to add something, so closed can go back to open.
ACTIVITY_STATES = ("draft", "open", "closed")

ALLOWED_TRANSITIONS = {
    "draft": {"open"},
    "open": {"closed"},
    "closed": {"open"},
}


def can_change_state(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS.get(current, set())


@dataclass(frozen=True)
class Activity:
    method: str
    title: str
    prompt: str = ""
    headings: tuple[str, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    #: Groups (tables, teams) the activity starts with, from its method and config.
    groups: tuple[str, ...] = ()
    state: str = "draft"
    #: Rounds (the emotion line's start and end, the process walk's moves) count from 1;
    #: `round_started_at` (UTC, ISO) is when the current round's clock started, set when
    #: the activity is first opened and on every new round or timer restart.
    round: int = 1
    round_started_at: str = ""
    #: The facilitator's *Mitä tuloksena* for this activity, written in the console.
    summary: str = ""
    #: New notes from phones wait for the facilitator's approval before anyone sees them.
    premoderated: bool = False
    id: int | None = None
    event_id: int | None = None
    part_id: int | None = None
    position: int = 0


@dataclass(frozen=True)
class Part:
    """One item of the programme; in the memo each part gets the three-column card."""

    title: str
    starts: str = ""
    ends: str = ""
    description: str = ""
    aims: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    summary: str = ""
    activities: tuple[Activity, ...] = ()
    #: The parallel workshop this part belongs to (its name), or "" for a part the
    #: whole room does together; see `Workshop`.
    workshop: str = ""
    id: int | None = None
    event_id: int | None = None
    position: int = 0

    @property
    def time_range(self) -> str:
        if self.starts and self.ends:
            return f"{self.starts}–{self.ends}"
        return self.starts


@dataclass(frozen=True)
class Workshop:
    """One of an event's parallel workshops (seminar 2's workshops 1–3 run at the same
    time and each participant chooses one): a name and the parts it is made of. A phone
    that has chosen it sees its activities and the event's common ones, no others."""

    id: int
    event_id: int
    position: int
    name: str
    part_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Event:
    title: str
    kind: str = "seminar"
    starts: str = ""
    ends: str = ""
    duration: str = ""
    description: str = ""
    output: str = ""
    aims: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    summary: str = ""
    date: str = ""
    place: str = ""
    organiser: str = ""
    template: str = ""
    #: Theme labels the template offers the facilitator when theming any activity.
    themes: tuple[str, ...] = ()
    #: The event's language ("fi" or "en"): the memo's fixed words follow it.
    lang: str = "fi"
    parts: tuple[Part, ...] = ()
    join_code: str = ""
    id: int | None = None
    created_at: str = ""

    @property
    def time_range(self) -> str:
        if self.starts and self.ends:
            return f"{self.starts}–{self.ends}"
        return self.starts or self.duration


@dataclass(frozen=True)
class Participant:
    id: int
    event_id: int
    name: str = ""
    organisation: str = ""
    lang: str = "fi"


@dataclass(frozen=True)
class Group:
    """A table or team within one activity."""

    id: int
    activity_id: int
    position: int
    name: str


@dataclass(frozen=True)
class Note:
    """One contribution. `kind` says what it is to its method ("note", "position",
    "topic", "report", "comment", "summary" …), `data` holds the method's own fields
    (a scale position, a slot), `ref_id` another note it answers or belongs to."""

    id: int
    activity_id: int
    text: str
    heading: str = ""
    participant_id: int | None = None
    hidden: bool = False
    starred: bool = False
    created_at: str = ""
    kind: str = "note"
    round: int = 1
    group_id: int | None = None
    ref_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: Waiting for the facilitator's approval (a pre-moderated activity).
    pending: bool = False
    #: The text as the participant sent it, when the facilitator has corrected it.
    original: str | None = None
    #: A duplicate folded under this note, which stands for both.
    merged_into: int | None = None
    theme_id: int | None = None

    @property
    def edited(self) -> bool:
        return self.original is not None and self.original != self.text


@dataclass(frozen=True)
class Theme:
    """A group of an activity's notes, in the facilitator's order (teemoittelu)."""

    id: int
    activity_id: int
    title: str
    position: int = 0
    summary: str = ""


def theme_key(title: str) -> str:
    """What makes two theme titles the same: case and spacing do not."""
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class ActionItem:
    """Mitä – Kuka – Mihin mennessä."""

    id: int
    event_id: int
    what: str
    who: str = ""
    due: str = ""
    part_id: int | None = None
