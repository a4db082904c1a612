"""Tunnerivi (emotion line): each participant places themself on a labelled line, e.g.
*huolestuttaa* … *innostaa*, and may say why; the room does it again in a later round
and the console shows how the line moved.

A position is a note of kind "position" with `data["position"]` the step (1 = the left
end) or None for "en osaa sanoa", `round` the activity's round and the reason as its text.
Moving is posting again: every post is kept, the participant's latest one in a round is
where they stand.

The median is the ordinary one: with an even count it is the mean of the two middle
positions, so it can fall between two steps (2.5: "between mietityttää and neutraali").
A lower median would always be a step, but it leans to the left end and would show a
move between rounds that did not happen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, ClassVar

from facilitator.domain import Note
from facilitator.methods.base import (
    Action,
    Bars,
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
)
from facilitator.methods.question import read_choice, read_text

KIND = "position"
DONT_KNOW = "dont_know"
DEFAULT_STEPS = 5


# -- pure rules ------------------------------------------------------------------------------


def median(positions: Iterable[int]) -> float | None:
    """The middle position; with an even count the mean of the two middle ones."""
    ordered = sorted(positions)
    if not ordered:
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def mean(positions: Iterable[int]) -> float | None:
    values = list(positions)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Movement:
    """How the people on the line in both rounds moved from the first to the second."""

    left: int = 0  # towards the left end (a smaller step)
    stayed: int = 0
    right: int = 0

    @property
    def both(self) -> int:
        return self.left + self.stayed + self.right


def movement(before: Mapping[Any, int | None], after: Mapping[Any, int | None]) -> Movement:
    """Compare each participant's positions (None: "en osaa sanoa", left out)."""
    left = stayed = right = 0
    for who, then in before.items():
        now = after.get(who)
        if then is None or now is None:
            continue
        if now < then:
            left += 1
        elif now > then:
            right += 1
        else:
            stayed += 1
    return Movement(left, stayed, right)


def latest(notes: Iterable[Note], round: int) -> list[Note]:
    """Each participant's latest position in the round, in the order they were given."""
    by_who: dict[Any, Note] = {}
    for note in notes:
        if note.kind == KIND and note.round == round:
            # A note without a participant (typed in by hand) is one person of its own.
            who = note.participant_id if note.participant_id is not None else ("note", note.id)
            by_who.pop(who, None)
            by_who[who] = note
    return list(by_who.values())


@dataclass(frozen=True)
class Line:
    """The line an activity's config describes: a label per step, and the rounds."""

    labels: tuple[str, ...]
    dont_know: bool
    rounds: tuple[str, ...]

    @property
    def steps(self) -> int:
        return len(self.labels)

    def position(self, note: Note) -> int | None:
        """The step a note stands on; None for "en osaa sanoa" (or a value off the line)."""
        value = note.data.get("position")
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= self.steps:
            return value
        return None

    def round_name(self, ctx: Context, n: int) -> str:
        return self.rounds[n - 1] if 1 <= n <= len(self.rounds) else ctx.t(
            "emotion_line.round_n", n=n)

    def describe(self, ctx: Context, value: float | None) -> str:
        """A median in words: a step's label, or the two steps it falls between."""
        if value is None:
            return "–"
        if value == int(value):
            return self.labels[int(value) - 1]
        return ctx.t("emotion_line.between", left=self.labels[math.floor(value) - 1],
                     right=self.labels[math.ceil(value) - 1])


def line_of(ctx: Context) -> Line:
    config = ctx.activity.config
    if "scale" in config:
        labels = list(config["scale"])
    else:
        left, right = config.get("ends") or (ctx.t("emotion_line.default.left"),
                                             ctx.t("emotion_line.default.right"))
        steps = config.get("steps", DEFAULT_STEPS)
        # Only the ends have words; the steps between are numbered, the ends too, so
        # "2" reads as the second step of the line.
        labels = [f"1 {left}", *(str(k) for k in range(2, steps)), f"{steps} {right}"]
    emoji = config.get("emoji")
    if emoji:
        labels = [f"{e} {label}" for e, label in zip(emoji, labels, strict=True)]
    rounds = config.get("rounds") or (ctx.t("emotion_line.default.first_round"),
                                      ctx.t("emotion_line.default.last_round"))
    return Line(tuple(labels), bool(config.get("dont_know", True)), tuple(rounds))


