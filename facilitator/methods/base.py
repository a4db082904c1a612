"""What every workshop method declares, so the web page, console and memo can render it.

A method owns its configuration schema, the participant input and its validation, its
aggregation and its memo section. It says what to show as a list of *blocks* (below):
the phone page, the console board and the memo each draw the same small vocabulary, so
no method-specific code lives in the web, the console or the memo. Nothing here knows
about HTTP or Textual.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from facilitator.domain import Activity, Note, Participant
from facilitator.i18n import t

if TYPE_CHECKING:
    from facilitator.storage import Store
    from facilitator.storage.notes import Visible

#: The longest note a participant can send. A sticky note holds far less; 2,000 characters
#: is a long paragraph typed on a phone, and it keeps one submission's size bounded.
MAX_NOTE_CHARS = 2000
#: Names, team names, convener names, short titles.
MAX_LINE_CHARS = 200
#: The newest of a long list a phone is shown (the console and the memo show all): a page
#: costs what it shows, not what the room has written.
PHONE_LIST_LIMIT = 50


class InvalidInput(ValueError):
    """A submission (or a facilitator's action) that cannot be accepted.

    `key` names a message in the locale catalogue so the refusal is shown in the
    participant's language; `status` is the HTTP status the web answers with; `field`
    names the form's field the refusal concerns, when it is one (the page marks that field
    and names it in the message; without it, the form's first field).
    """

    def __init__(self, key: str, status: int = 422, *, field: str = "", **params: Any):
        super().__init__(key)
        self.key = key
        self.status = status
        self.field = field
        self.params = params


# -- what a method shows: blocks ----------------------------------------------------------
# Every text in a block is shown literally (participant text is data, never markup).
# Labels are already in the reader's language: the method translates with `ctx.t`.


@dataclass(frozen=True)
class Heading:
    text: str
    count: int | None = None  # shown after the heading, e.g. the notes under it
    #: 1 a section's heading (an area, a station); 2 one under it (a theme within an area).
    level: int = 1


@dataclass(frozen=True)
class Text:
    text: str
    style: str = ""  # "" plain, "muted" secondary, "strong" emphasised, "summary" authored


@dataclass(frozen=True)
class Item:
    """One contribution in a list: its text, who or where it is from (`meta`), and the
    note it shows, if any: the console acts on it (hide, edit, star, merge, approve) and
    marks its state; the phone marks its own note that waits for approval."""

    text: str
    meta: str = ""
    note: Note | None = None
    #: Duplicates folded under this note (the console says how many).
    folded: int = 0

    @property
    def note_id(self) -> int | None:
        return self.note.id if self.note is not None else None

    @property
    def hidden(self) -> bool:
        return self.note is not None and self.note.hidden

    @property
    def pending(self) -> bool:
        return self.note is not None and self.note.pending


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]
    #: The console shows the newest first and only so many; the memo shows all, in order.
    newest_first: bool = True
    #: How many more the list has than it holds (a phone gets the newest 50).
    more: int = 0


@dataclass(frozen=True, eq=False)
class NoteList:
    """The notes of the activity that match `where`, as this reader may see them, read only
    when drawn: the console reads the rows on screen, a phone the newest it shows, the memo
    all. A list as long as the room made it then costs what is shown, not what is stored.

    Made by `Context.note_list`; `meta` labels a note (its group, its station …)."""

    ctx: Context
    where: Mapping[str, Any]
    meta: Callable[[Note], str] | None = None
    newest_first: bool = True
    #: The count, when the method has just counted it (a heading's number): not asked twice.
    known: int | None = None
    #: Read under the activity's themes, when it has any (the memo's lists): see `themed`.
    by_theme: bool = False

    def count(self) -> int:
        if self.known is not None:
            return self.known
        return self.ctx.store.count_notes(self.ctx.activity.id, visible=self.ctx.visible,
                                          viewer=self.ctx.viewer, **self.where)

    def notes(self, offset: int = 0, limit: int | None = None) -> list[Note]:
        """In the order the list is shown (newest first, or as written)."""
        return self.ctx.store.notes(self.ctx.activity.id, visible=self.ctx.visible,
                                    viewer=self.ctx.viewer, newest_first=self.newest_first,
                                    limit=limit, offset=offset, **self.where)

    def item(self, note: Note, folded: int = 0) -> Item:
        return Item(note.text, self.meta(note) if self.meta else "", note, folded)

    def items(self, limit: int | None = None) -> Items:
        """As a plain list: all of it, or the first `limit` (the newest, when newest first),
        then in the order the list is read."""
        notes = self.notes(limit=limit)
        more = self.count() - len(notes) if limit is not None and len(notes) == limit else 0
        if self.newest_first:
            notes.reverse()
        return Items(tuple(self.item(n) for n in notes), self.newest_first, more)

    def themed(self, limit: int | None = None, level: int = 1) -> list[Block]:
        """The list under the activity's themes, in the facilitator's order: a heading and
        the notes of each theme this list has notes in, then those in no theme under
        "Muut". As a plain list when the activity has no themes, or none of these notes
        is in one (a heading "Muut" alone says nothing)."""
        store, activity = self.ctx.store, self.ctx.activity
        themes = store.themes(activity.id) if store.has_themes(activity.id) else []
        counts = store.count_notes_by(activity.id, "theme_id", visible=self.ctx.visible,
                                      viewer=self.ctx.viewer, **self.where) if themes else {}
        shown = [t for t in themes if counts.get(t.id)]
        if not shown:
            return [self.items(limit)]
        blocks: list[Block] = []
        for theme in shown:
            part = replace(self, where={**self.where, "theme_id": theme.id},
                           known=counts[theme.id], by_theme=False)
            blocks += [Heading(theme.title, level=level), part.items(limit)]
        known = {t.id for t in themes}
        rest = sum(n for theme_id, n in counts.items() if theme_id not in known)
        if rest:
            # A note's theme is never a deleted one (deleting unthemes its notes).
            part = replace(self, where={**self.where, "theme_id": None}, known=rest,
                           by_theme=False)
            blocks += [Heading(self.ctx.t("methods.other"), level=level), part.items(limit)]
        return blocks


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


Block = Heading | Text | Items | NoteList | Table | Bars | Countdown
#: The names of the block kinds, as the renderers dispatch on them.
BlockKind = Literal["heading", "text", "items", "notelist", "table", "bars", "countdown"]


def resolve(blocks: Sequence[Any], limit: int | None = None) -> list[Any]:
    """The blocks with every `NoteList` read into plain `Items` (at most `limit` notes
    each): what the phone's page and the memo draw. A list read by theme (`by_theme`)
    becomes its themes' headings and notes, a level below the heading it stands under."""
    out: list[Any] = []
    for block in blocks:
        if isinstance(block, NoteList) and block.by_theme:
            level = 2 if out and isinstance(out[-1], Heading) else 1
            out += block.themed(limit, level)
        elif isinstance(block, NoteList):
            out.append(block.items(limit))
        else:
            out.append(block)
    return out


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


#: Who reads a view: one participant, the facilitator, the room, the record.
Audience = Literal["phone", "console", "projector", "memo"]
_VISIBLE: dict[str, Visible] = {"phone": "phone", "console": "all", "projector": "public",
                                "memo": "public"}


@dataclass
class Context:
    """One activity as seen by one reader (`audience`): a phone (with its participant),
    the console, the projector or the memo. What the reader may see is decided here, in
    the store's queries, never in a method: hidden notes and notes waiting for approval
    reach only the console (marked), and a phone its own waiting notes."""

    store: Store
    activity: Activity
    lang: str = "fi"
    participant: Participant | None = None
    #: Left out: a phone's when there is a participant, else the console's.
    audience: Audience | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.audience is None:
            self.audience = "phone" if self.participant is not None else "console"

    def t(self, key: str, **params: Any) -> str:
        return t(self.lang, key, **params)

    @property
    def visible(self) -> Visible:
        return _VISIBLE[self.audience]

    @property
    def viewer(self) -> int | None:
        return self.participant.id if self.participant is not None else None

    def notes(self, **where: Any) -> list[Note]:
        """The notes of this activity the reader may see, in order, e.g.
        `ctx.notes(kind="position", round=2)` (narrowed in SQL)."""
        return self.store.notes(self.activity.id, visible=self.visible, viewer=self.viewer,
                                **where)

    def count(self, **where: Any) -> int:
        return self.store.count_notes(self.activity.id, visible=self.visible,
                                      viewer=self.viewer, **where)

    def count_by(self, column: str, **where: Any) -> dict:
        return self.store.count_notes_by(self.activity.id, column, visible=self.visible,
                                         viewer=self.viewer, **where)

    def counted(self, **where: Any) -> list[Note]:
        """What counts in a tally, whoever reads: neither hidden nor waiting; a note folded
        under a duplicate still counts (a merged reason is still a person on the line)."""
        return self.store.notes(self.activity.id, visible="counted", **where)

    def all_notes(self, **where: Any) -> list[Note]:
        """Every note, moderated ones too: for a method's own rules (a hidden topic still
        holds its cell), never to show."""
        return self.store.notes(self.activity.id, **where)

    def note_list(self, meta: Callable[[Note], str] | None = None, newest_first: bool = True,
                  count: int | None = None, *, by_theme: bool = False,
                  **where: Any) -> NoteList:
        """A list of the notes matching `where`, read when drawn; `count` when the
        method has counted them already (for its heading); `by_theme` to read it under
        the activity's themes where it has any (the memo's)."""
        return NoteList(self, where, meta, newest_first, count, by_theme)

    def in_themes(self, notes: Sequence[Note]) -> list[tuple[str, list[Note]]] | None:
        """Notes a method has read (threads, not a `NoteList`), under the activity's themes
        in the facilitator's order, "Muut" last, as `NoteList.themed` reads a list; None
        when none of them is in a theme."""
        themes = self.store.themes(self.activity.id) if any(n.theme_id for n in notes) else []
        groups = [(t.title, [n for n in notes if n.theme_id == t.id]) for t in themes]
        groups = [(title, group) for title, group in groups if group]
        if not groups:
            return None
        known = {t.id for t in themes}
        rest = [n for n in notes if n.theme_id not in known]
        return groups + ([(self.t("methods.other"), rest)] if rest else [])

    def add_note(self, text: str, heading: str = "", *, kind: str = "note", round: int = 1,
                 group_id: int | None = None, ref_id: int | None = None,
                 data: dict | None = None) -> Note:
        """Store a note from this reader: a phone's in a pre-moderated activity waits for
        the facilitator's approval; the console's (a summary) never does."""
        return self.store.add_note(
            self.activity.id, text, heading, self.viewer, kind=kind, round=round,
            group_id=group_id, ref_id=ref_id, data=data,
            pending=self.audience == "phone" and self.activity.premoderated,
        )


# -- configuration schema --------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigKey:
    """One key of a method's template config: "texts" (non-empty distinct texts), "int",
    "bool", "text" or "url" (an http or https address), with an allowed range for ints
    and a length range for texts."""

    kind: str
    minimum: int = 0
    maximum: int = 10_000
    help: str = ""


#: Keys every method's config takes: the phone page draws them, whatever the method.
COMMON_CONFIG: dict[str, ConfigKey] = {
    # The material the activity starts from (the seed's first online round: a video),
    # linked on the phones.
    "material_url": ConfigKey("url", maximum=2000, help="a link to the activity's material"),
}


def url_error(value: Any, limit: int) -> str:
    """Why `value` is no address a phone may be sent to, or "" when it is one: only
    http and https (a `javascript:` or `file:` link would run or read on the phone)."""
    shown = repr(value if not isinstance(value, str) or len(value) <= 60 else value[:60] + "…")
    if not isinstance(value, str):
        return f"must be an http:// or https:// address, not {shown}"
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1" and the like
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"must be an http:// or https:// address, e.g. https://example.fi/video, not {shown}"
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return f"must be one address without spaces, not {shown}"
    if len(value) > limit:
        return f"must be at most {limit} characters, not {len(value)}"
    return ""


def check_config(
    method_id: str, schema: Mapping[str, ConfigKey], config: Mapping[str, Any]
) -> list[tuple[str, str]]:
    schema = {**COMMON_CONFIG, **schema}
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
        elif spec.kind == "url" and (reason := url_error(value, spec.maximum)):
            errors.append((key, reason))
    return errors


# -- the method --------------------------------------------------------------------------------


class Method:
    id: str = ""
    #: Its votes' options are note ids (open space's session choices), not labels: the
    #: event's archive renumbers them with the notes.
    options_are_notes: bool = False
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

    def phone_key(self, ctx: Context) -> Hashable:
        """Who else sees what this phone sees here: phones with equal keys (and no notes
        of their own waiting for approval) must get equal `participant_view`s, so the
        event page is drawn once for all of them (web/page_cache.py) — a round change
        for a room of a thousand is then a few drawings, not a thousand. The
        participant by default, which is always right; a view that is its group's (a
        table at its station) says `group_key(ctx)`, one that is the same for everyone
        a constant. tests/methods/test_phone_key.py holds every bundled activity to it."""
        return ("participant", ctx.viewer)

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

    def merge_changes(self, ctx: Context, keep: Note, others: Sequence[Note]
                      ) -> dict[int, dict]:
        """What merging `others` into `keep` changes ({note id: {column: value}}). By
        default they fold under it (and what was folded under them follows), so the room
        and the memo see the point once; a method that counts or links notes says here
        what a merge means to it."""
        changes = {n.id: {"merged_into": keep.id} for n in others}
        for note in ctx.all_notes(merged_into=tuple(n.id for n in others)):
            changes[note.id] = {"merged_into": keep.id}
        return changes

    def unmerge_changes(self, ctx: Context, note: Note) -> dict[int, dict]:
        """What taking `note` out of its merge changes: a folded note stands alone again;
        a note others are folded under lets them all go."""
        if note.merged_into is not None:
            return {note.id: {"merged_into": None}}
        return {n.id: {"merged_into": None} for n in ctx.all_notes(merged_into=note.id)}
