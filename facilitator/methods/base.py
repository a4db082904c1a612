"""What every workshop method declares, so the web page, console and memo can render it.

A method owns its configuration schema, the participant input and its validation, its
aggregation and its memo section. It says what to show as a list of *blocks* (below):
the phone page, the console board and the memo each draw the same small vocabulary, so
no method-specific code lives in the web, the console or the memo. Nothing here knows
about HTTP or Textual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from facilitator.domain import Activity, Note, Participant
from facilitator.i18n import t

if TYPE_CHECKING:
    from facilitator.storage import Store

#: The longest note a participant can send. A sticky note holds far less; 2,000 characters
#: is a long paragraph typed on a phone, and it keeps one submission's size bounded.
MAX_NOTE_CHARS = 2000
#: Names, team names, convener names, short titles.
MAX_LINE_CHARS = 200


class InvalidInput(ValueError):
    """A submission (or a facilitator's action) that cannot be accepted.

    `key` names a message in the locale catalogue so the refusal is shown in the
    participant's language; `status` is the HTTP status the web answers with.
    """

    def __init__(self, key: str, status: int = 422, **params: Any):
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


# -- what a method shows: blocks ----------------------------------------------------------
# Every text in a block is shown literally (participant text is data, never markup).
# Labels are already in the reader's language: the method translates with `ctx.t`.


@dataclass(frozen=True)
class Heading:
    text: str
    count: int | None = None  # shown after the heading, e.g. the notes under it


@dataclass(frozen=True)
class Text:
    text: str
    style: str = ""  # "" plain, "muted" secondary, "strong" emphasised, "summary" authored


@dataclass(frozen=True)
class Item:
    """One contribution in a list: its text, and who or where it is from (`meta`)."""

    text: str
    meta: str = ""
    hidden: bool = False
    note_id: int | None = None


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]
    #: The console shows the newest first and only so many; the memo shows all, in order.
    newest_first: bool = True


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bars:
    """Counts per label, drawn as bars (a histogram, ranked results)."""

    rows: tuple[tuple[str, int], ...]
    marker: str = ""  # a label to point at, e.g. the median position


@dataclass(frozen=True)
class Countdown:
    """Time left until `deadline` (ISO 8601, UTC); drawn live on the console and phones."""

    deadline: str
    label: str = ""


Block = Heading | Text | Items | Table | Bars | Countdown


def seconds_left(deadline: str, now: datetime | None = None) -> int | None:
    """Whole seconds until a countdown's deadline, 0 once passed; None if unreadable.
    The console and the phone page both draw a `Countdown` from this."""
    try:
        left = (datetime.fromisoformat(deadline) - (now or datetime.now(UTC))).total_seconds()
    except ValueError:
        return None
    return max(0, round(left))


def clock(seconds: int) -> str:
    """m:ss, as a countdown reads."""
    return f"{seconds // 60}:{seconds % 60:02d}"


# -- what a participant fills in: forms ---------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input on a participant form (or in a facilitator's action dialog).

    kinds: "textarea", "text" (one line), "choice" (radio buttons), "scale" (radio
    buttons along a line), "select" (a drop-down for long lists), "number", "checks"
    (any number of boxes; posted as repeated values), "hidden" (what the page was drawn
    for, from the form's values — e.g. the round).
    """

    name: str
    kind: str
    label: str
    choices: tuple[str, ...] = ()
    #: Shown for each choice instead of the value (e.g. an emoji and a label); same length.
    choice_labels: tuple[str, ...] = ()
    required: bool = True
    max_length: int = MAX_NOTE_CHARS
    minimum: int = 0
    maximum: int = 0
    hint: str = ""

    def labelled_choices(self) -> list[tuple[str, str]]:
        labels = self.choice_labels or self.choices
        return list(zip(self.choices, labels, strict=True))


@dataclass(frozen=True)
class Form:
    """A form on the phone. `name` comes back in the post, so a method can offer several
    (the open space: propose a topic, choose sessions, write a report)."""

    name: str
    fields: tuple[Field, ...]
    submit: str  # the button's label
    values: Mapping[str, Any] = field(default_factory=dict)  # pre-filled: str or list[str]
    title: str = ""
    #: When set, the phone shows only this line until tapped (a comment form under each
    #: of many answers would otherwise bury the answers); works without JavaScript.
    folded: str = ""


View = Sequence[Block | Form]


@dataclass(frozen=True)
class Receipt:
    """What a stored submission gives back: the note to show the participant, or none
    (a vote, a group choice) and the page says it was saved."""

    note: Note | None = None


@dataclass(frozen=True)
class Action:
    """Something the facilitator can do to a running activity from the console.

    `fields` are asked in a dialog first (e.g. the station summary's text). The console's
    `n` runs the action with id "next_round" and `t` the one with id "restart_timer".
    """

    id: str
    label: str
    fields: tuple[Field, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)


class Posted(Mapping[str, str]):
    """The posted fields: one value per name (the first), and all of a repeated name."""

    def __init__(self, pairs: Sequence[tuple[str, str]] | Mapping[str, Any] = ()):
        items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
        self._all: dict[str, list[str]] = {}
        for key, value in items:
            values = value if isinstance(value, list) else [value]
            self._all.setdefault(key, []).extend(str(v) for v in values)

    def __getitem__(self, key: str) -> str:
        return self._all[key][0]

    def __iter__(self):
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def getall(self, key: str) -> list[str]:
        return list(self._all.get(key, []))


# -- the context a method works in ---------------------------------------------------------


@dataclass
class Context:
    """One activity as seen by one reader: a phone (with its participant), the console or
    the memo (`include_hidden=False`: moderated notes stay out)."""

    store: Store
    activity: Activity
    lang: str = "fi"
    participant: Participant | None = None
    include_hidden: bool = True
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    _read: dict = field(default_factory=dict, repr=False, compare=False)

    def t(self, key: str, **params: Any) -> str:
        return t(self.lang, key, **params)

    def all_notes(self) -> list[Note]:
        """Every note of the activity, hidden ones too, read once per context: the console
        asks a view and its count of one context, and with a room's worth of notes the
        reading is most of a redraw. For views only — `submit` reads fresh."""
        if "all" not in self._read:
            self._read["all"] = self.store.notes(self.activity.id, include_hidden=True)
        return self._read["all"]

    def notes(self, **where: Any) -> list[Note]:
        """This activity's notes in order, e.g. `ctx.notes(kind="position", round=2)`
        (narrowed in SQL, so a filtered read costs what it returns)."""
        return self.store.notes(self.activity.id, include_hidden=self.include_hidden, **where)


# -- configuration schema --------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigKey:
    """One key of a method's template config: "texts" (non-empty distinct texts), "int",
    "bool" or "text", with an allowed range for ints and a length range for texts."""

    kind: str
    minimum: int = 0
    maximum: int = 10_000
    help: str = ""


def check_config(
    method_id: str, schema: Mapping[str, ConfigKey], config: Mapping[str, Any]
) -> list[tuple[str, str]]:
    errors = []
    for key, value in config.items():
        spec = schema.get(key)
        if spec is None:
            known = ", ".join(sorted(schema)) or "none"
            errors.append((key, f"unknown key for {method_id} (known: {known})"))
        elif spec.kind == "texts":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                errors.append((key, "must be a list of non-empty texts"))
            elif not spec.minimum <= len(value) <= spec.maximum:
                errors.append((key, f"must have {spec.minimum}–{spec.maximum} items,"
                                    f" not {len(value)}"))
            elif len({" ".join(v.split()) for v in value}) != len(value):
                errors.append((key, "has the same text twice"))
        elif spec.kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                errors.append((key, "must be a whole number"))
            elif not spec.minimum <= value <= spec.maximum:
                errors.append((key, f"must be between {spec.minimum} and {spec.maximum},"
                                    f" not {value}"))
        elif spec.kind == "bool":
            if not isinstance(value, bool):
                errors.append((key, "must be true or false"))
        elif spec.kind == "text" and (not isinstance(value, str) or not value.strip()):
            errors.append((key, "must be a non-empty text"))
    return errors


# -- the method --------------------------------------------------------------------------------


class Method:
    id: str = ""
    #: The template's `config` keys this method reads; anything else is an error.
    config_schema: Mapping[str, ConfigKey] = {}

    def config_errors(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(key, reason) pairs for what is wrong with a template's config of this method:
        the schema's checks, then — once every value is well formed — `config_rules`."""
        return check_config(self.id, self.config_schema, config) or self.config_rules(config)

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Rules between well-formed values (dots within the options, …)."""
        return []

    def groups(self, activity: Activity) -> tuple[str, ...]:
        """The groups (tables, teams) the activity starts with; made when the event is."""
        return ()

    def participant_view(self, ctx: Context) -> View:
        """What a phone shows for this activity: blocks and forms. Called for open
        activities, and for closed ones (return [] to show nothing once closed)."""
        raise NotImplementedError

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        """Validate and store one post of `form`, all of it or nothing (raise InvalidInput)."""
        raise NotImplementedError

    def live_view(self, ctx: Context) -> list[Block]:
        """The console board while the activity runs."""
        raise NotImplementedError

    def memo_view(self, ctx: Context) -> list[Block]:
        """The activity's section in the memo (ctx.include_hidden is False)."""
        raise NotImplementedError

    def count(self, ctx: Context) -> int:
        """How many contributions it has, for the board's header (a COUNT, not a read of
        every note: the board asks on every redraw)."""
        return ctx.store.note_count(ctx.activity.id)

    def actions(self, ctx: Context) -> list[Action]:
        return []

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        """Run a facilitator action; returns what to tell the facilitator."""
        raise InvalidInput("methods.error.unknown_action")