def _number(ctx: Context, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ctx.t("emotion_line.decimal_point"))


def _towards(ctx: Context, label: str) -> str:
    """"Siirtyi huolestuneemmaksi" where the catalogue knows the end's word, else
    "Siirtyi kohti: …" (an end's label cannot be inflected by rule)."""
    key = f"emotion_line.towards.{label.strip().casefold()}"
    known = ctx.t(key)
    return known if known != key else ctx.t("emotion_line.col.towards", label=label)


# -- the method -------------------------------------------------------------------------------


class EmotionLine(Method):
    id = "emotion_line"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "scale": ConfigKey("texts", 2, 11, help="a label for every step, left to right"),
        "ends": ConfigKey("texts", 1, 100, help="[left, right]: the ends' labels"),
        "steps": ConfigKey("int", 3, 11, help="steps with ends (default 5)"),
        "emoji": ConfigKey("texts", 1, 100, help="one per step"),
        "dont_know": ConfigKey("bool", help="offer 'en osaa sanoa' (default true)"),
        "rounds": ConfigKey("texts", 1, 5, help="round names"),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        if "scale" in config and ("ends" in config or "steps" in config):
            key = "ends" if "ends" in config else "steps"
            return [(key, "use either scale or ends+steps, not both")]
        if "ends" in config and len(config["ends"]) != 2:
            return [("ends", f"must be [left, right]: 2 texts, not {len(config['ends'])}")]
        steps = len(config["scale"]) if "scale" in config else config.get("steps", DEFAULT_STEPS)
        if "emoji" in config and len(config["emoji"]) != steps:
            return [("emoji", f"must have {steps} items (one per step), not"
                              f" {len(config['emoji'])}")]
        return []

    # -- phones --

    def participant_view(self, ctx: Context) -> View:
        if ctx.activity.state != "open":
            return []
        line = line_of(ctx)
        view: list = self._round_title(ctx, line)
        choices = self._choices(ctx, line)
        fields = (
            Field("position", "scale", ctx.t("emotion_line.field.position"),
                  choices=tuple(choices), choice_labels=tuple(choices.values())),
            Field("reason", "textarea", ctx.t("emotion_line.field.reason"), required=False),
            # The round the page was drawn in: a page left open over "next round" must
            # not place last round's answer in the new one.
            Field("round", "hidden", ""),
        )
        mine = self._mine(ctx)
        drawn = {"round": str(ctx.activity.round)}
        if mine is None:
            return [*view, Form(KIND, fields, ctx.t("methods.send"), drawn)]
        # Where they stand now, chosen already: moving is choosing another step.
        step = line.position(mine)
        values = {"position": str(step) if step else DONT_KNOW, "reason": mine.text, **drawn}
        title = ctx.t("emotion_line.yours", label=self._label(ctx, line, step))
        return [*view, Form(KIND, fields, ctx.t("emotion_line.move"), values, title)]

    def _mine(self, ctx: Context) -> Note | None:
        if ctx.participant is None:
            return None
        # All of one's own, a moderated one too: it is still where one last stood.
        found = latest(ctx.all_notes(participant_id=ctx.participant.id), ctx.activity.round)
        return found[0] if found else None

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        if ctx.participant is None:
            raise InvalidInput("methods.error.no_participant", status=403)
        line = line_of(ctx)
        drawn = posted.get("round", "")
        if drawn and drawn != str(ctx.activity.round):
            raise InvalidInput("emotion_line.error.round_moved", status=409,
                               name=line.round_name(ctx, ctx.activity.round))
        chosen = read_choice(posted, "position", self._choices(ctx, line),
                             "emotion_line.error.choose_position")
        reason = read_text(posted, "reason", required=False)
        step = None if chosen == DONT_KNOW else int(chosen)
        # The label as the heading: the receipt and the raw exports read on their own.
        note = ctx.add_note(reason, self._label(ctx, line, step), kind=KIND,
                            round=ctx.activity.round, data={"position": step})
        return Receipt(note)

    # -- console --

    def count(self, ctx: Context) -> int:
        return len(self._placed(self._all_notes(ctx), ctx.activity.round))

    def live_view(self, ctx: Context) -> list[Block]:
        line = line_of(ctx)
        notes = self._all_notes(ctx)
        current = ctx.activity.round
        blocks: list[Block] = self._round_title(ctx, line)
        placed = self._placed(notes, current)
        blocks += self._distribution(ctx, line, placed)
        if not placed:
            blocks.append(Text(ctx.t("methods.no_notes_yet"), "muted"))
        if current >= 2:
            blocks += self._shift(ctx, line, notes, range(1, current + 1))
        shown = self._shown(ctx, notes, current)
        for label, under in self._by_position(ctx, line, shown):
            blocks.append(Heading(label, len(under)))
            blocks.append(Items(tuple(Item(n.text, "", n) for n in under)))
        return blocks

    # -- memo --

    def memo_view(self, ctx: Context) -> list[Block]:
        line = line_of(ctx)
        notes = self._all_notes(ctx)
        rounds = [n for n in sorted({note.round for note in notes if note.kind == KIND})
                  if self._placed(notes, n)]
        blocks: list[Block] = []
        for n in rounds:
            placed = self._placed(notes, n)
            blocks.append(Heading(line.round_name(ctx, n), len(placed)))
            blocks += self._distribution(ctx, line, placed)
        if len(rounds) >= 2:
            blocks += self._shift(ctx, line, notes, rounds)
        for n in rounds:
            reasons = self._by_position(ctx, line, self._shown(ctx, notes, n))
            if not reasons:
                continue
            blocks.append(Heading(ctx.t("emotion_line.reasons", round=line.round_name(ctx, n))))
            items = [Item(note.text, label, note) for label, under in reasons for note in under]
            blocks.append(Items(tuple(items), newest_first=False))
        return blocks

    # -- facilitator --

    def actions(self, ctx: Context) -> list[Action]:
        line = line_of(ctx)
        n = ctx.activity.round
        actions = []
        if n < len(line.rounds):
            actions.append(Action("next_round", ctx.t(
                "emotion_line.action.next_round", name=line.round_name(ctx, n + 1))))
        if n > 1:
            actions.append(Action("previous_round", ctx.t(
                "emotion_line.action.previous_round", name=line.round_name(ctx, n - 1))))
        return actions

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        if action not in ("next_round", "previous_round"):
            raise InvalidInput("methods.error.unknown_action")
        line = line_of(ctx)
        # Check and move at once: two consoles pressing `n` together move one round.
        with ctx.store.transaction():
            n = ctx.store.activity(ctx.activity.id).round
            if action == "next_round" and n >= len(line.rounds):
                raise InvalidInput("emotion_line.error.last_round", name=line.round_name(ctx, n))
            if action == "previous_round" and n <= 1:
                raise InvalidInput("emotion_line.error.first_round")
            n = n + 1 if action == "next_round" else n - 1
            ctx.store.set_round(ctx.activity.id, n)
        return ctx.t("emotion_line.done.round", name=line.round_name(ctx, n))

    # -- shared pieces --

    @staticmethod
    def _all_notes(ctx: Context) -> list[Note]:
        # Moderated ones too, though the memo shows none: a hidden latest position still
        # means its author moved away from the earlier one, which must not count again.
        return ctx.all_notes(kind=KIND)

    @staticmethod
    def _placed(notes: list[Note], round: int) -> list[Note]:
        """Where people stand in a round: each one's latest position, if it counts (a
        hidden or not yet approved one does not; one whose reason was merged does)."""
        return [n for n in latest(notes, round) if not (n.hidden or n.pending)]

    @staticmethod
    def _shown(ctx: Context, notes: list[Note], round: int) -> list[Note]:
        """The latest positions whose reasons this reader may see (the context decides)."""
        seen = {n.id for n in ctx.notes(kind=KIND, round=round)}
        return [n for n in latest(notes, round) if n.id in seen]

    def _choices(self, ctx: Context, line: Line) -> dict[str, str]:
        """What a phone posts for each place on the line, and what it reads."""
        choices = {str(k): label for k, label in enumerate(line.labels, 1)}
        if line.dont_know:
            choices[DONT_KNOW] = ctx.t("emotion_line.dont_know")
        return choices

    def _label(self, ctx: Context, line: Line, step: int | None) -> str:
        return line.labels[step - 1] if step else ctx.t("emotion_line.dont_know")

    def _round_title(self, ctx: Context, line: Line) -> list[Block]:
        """Which round the room is in; nothing to say when the line has only one."""
        n, total = ctx.activity.round, len(line.rounds)
        if n == 1 and total == 1:
            return []
        title = ctx.t("emotion_line.round", n=n, total=max(n, total), name=line.round_name(ctx, n))
        return [Text(title, "strong")]

    def _distribution(self, ctx: Context, line: Line, placed: list[Note]) -> list[Block]:
        steps = [s for s in (line.position(n) for n in placed) if s is not None]
        middle = median(steps)
        marker = line.labels[int(middle) - 1] if middle is not None and middle.is_integer() else ""
        bars = Bars(tuple((label, steps.count(k)) for k, label in enumerate(line.labels, 1)),
                    marker)
        parts = [ctx.t("emotion_line.on_line", count=len(steps))]
        if line.dont_know:
            parts.append(ctx.t("emotion_line.dont_know_count", count=len(placed) - len(steps)))
        if steps:
            parts.append(ctx.t("emotion_line.median", value=line.describe(ctx, middle)))
            parts.append(ctx.t("emotion_line.mean", value=_number(ctx, mean(steps))))
        blocks: list[Block] = [bars, Text(" · ".join(parts))]
        if marker:  # the bars mark the median's step with ◆: say what it means
            blocks.append(Text(ctx.t("emotion_line.legend"), "muted"))
        return blocks

    def _shift(self, ctx: Context, line: Line, notes: list[Note], rounds: Iterable[int]
               ) -> list[Block]:
        rounds = list(rounds)
        placed = {n: self._placed(notes, n) for n in rounds}
        stats = []
        for n in rounds:
            steps = [s for s in map(line.position, placed[n]) if s is not None]
            stats.append((line.round_name(ctx, n), str(len(steps)),
                          line.describe(ctx, median(steps)), _number(ctx, mean(steps))))
        # Who moved can only be told for people known across rounds (their device).
        where = {n: {note.participant_id: line.position(note)
                     for note in placed[n] if note.participant_id is not None}
                 for n in rounds}
        moves = []
        for first, second in pairwise(rounds):
            m = movement(where[first], where[second])
            name = f"{line.round_name(ctx, first)} → {line.round_name(ctx, second)}"
            moves.append((name, str(m.both), str(m.left), str(m.stayed), str(m.right)))
        return [
            Heading(ctx.t("emotion_line.shift")),
            Table((ctx.t("emotion_line.col.round"), ctx.t("emotion_line.col.on_line"),
                   ctx.t("emotion_line.col.median"), ctx.t("emotion_line.col.mean")),
                  tuple(stats)),
            Table((ctx.t("emotion_line.col.rounds"), ctx.t("emotion_line.col.both"),
                   _towards(ctx, line.labels[0]), ctx.t("emotion_line.col.stayed"),
                   _towards(ctx, line.labels[-1])), tuple(moves)),
        ]

    def _by_position(self, ctx: Context, line: Line, notes: Sequence[Note]
                     ) -> list[tuple[str, list[Note]]]:
        """The reasons given, under the step they were given at, left to right, then
        "en osaa sanoa"; steps nobody explained are left out."""
        by_step: dict[int | None, list[Note]] = {}
        for note in notes:
            if note.text:
                by_step.setdefault(line.position(note), []).append(note)
        return [(self._label(ctx, line, step), by_step[step])
                for step in [*range(1, line.steps + 1), None] if step in by_step]


METHOD = EmotionLine()
