"""Prosessikävely (process walk): groups walk from station to station on a signal.

Each station (pysäkki) has a prompt. A group reads what the groups before it left at its
station and adds its own notes; when the facilitator moves the room on (`n`), every group
moves one station along (the rotation is `facilitator.domain.rotation`). The memo has the
notes per station, under the facilitator's summary of the station.

A note belongs to the station the group stood at when it was written. The phone's form
names that station, so a note typed while the room moved on is refused (its text kept)
instead of landing at a station the group has already left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from facilitator.domain import Activity, Group, Note
from facilitator.domain.rotation import station_of
from facilitator.methods.base import (
    MAX_NOTE_CHARS,
    Action,
    Block,
    ConfigKey,
    Context,
    Countdown,
    Field,
    Form,
    Heading,
    InvalidInput,
    Method,
    Posted,
    Receipt,
    Table,
    Text,
    View,
)
from facilitator.methods.groups import (
    GROUP_FORM,
    group_form,
    group_key,
    join_group,
    my_group,
    numbered_groups,
)
from facilitator.methods.question import read_text

NOTE_FORM = "note"
#: The facilitator's summary of one station: its `heading` is the station.
SUMMARY = "summary"
#: Action ids `summary-1` … : one per station, so its dialog opens with that station's
#: summary as written so far, to edit rather than retype.
SUMMARY_PREFIX = "summary-"
#: Minutes per round when the template does not say (the seed's workshop used 15).
DEFAULT_ROUND_MINUTES = 15


class ProcessWalk(Method):
    id = "process_walk"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "stations": ConfigKey("texts", 2, 12, help="each station's prompt, in walking order"),
        "groups": ConfigKey("int", 1, 50, help="how many groups walk (default: one a station)"),
        "rounds": ConfigKey("int", 1, 12, help="how many moves (default: one a station)"),
        "round_minutes": ConfigKey("int", 1, 240, help="minutes at each station"),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        if "stations" not in config:
            errors.append(("stations", "is required: the stations' prompts, 2–12 texts"))
        else:
            stations = len(config["stations"])
            rounds = config.get("rounds")
            if rounds is not None and rounds > stations:  # well formed: the schema passed
                errors.append(("rounds", f"must be at most the number of stations ({stations}),"
                                         f" not {rounds}: a group would come back to a station"))
        return errors

    # -- the walk's shape ------------------------------------------------------------------

    @staticmethod
    def stations(activity: Activity) -> tuple[str, ...]:
        return tuple(activity.config.get("stations", ()))

    def rounds(self, activity: Activity) -> int:
        return activity.config.get("rounds") or len(self.stations(activity))

    @staticmethod
    def minutes(activity: Activity) -> int:
        return activity.config.get("round_minutes") or DEFAULT_ROUND_MINUTES

    def groups(self, activity: Activity) -> tuple[str, ...]:
        # Numbered groups, each with its own link and QR code (the console's `g`).
        count = activity.config.get("groups") or len(self.stations(activity))
        return numbered_groups(count)

    def station_for(self, activity: Activity, group: Group) -> str:
        """Where `group` stands in the activity's current round."""
        stations = self.stations(activity)
        return stations[station_of(group.position, activity.round, len(stations))]

    def _deadline(self, activity: Activity) -> str:
        if not activity.round_started_at:
            return ""
        started = datetime.fromisoformat(activity.round_started_at)
        return (started + timedelta(minutes=self.minutes(activity))).isoformat()

    def _countdown(self, ctx: Context, activity: Activity) -> list[Block]:
        """While the walk runs, the time left until the next move (or the end)."""
        deadline = self._deadline(activity)
        if activity.state != "open" or not deadline:
            return []
        last = activity.round >= self.rounds(activity)
        label = ctx.t("process_walk.time_left" if last else "process_walk.time_to_move")
        return [Countdown(deadline, label)]

    @staticmethod
    def _meta(ctx: Context, names: dict[int, str]):
        said: dict[tuple, str] = {}  # a few groups and rounds label every note of a list

        def meta(note: Note) -> str:
            key = (note.group_id, note.round)
            if key not in said:
                group = names.get(note.group_id) if note.group_id is not None else None
                said[key] = (ctx.t("process_walk.meta_round", round=note.round)
                             if group is None else
                             ctx.t("process_walk.meta", group=group, round=note.round))
            return said[key]
        return meta

    # -- the phone ---------------------------------------------------------------------------

    def phone_key(self, ctx: Context) -> tuple:
        return group_key(ctx)  # the group's page: its station, its notes

    def participant_view(self, ctx: Context) -> View:
        activity = ctx.activity
        if activity.state != "open":
            return []
        group = my_group(ctx)
        if group is None:
            return [Text(ctx.t("process_walk.choose_group"), "muted"), group_form(ctx)]
        station = self.station_for(activity, group)
        rounds = self.rounds(activity)
        view: list = [
            Text(ctx.t("process_walk.you_are_at", round=activity.round, rounds=rounds,
                       station=station), "strong"),
            *self._countdown(ctx, activity),
        ]
        # Read when the page is drawn, the newest it shows: a station may hold thousands.
        here = ctx.count(kind="note", heading=station)
        if here:
            names = {g.id: g.name for g in ctx.store.groups(activity.id)}
            view += [Heading(ctx.t("process_walk.left_here"), here),
                     ctx.note_list(self._meta(ctx, names), count=here, kind="note",
                                   heading=station)]
        else:
            view.append(Text(ctx.t("process_walk.first_here"), "muted"))
        view.append(Form(
            NOTE_FORM,
            (
                # One choice, already chosen: it tells the server which station the
                # group was at when the page was drawn.
                Field("station", "choice", ctx.t("process_walk.field.station"),
                      choices=(station,)),
                Field("text", "textarea", ctx.t("process_walk.field.note")),
            ),
            ctx.t("methods.send"),
            values={"station": station},
        ))
        view.append(group_form(ctx))  # a phone in the wrong group can move
        return view

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        if form == GROUP_FORM:
            return join_group(ctx, posted)
        if ctx.participant is None:
            raise InvalidInput("methods.error.no_participant", status=403)
        text = read_text(posted, "text")
        posted_station = posted.get("station", "")
        # Checked and written under the write lock: a move between the two cannot slip in.
        with ctx.store.transaction():
            activity = ctx.store.activity(ctx.activity.id)
            group = my_group(ctx)
            if group is None:
                raise InvalidInput("methods.error.choose_group", status=422)
            station = self.station_for(activity, group)
            if posted_station != station:
                params = {"station": station, "round": activity.round,
                          "rounds": self.rounds(activity)}
                if posted_station in self.stations(activity):  # the room moved on meanwhile
                    raise InvalidInput("process_walk.error.moved", status=409, **params)
                raise InvalidInput("process_walk.error.choose_station", status=422, **params)
            note = ctx.add_note(text, station, kind="note", round=activity.round,
                                group_id=group.id)
        return Receipt(note)

    # -- the console -------------------------------------------------------------------------

    def _grid(self, ctx: Context, activity: Activity) -> list[Block]:
        """Stations × rounds: the numbers of the groups standing where, current round marked.

        Numbers, not names or prompts, so the grid fits beside the programme; the stations'
        headings below carry the same numbers."""
        stations = self.stations(activity)
        groups = ctx.store.groups(activity.id)
        rounds = range(1, self.rounds(activity) + 1)
        headers = (ctx.t("process_walk.field.station"),
                   *(f"▶ {r}" if r == activity.round else str(r) for r in rounds))
        rows = []
        for index in range(len(stations)):
            cells = [", ".join(str(g.position + 1) for g in groups
                               if station_of(g.position, r, len(stations)) == index) or "–"
                     for r in rounds]
            rows.append((str(index + 1), *cells))
        return [Text(ctx.t("process_walk.grid"), "muted"), Table(headers, tuple(rows))]

    def _stations(self, ctx: Context, live: bool) -> list[Block]:
        """Per station: its summary, then its notes (the console counts them, newest first;
        the memo lists them in order). A station nobody wrote at stays in the memo: that
        nothing was said there is itself a result of the walk."""
        activity = ctx.activity
        names = {g.id: g.name for g in ctx.store.groups(activity.id)}
        summaries = {n.heading: n for n in ctx.notes(kind=SUMMARY) if n.text}
        written = ctx.count_by("heading", kind="note")  # per station, counted in SQL
        if not live and not written and not summaries:
            return []  # the walk never ran: the memo says so once for the activity
        blocks: list[Block] = []
        stations = self.stations(activity)
        # A station no longer in the template keeps its notes, after the others.
        for station in [*stations, *sorted(h for h in written if h not in stations)]:
            summary = summaries.get(station)
            count = written.get(station, 0)
            if live and station in stations:  # numbered as in the grid
                title = f"{stations.index(station) + 1}. {station}"
            else:
                title = station or ctx.t("methods.other")
            blocks.append(Heading(title, count if live else None))
            if summary is not None:
                blocks.append(Text(summary.text, "summary"))
            if count:
                blocks.append(ctx.note_list(self._meta(ctx, names), newest_first=live,
                                            count=count, kind="note", heading=station,
                                            by_theme=not live))
            elif not live and summary is None:
                blocks.append(Text(ctx.t("process_walk.nothing_here"), "muted"))
        return blocks

    def live_view(self, ctx: Context) -> list[Block]:
        activity = ctx.activity
        rounds = self.rounds(activity)
        blocks: list[Block] = [
            Text(ctx.t("process_walk.round", round=activity.round, rounds=rounds), "strong"),
            *self._countdown(ctx, activity),
            *self._grid(ctx, activity),
        ]
        if not ctx.count(kind="note"):
            blocks.append(Text(ctx.t("methods.no_notes_yet"), "muted"))
        return blocks + self._stations(ctx, live=True)

    def memo_view(self, ctx: Context) -> list[Block]:
        return self._stations(ctx, live=False)

    def count(self, ctx: Context) -> int:
        return ctx.count(kind="note")

    # -- the facilitator's actions -----------------------------------------------------------

    def actions(self, ctx: Context) -> list[Action]:
        activity = ctx.activity
        actions = []
        if activity.state == "open":  # opening starts round 1; moves mean nothing before
            rounds = self.rounds(activity)
            actions += [
                Action("next_round", ctx.t("process_walk.action.next_round",
                                           round=activity.round, rounds=rounds)),
                Action("restart_timer", ctx.t("process_walk.action.restart_timer",
                                              minutes=self.minutes(activity))),
            ]
        summaries = {n.heading: n.text for n in ctx.notes(kind=SUMMARY)}
        field = Field("text", "textarea", ctx.t("process_walk.field.summary"), required=False)
        for number, station in enumerate(self.stations(activity), start=1):
            actions.append(Action(
                f"{SUMMARY_PREFIX}{number}",
                ctx.t("process_walk.action.summary", station=station),
                (field,),
                {"text": summaries.get(station, "")},
            ))
        return actions

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        store = ctx.store
        if action in ("next_round", "restart_timer"):
            with store.transaction():  # the round read is the round moved from
                activity = store.activity(ctx.activity.id)
                rounds = self.rounds(activity)
                if activity.state != "open":
                    raise InvalidInput("process_walk.error.not_open")
                if action == "restart_timer":
                    store.set_round(activity.id, activity.round)
                    return ctx.t("process_walk.done.restart_timer", round=activity.round,
                                 rounds=rounds, minutes=self.minutes(activity))
                if activity.round >= rounds:
                    raise InvalidInput("process_walk.error.last_round", rounds=rounds)
                store.set_round(activity.id, activity.round + 1)
            return ctx.t("process_walk.done.next_round", round=activity.round + 1, rounds=rounds)
        if action.startswith(SUMMARY_PREFIX):
            return self._write_summary(ctx, action.removeprefix(SUMMARY_PREFIX), posted)
        raise InvalidInput("methods.error.unknown_action")

    def _write_summary(self, ctx: Context, number: str, posted: Posted) -> str:
        stations = self.stations(ctx.activity)
        if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= len(stations):
            raise InvalidInput("methods.error.unknown_action")
        station = stations[int(number) - 1]
        text = read_text(posted, "text", required=False, limit=MAX_NOTE_CHARS)
        store = ctx.store
        # One summary per station: rewriting it replaces the text, never adds a second.
        with store.transaction():
            existing = ctx.all_notes(kind=SUMMARY, heading=station)
            if existing:
                store.update_note(existing[-1].id, text=text)
            elif text:
                ctx.add_note(text, station, kind=SUMMARY, round=ctx.activity.round)
            else:
                raise InvalidInput("methods.error.empty_note")
        key = "process_walk.done.summary" if text else "process_walk.done.summary_cleared"
        return ctx.t(key, station=station)


METHOD = ProcessWalk()
