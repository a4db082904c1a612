"""Open space: the room sets its own agenda.

Participants propose topics, each with a convener (koollekutsuja); a topic gets a cell of
the marketplace — a time window (aikaikkuna) × a space (tila) — from its convener or the
facilitator; everyone marks the sessions they join, one per window, and may move at any
time (the law of two feet); each convener writes the session's report. The memo gets the
marketplace and the book of proceedings.

What is stored:
- a topic is a note, kind "topic": text = its title, the proposing device = its convener,
  data = {"convener", "description", "slot", "space"}; slot and space are None until it is
  placed, and labels (not positions) once it is, so the memo reads on its own;
- a participant's sessions are their *votes*: option = the topic's id, one dot each.
  `set_votes` replaces the whole choice at once, which is what moving between sessions is;
- a report is a note, kind "report", ref_id = its topic: text = the summary, data =
  {"proposals", "next_steps", "participants"}; a second report replaces the first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from facilitator.domain import Note
from facilitator.i18n import t
from facilitator.methods.base import (
    MAX_LINE_CHARS,
    Action,
    Block,
    ConfigKey,
    Context,
    Field,
    Form,
    Heading,
    InvalidInput,
    Item,
    Items,
    Method,
    Posted,
    Receipt,
    Table,
    Text,
    View,
    check_config,
)
from facilitator.methods.question import note_items, read_text
from facilitator.storage.store import parse_id

MAX_SLOTS = 12
MAX_SPACES = 30
#: More people than this in one session is a plenary, not an open-space session.
MAX_SESSION_PEOPLE = 1000

TOPIC_FORM = "topic"
JOIN_FORM = "join"
#: A convener's forms are about one topic each, so its id rides in the form's name
#: ("place-12", "report-12"): no topic to pick, and a refusal lands on the right form.
PLACE_FORM = "place"
REPORT_FORM = "report"

Cell = tuple[str, str]  # (slot label, space label)


# -- the rules, pure ---------------------------------------------------------------------------


def slot_labels(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The time windows: the template's labels, or `slots = N` numbered windows (named in
    the room's language, Finnish, as stored group names are)."""
    slots = config.get("slots", 1)
    if isinstance(slots, int) and not isinstance(slots, bool):
        return tuple(t("fi", "open_space.numbered_slot", n=n) for n in range(1, slots + 1))
    return tuple(slots)


def space_labels(config: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(config.get("spaces") or (t("fi", "open_space.numbered_space", n=1),))


def cell_of(topic: Note) -> Cell | None:
    """Where a topic is placed, or None while it waits for a place."""
    slot, space = topic.data.get("slot"), topic.data.get("space")
    return (slot, space) if slot is not None and space is not None else None


def taken_cells(topics: Iterable[Note], *, except_id: int | None = None) -> dict[Cell, int]:
    """Which topic holds each taken cell (leaving out the one being moved)."""
    return {cell: n.id for n in topics if n.id != except_id and (cell := cell_of(n))}


def free_cells(slots: Iterable[str], spaces: Iterable[str], taken: Iterable[Cell]) -> list[Cell]:
    """The cells no topic holds, window by window."""
    taken = set(taken)
    spaces = tuple(spaces)
    return [(slot, space) for slot in slots for space in spaces if (slot, space) not in taken]


def crowded_slots(chosen: Iterable[str]) -> list[str]:
    """The windows of a participant's choice that have more than one session: a person is
    in one session at a time (they may walk to another: that is a new choice)."""
    return [slot for slot, n in Counter(chosen).items() if n > 1]


# -- reading what was posted -------------------------------------------------------------------


def _line(posted: Posted, name: str, empty_key: str) -> str:
    text = read_text(posted, name, required=False, limit=MAX_LINE_CHARS, one_line=True)
    if not text:
        raise InvalidInput(empty_key, status=422)
    return text


def _cell_key(slots: tuple[str, ...], spaces: tuple[str, ...], cell: Cell) -> str:
    return f"{slots.index(cell[0])}.{spaces.index(cell[1])}"


def _read_cell(posted: Posted, slots: tuple[str, ...], spaces: tuple[str, ...]) -> Cell:
    slot, _, space = posted.get("cell", "").partition(".")
    i, j = parse_id(slot), parse_id(space)
    if i is None or j is None or i >= len(slots) or j >= len(spaces):
        raise InvalidInput("open_space.error.choose_cell", status=422)
    return slots[i], spaces[j]


def _read_count(posted: Posted) -> int:
    n = parse_id(posted.get("participants", ""))
    if n is None or not 1 <= n <= MAX_SESSION_PEOPLE:
        raise InvalidInput("open_space.error.participants", status=422,
                           minimum=1, maximum=MAX_SESSION_PEOPLE)
    return n


class OpenSpace(Method):
    id = "open_space"
    options_are_notes = True  # a session choice is a vote for the topic's note id
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "slots": ConfigKey("texts", 1, MAX_SLOTS,
                           help='time windows, e.g. ["12:15–13:00", "13:15–14:00"], or a number'),
        "spaces": ConfigKey("texts", 1, MAX_SPACES, help='spaces, e.g. ["Tila A", "Tila B"]'),
    }

    def config_errors(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        schema = dict(self.config_schema)
        slots = config.get("slots")
        if isinstance(slots, int) and not isinstance(slots, bool):
            schema["slots"] = ConfigKey("int", 1, MAX_SLOTS)  # numbered windows
        errors = check_config(self.id, schema, config)
        if "slots" in config and not isinstance(slots, list) and schema["slots"].kind != "int":
            errors = [(k, r) for k, r in errors if k != "slots"]
            errors.append(("slots", "must be a list of time windows, e.g."
                                    ' ["12:15–13:00", "13:15–14:00"], or a number of them'))
        for key in ("slots", "spaces"):
            if key not in config:
                errors.append((key, f"missing: open_space needs {schema[key].help}"))
        return errors

    # -- what is stored ------------------------------------------------------------------------

    @staticmethod
    def _grid(ctx: Context) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return slot_labels(ctx.activity.config), space_labels(ctx.activity.config)

    @staticmethod
    def _all_topics(ctx: Context) -> list[Note]:
        """The topics that hold their cells: moderated ones too (a hidden topic holds its
        cell until the facilitator unplaces it, so no cell is ever given twice), but not
        a duplicate merged into another: its session is the other's."""
        return ctx.all_notes(kind="topic", merged_into=None)

    @staticmethod
    def _choices(ctx: Context) -> dict[int, set[str]]:
        """Each participant's sessions (topic ids as stored options); a mark on a topic
        merged into another counts for the one it was merged into."""
        into = {str(n.id): str(n.merged_into) for n in ctx.all_notes(kind="topic")
                if n.merged_into is not None}
        chosen: dict[int, set[str]] = {}
        for participant, option, _dots in ctx.store.votes(ctx.activity.id):
            chosen.setdefault(participant, set()).add(into.get(option, option))
        return chosen

    def _attendance(self, ctx: Context) -> Counter[str]:
        return Counter(o for options in self._choices(ctx).values() for o in options)

    def _release(self, ctx: Context, topic_id: int) -> None:
        """A session leaving its window frees its seats: those who marked it choose again
        (else they could hold two sessions in one window)."""
        option = str(topic_id)
        for participant, options in self._choices(ctx).items():
            if option in options:
                ctx.store.set_votes(ctx.activity.id, participant,
                                    {o: 1 for o in options if o != option})

    def _place(self, ctx: Context, topic: Note, cell: Cell) -> None:
        """Check that the cell is free and take it; call inside `store.transaction()`."""
        if cell in taken_cells(self._all_topics(ctx), except_id=topic.id):
            raise InvalidInput("open_space.error.cell_taken", status=409,
                               slot=cell[0], space=cell[1])
        old = cell_of(topic)
        if old is not None and old[0] != cell[0]:
            self._release(ctx, topic.id)
        ctx.store.update_note(topic.id, data={**topic.data, "slot": cell[0], "space": cell[1]})

    def _topic(self, ctx: Context, ref: str, *, mine: bool = False) -> Note:
        """A topic of this activity by its id, read afresh; `mine`: the poster's own."""
        topic_id = parse_id(ref)
        topic = ctx.store.note(topic_id) if topic_id is not None else None
        if (topic is None or topic.activity_id != ctx.activity.id or topic.kind != "topic"
                or (mine and topic.hidden)):
            raise InvalidInput("open_space.error.no_topic", status=404)
        if mine and (ctx.participant is None or topic.participant_id != ctx.participant.id):
            raise InvalidInput("open_space.error.not_convener", status=403)
        return topic

    def _sessions(self, ctx: Context, topics: Iterable[Note]) -> list[Note]:
        """Placed topics in the marketplace's order: window by window, space by space."""
        slots, spaces = self._grid(ctx)

        def order(topic: Note) -> tuple[int, int, int]:
            slot, space = cell_of(topic) or ("", "")
            return (slots.index(slot) if slot in slots else len(slots),
                    spaces.index(space) if space in spaces else len(spaces), topic.id)

        return sorted((n for n in topics if cell_of(n)), key=order)

    # -- the phone -------------------------------------------------------------------------------

    def participant_view(self, ctx: Context) -> View:
        if ctx.activity.state != "open":
            return []
        slots, spaces = self._grid(ctx)
        everything = self._all_topics(ctx)
        topics = ctx.notes(kind="topic")  # what this phone may read (the context decides)
        me = ctx.participant.id if ctx.participant else None
        mine = [n for n in topics if me is not None and n.participant_id == me]
        free = free_cells(slots, spaces, taken_cells(everything))
        # In the order the workshop goes: a convener's topic needs a place, everyone reads
        # the marketplace and chooses, conveners report, and new topics can come any time.
        view: list[Block | Form] = []
        for topic in mine:
            if cell_of(topic) is None:
                view.append(self._place_form(ctx, topic, free) if free
                            else Text(ctx.t("open_space.view.no_free_cells"), "muted"))
        # Without the attendance: every page load would read the whole room's marks.
        # A cell held by a topic this phone may not read is shown taken, not free.
        readable = {n.id for n in topics}
        held = {cell_of(n) for n in everything if n.id not in readable and cell_of(n)}
        view += self._market(ctx, topics, held=held)
        sessions = self._sessions(ctx, topics)
        if sessions:  # a phone that has only read the page may join too (and so take part)
            chosen = ({option for _, option, _ in ctx.store.votes(ctx.activity.id, me)}
                      if me is not None else set())
            view.append(self._join_form(ctx, sessions, chosen))
        convened = self._sessions(ctx, mine)
        if convened:  # only a convener's page counts who marked their sessions
            reports = {n.ref_id: n for n in ctx.all_notes(kind="report")}
            attendance = self._attendance(ctx)
            view += [self._report_form(ctx, topic, reports.get(topic.id),
                                       attendance[str(topic.id)]) for topic in convened]
        view.append(self._topic_form(ctx))
        return view

    def _topic_form(self, ctx: Context) -> Form:
        name = ctx.participant.name if ctx.participant else ""
        return Form(TOPIC_FORM, (
            Field("title", "text", ctx.t("open_space.field.title"), max_length=MAX_LINE_CHARS),
            Field("convener", "text", ctx.t("open_space.field.convener"),
                  max_length=MAX_LINE_CHARS, hint=ctx.t("open_space.field.convener_hint")),
            Field("description", "textarea", ctx.t("open_space.field.description"),
                  required=False),
        ), ctx.t("open_space.form.propose"), {"convener": name} if name else {},
            ctx.t("open_space.form.propose_title"))

    def _place_form(self, ctx: Context, topic: Note, free: list[Cell]) -> Form:
        slots, spaces = self._grid(ctx)
        cell = Field("cell", "select", ctx.t("open_space.field.cell"),
                     choices=tuple(_cell_key(slots, spaces, c) for c in free),
                     choice_labels=tuple(f"{slot} · {space}" for slot, space in free))
        return Form(f"{PLACE_FORM}-{topic.id}", (cell,), ctx.t("open_space.form.place"),
                    title=ctx.t("open_space.form.place_title", title=topic.text))

    def _join_form(self, ctx: Context, sessions: list[Note], mine: set[str]) -> Form:
        labels = []
        for topic in sessions:
            slot, space = cell_of(topic)  # type: ignore[misc]
            labels.append(f"{slot} · {space}: {topic.text}")
        ids = tuple(str(n.id) for n in sessions)
        field = Field("sessions", "checks", ctx.t("open_space.field.sessions"), choices=ids,
                      choice_labels=tuple(labels), required=False,
                      hint=ctx.t("open_space.field.sessions_hint"))
        return Form(JOIN_FORM, (field,), ctx.t("open_space.form.join"),
                    {"sessions": [i for i in ids if i in mine]},
                    ctx.t("open_space.form.join_title"))

    def _report_form(self, ctx: Context, topic: Note, report: Note | None, joined: int) -> Form:
        if report is not None:  # the convener corrects their report: start from it
            values = {"summary": report.text, "proposals": report.data.get("proposals", ""),
                      "next_steps": report.data.get("next_steps", ""),
                      "participants": str(report.data.get("participants", ""))}
        else:  # those who marked the session on their phones, as a first guess
            values = {"participants": str(joined)} if joined else {}
        return Form(f"{REPORT_FORM}-{topic.id}", (
            Field("summary", "textarea", ctx.t("open_space.field.summary")),
            Field("proposals", "textarea", ctx.t("open_space.field.proposals"), required=False),
            Field("next_steps", "textarea", ctx.t("open_space.field.next_steps"),
                  required=False),
            Field("participants", "number", ctx.t("open_space.field.participants"),
                  minimum=1, maximum=MAX_SESSION_PEOPLE),
        ), ctx.t("open_space.form.report"), values,
            ctx.t("open_space.form.report_title", title=topic.text))

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        if ctx.participant is None:
            raise InvalidInput("methods.error.no_participant", status=403)
        if form == TOPIC_FORM:
            return self._propose(ctx, posted)
        if form == JOIN_FORM:
            return self._join(ctx, posted)
        kind, _, ref = form.partition("-")
        if kind == PLACE_FORM:
            return self._convener_places(ctx, ref, posted)
        if kind == REPORT_FORM:
            return self._report(ctx, ref, posted)
        raise InvalidInput("open_space.error.unknown_form", status=400)

    def _propose(self, ctx: Context, posted: Posted) -> Receipt:
        title = _line(posted, "title", "open_space.error.no_title")
        convener = _line(posted, "convener", "open_space.error.no_convener")
        description = read_text(posted, "description", required=False)
        data = {"convener": convener, "description": description, "slot": None, "space": None}
        return Receipt(ctx.add_note(title, "", kind="topic", data=data))

    def _convener_places(self, ctx: Context, ref: str, posted: Posted) -> Receipt:
        cell = _read_cell(posted, *self._grid(ctx))
        with ctx.store.transaction():  # check and take the cell as one step
            topic = self._topic(ctx, ref, mine=True)
            placed = cell_of(topic)
            if placed is not None:  # the facilitator placed it meanwhile; moving is theirs
                raise InvalidInput("open_space.error.already_placed", status=409,
                                   slot=placed[0], space=placed[1])
            self._place(ctx, topic, cell)
        return Receipt()

    def _join(self, ctx: Context, posted: Posted) -> Receipt:
        wanted = set(posted.getall("sessions"))
        with ctx.store.transaction():  # against the marketplace as it is now
            sessions = {str(n.id): n for n in self._sessions(ctx, ctx.notes(kind="topic"))}
            if not wanted <= set(sessions):
                raise InvalidInput("open_space.error.choose_session", status=422)
            crowded = crowded_slots(cell_of(sessions[o])[0] for o in wanted)  # type: ignore[index]
            if crowded:
                raise InvalidInput("open_space.error.one_per_slot", status=422, slot=crowded[0])
            # The votes are this participant's marks: one dot per session they join.
            ctx.store.set_votes(ctx.activity.id, ctx.participant.id, {o: 1 for o in wanted})
        return Receipt()

    def _report(self, ctx: Context, ref: str, posted: Posted, *, by_convener: bool = True
                ) -> Receipt:
        """The convener's report from their phone, or the facilitator's from the console
        (a convener whose phone died, or who handed in paper, still gets into the book)."""
        summary = read_text(posted, "summary", required=False)
        if not summary:
            raise InvalidInput("open_space.error.no_summary", status=422)
        data = {"proposals": read_text(posted, "proposals", required=False),
                "next_steps": read_text(posted, "next_steps", required=False),
                "participants": _read_count(posted)}
        with ctx.store.transaction():  # find the earlier report and replace it, or add one
            topic = self._topic(ctx, ref, mine=by_convener)
            if cell_of(topic) is None:
                raise InvalidInput("open_space.error.not_placed", status=409)
            earlier = ctx.all_notes(kind="report", ref_id=topic.id)
            if earlier:  # a convener's new text waits for approval as a new report would
                note = ctx.store.update_note(
                    earlier[-1].id, text=summary, heading=topic.text, data=data,
                    pending=ctx.audience == "phone" and ctx.activity.premoderated)
            else:
                note = ctx.add_note(summary, topic.text, kind="report", ref_id=topic.id,
                                    data=data)
        return Receipt(note)

    # -- the console and the memo ------------------------------------------------------------

    def _cell_text(self, ctx: Context, topic: Note, attendance: Counter[str] | None) -> str:
        text = topic.text
        if attendance is not None:
            # How many marked it comes first: the console cuts a long cell's end to fit.
            text = f"({attendance[str(topic.id)]}) {text}"
        return f"{text} [{ctx.t('open_space.view.hidden')}]" if topic.hidden else text

    def _market(self, ctx: Context, topics: list[Note],
                attendance: Counter[str] | None = None, held: set | None = None
                ) -> list[Block]:
        """The marketplace wall, each session with how many marked it (if given); then
        the topics still waiting for a place. Spaces go down and windows across: there are usually
        more spaces than windows, and columns are what a phone and the console's board
        have least room for."""
        if not topics:
            return [Text(ctx.t("open_space.view.no_topics"), "muted")]
        slots, spaces = self._grid(ctx)
        by_cell = {cell_of(n): n for n in topics if cell_of(n)}
        rows = tuple(
            (space, *(self._cell_text(ctx, by_cell[(slot, space)], attendance)
                      if (slot, space) in by_cell
                      else ctx.t("open_space.view.taken") if (slot, space) in (held or ())
                      else ctx.t("open_space.view.free")
                      for slot in slots))
            for space in spaces
        )
        blocks: list[Block] = [Heading(ctx.t("open_space.view.marketplace")),
                               Table((ctx.t("open_space.space"), *slots), rows)]
        waiting = [n for n in topics if cell_of(n) is None]
        if waiting:
            blocks += [Heading(ctx.t("open_space.view.unplaced"), len(waiting)),
                       note_items(waiting, lambda n: n.data.get("convener", ""))]
        return blocks

    def _report_items(self, ctx: Context, topic: Note, report: Note | None) -> Items:
        """Who convened, what it was about, then the report's fields as its convener sent
        them (a moderated report shows as hidden on the console, and not in the memo)."""
        rows = [(topic, "convener", topic.data.get("convener", "")),
                (topic, "description", topic.data.get("description", ""))]
        if report is not None:
            rows += [(report, "summary", report.text),
                     (report, "proposals", report.data.get("proposals", "")),
                     (report, "next_steps", report.data.get("next_steps", "")),
                     (report, "participants", str(report.data.get("participants", "")))]
        return Items(tuple(Item(text, ctx.t(f"open_space.report.{key}"), note)
                           for note, key, text in rows if text), newest_first=False)

    def _session_heading(self, topic: Note) -> str:
        cell = cell_of(topic)
        return f"{cell[0]} · {cell[1]}: {topic.text}" if cell else topic.text

    def live_view(self, ctx: Context) -> list[Block]:
        topics = self._all_topics(ctx)  # the console: hidden ones marked, duplicates not
        held: set = set()
        if ctx.audience != "console":  # the room (projector) reads only what stands
            readable = {n.id for n in ctx.notes(kind="topic", merged_into=None)}
            held = {cell_of(n) for n in topics if n.id not in readable and cell_of(n)}
            topics = [n for n in topics if n.id in readable]
        blocks = self._market(ctx, topics, self._attendance(ctx), held=held)
        by_id = {n.id: n for n in topics}
        reports = [n for n in ctx.notes(kind="report") if n.ref_id in by_id]
        if reports:
            blocks.append(Text(ctx.t("open_space.view.reports", count=len(reports)), "strong"))
        for report in reversed(reports):  # the newest arrival on top
            topic = by_id[report.ref_id]  # type: ignore[index]
            blocks += [Heading(self._session_heading(topic)),
                       self._report_items(ctx, topic, report)]
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        topics = ctx.notes(kind="topic")
        if not topics:
            return []
        reports = {n.ref_id: n for n in ctx.notes(kind="report")}
        sessions = self._sessions(ctx, topics)
        waiting = [n for n in topics if cell_of(n) is None]
        unplaced = ctx.t("open_space.view.unplaced_cell")
        rows = tuple((n.text, n.data.get("convener", ""),
                      *(cell_of(n) or (unplaced, unplaced))) for n in sessions + waiting)
        blocks: list[Block] = [
            Text(ctx.t("open_space.view.marketplace"), "strong"),
            Table((ctx.t("open_space.report.topic"), ctx.t("open_space.report.convener"),
                   ctx.t("open_space.slot"), ctx.t("open_space.space")), rows),
        ]
        # A topic unplaced after its session reported still has its report: nothing lost.
        held = sessions + [n for n in waiting if n.id in reports]
        if held:
            blocks.append(Text(ctx.t("open_space.view.book"), "strong"))
        for topic in held:
            report = reports.get(topic.id)
            blocks += [Heading(self._session_heading(topic)),
                       self._report_items(ctx, topic, report)]
            if report is None:
                blocks.append(Text(ctx.t("open_space.view.no_report"), "muted"))
        return blocks

    # -- the facilitator's actions ------------------------------------------------------------

    def actions(self, ctx: Context) -> list[Action]:
        slots, spaces = self._grid(ctx)
        everything = self._all_topics(ctx)
        free = free_cells(slots, spaces, taken_cells(everything))
        out = []
        # Waiting topics first; placed ones can be moved too. Nothing is chosen in
        # advance: a guess the facilitator did not make is a wrong placing a key away.
        topics = sorted((n for n in everything if not n.hidden), key=lambda n: bool(cell_of(n)))
        if topics and free:
            out.append(Action("place", ctx.t("open_space.action.place"), (
                self._topic_field(ctx, topics),
                Field("cell", "select", ctx.t("open_space.field.cell"),
                      choices=tuple(_cell_key(slots, spaces, c) for c in free),
                      choice_labels=tuple(f"{slot} · {space}" for slot, space in free)),
            )))
        placed = self._sessions(ctx, everything)
        if placed:
            out.append(Action("unplace", ctx.t("open_space.action.unplace"),
                              (self._topic_field(ctx, placed),)))
            out.append(Action("report", ctx.t("open_space.action.report"), (
                self._topic_field(ctx, placed),
                Field("summary", "textarea", ctx.t("open_space.field.summary")),
                Field("proposals", "textarea", ctx.t("open_space.field.proposals"),
                      required=False),
                Field("next_steps", "textarea", ctx.t("open_space.field.next_steps"),
                      required=False),
                Field("participants", "number", ctx.t("open_space.field.participants"),
                      minimum=1, maximum=MAX_SESSION_PEOPLE),
            )))
        return out

    def _topic_field(self, ctx: Context, topics: list[Note]) -> Field:
        labels = []
        for topic in topics:
            cell = cell_of(topic)
            where = f"{cell[0]} · {cell[1]}" if cell else ctx.t("open_space.view.unplaced_cell")
            labels.append(f"{topic.text} ({topic.data.get('convener', '')}) — {where}")
        return Field("topic", "select", ctx.t("open_space.report.topic"),
                     choices=tuple(str(n.id) for n in topics), choice_labels=tuple(labels))

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        if action == "place":
            cell = _read_cell(posted, *self._grid(ctx))
            with ctx.store.transaction():
                topic = self._topic(ctx, posted.get("topic", ""))
                self._place(ctx, topic, cell)
            return ctx.t("open_space.done.placed", title=topic.text, slot=cell[0],
                         space=cell[1])
        if action == "unplace":
            with ctx.store.transaction():
                topic = self._topic(ctx, posted.get("topic", ""))
                if cell_of(topic) is None:
                    raise InvalidInput("open_space.error.not_placed", status=409)
                self._release(ctx, topic.id)
                ctx.store.update_note(topic.id, data={**topic.data, "slot": None,
                                                      "space": None})
            return ctx.t("open_space.done.unplaced", title=topic.text)
        if action == "report":
            receipt = self._report(ctx, posted.get("topic", ""), posted, by_convener=False)
            return ctx.t("open_space.done.reported", title=receipt.note.heading)
        raise InvalidInput("methods.error.unknown_action")


METHOD = OpenSpace()
