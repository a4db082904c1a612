"""Verkkokeskustelu (online discussion): teams answer questions over days, then read and
comment on the other teams' answers.

A phone first joins a team (chooses one or types a new name; the others in the team
choose the same). The team answers each question; only once it has answered a question
does it see the other teams' answers to it, so no team copies another's first thoughts,
and then it can comment on them. It runs headless under `facilitator serve`: nothing
here needs the console. The console marks what arrived since the facilitator last
marked everything read (a setting kept in the database, so it survives restarts and is
shared by every console on the same file).

Each question has its own form (`answer-1`, `answer-2`, …) and each answer its own
comment form (`comment-<answer id>`): the page matches a refusal to the form by its name
and makes the inputs' ids from it, so forms must not share a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from facilitator.domain import Group, Note
from facilitator.methods.base import (
    PHONE_LIST_LIMIT,
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
    Text,
    View,
)
from facilitator.methods.groups import GROUP_FORM, group_form, group_key, join_group, my_group
from facilitator.methods.question import read_text
from facilitator.storage.store import parse_id

ANSWER = "answer"
COMMENT = "comment"


def questions(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.activity.config.get("questions", ()))


def comments_on(ctx: Context) -> bool:
    return bool(ctx.activity.config.get("comments", True))


def _seen_key(activity_id: int) -> str:
    return f"discussion.seen.{activity_id}"


class Discussion(Method):
    id = "discussion"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "questions": ConfigKey("texts", 1, 12, help="the questions each team answers"),
        "comments": ConfigKey("bool", help="teams may comment on others' answers"),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        if "questions" not in config:
            errors.append(("questions", "required: the questions each team answers (1–12)"))
        return errors

    # -- the phone -----------------------------------------------------------------------------

    def phone_key(self, ctx: Context) -> tuple:
        return group_key(ctx)  # the group's page: its answers and comments

    def participant_view(self, ctx: Context) -> View:
        if ctx.activity.state != "open":
            # Answering is over, so reading no longer sways anyone: all of it, read-only.
            return self._reading(ctx)
        team = my_group(ctx)
        if team is None:
            return [
                Text(ctx.t("discussion.join_first")),
                Text(ctx.t("discussion.questions_are"), "strong"),
                Items(tuple(Item(q) for q in questions(ctx)), newest_first=False),
                group_form(ctx, new_names=True),
            ]
        names = _team_names(ctx)
        answered = _answered(ctx, team)
        view: list[Block | Form] = [Text(ctx.t("discussion.team", name=team.name), "strong")]
        for number, question in enumerate(questions(ctx), start=1):
            # The team's own answers, and once it has answered, the newest of the others':
            # a page costs what it shows, however many teams have written.
            own = ctx.notes(kind=ANSWER, heading=question, group_id=team.id)
            others, more = [], 0
            if question in answered:
                count = ctx.count(kind=ANSWER, heading=question) - len(own)
                newest = ctx.notes(kind=ANSWER, heading=question, newest_first=True,
                                   limit=PHONE_LIST_LIMIT + len(own))
                others = [a for a in newest if a.group_id != team.id][:PHONE_LIST_LIMIT]
                others.reverse()  # a discussion reads in the order it was written
                more = count - len(others)
            comments = _comments_on(ctx, [*own, *others])
            view.append(Heading(question))
            for answer in own:
                view.append(_thread(ctx, answer, comments, names))
            label = "discussion.field.more" if own else "discussion.field.answer"
            view.append(Form(f"{ANSWER}-{number}", (Field("text", "textarea", ctx.t(label)),),
                             ctx.t("discussion.send_answer")))
            if question not in answered:
                view.append(Text(ctx.t("discussion.others_after"), "muted"))
                continue
            view.append(Text(ctx.t("discussion.others", count=len(others) + more), "strong")
                        if others else Text(ctx.t("discussion.no_others"), "muted"))
            if more:
                view.append(Text(ctx.t("discussion.older", count=more), "muted"))
            for answer in others:
                view.append(_thread(ctx, answer, comments, names))
                if comments_on(ctx):
                    label = ctx.t("discussion.field.comment", team=_name(names, answer))
                    view.append(Form(f"{COMMENT}-{answer.id}",
                                     (Field("text", "textarea", label),),
                                     ctx.t("discussion.send_comment"),
                                     folded=ctx.t("discussion.comment_open")))
        view.append(group_form(ctx, new_names=True))
        return view

    def _reading(self, ctx: Context) -> View:
        """What phones read once the discussion is closed: the memo's section as this
        phone may see it, the newest answers of each question with their comments."""
        if not ctx.count(kind=ANSWER):
            return []
        # The questions answered, counted from an index alone (the room's, not this
        # phone's: only to find answers under a question no longer asked).
        counts = ctx.store.count_notes_by(ctx.activity.id, "heading", visible="public",
                                          kind=ANSWER)
        names = _team_names(ctx)
        blocks: list[Block | Form] = []
        asked = questions(ctx)
        for question in [*asked, *sorted(h for h in counts if h not in asked)]:
            blocks.append(Heading(question))
            answers = ctx.notes(kind=ANSWER, heading=question, newest_first=True,
                                limit=PHONE_LIST_LIMIT)[::-1]
            if not answers:
                blocks.append(Text(ctx.t("discussion.no_answers"), "muted"))
                continue
            more = ctx.count(kind=ANSWER, heading=question) - len(answers)
            if more > 0:
                blocks.append(Text(ctx.t("discussion.older", count=more), "muted"))
            comments = _comments_on(ctx, answers)
            for title, group in ctx.in_themes(answers) or [("", answers)]:
                if title:
                    blocks.append(Heading(title, level=2))
                blocks += [_thread(ctx, a, comments, names) for a in group]
        return blocks

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        if form == GROUP_FORM:
            with ctx.store.transaction():
                before = my_group(ctx)
                receipt = join_group(ctx, posted, new_names=True)
                after = my_group(ctx)
                # Moving into a team that has answered what yours has not would show its
                # answers before your own team gives one: refused, and the move undone.
                if (before and after and after.id != before.id
                        and _answered(ctx, after) - _answered(ctx, before)):
                    raise InvalidInput("discussion.error.switch_ahead", status=409,
                                       team=before.name)
            return receipt
        kind, _, target = form.partition("-")
        if kind not in (ANSWER, COMMENT):
            raise InvalidInput("discussion.error.unknown_form", status=422)
        text = read_text(posted, "text")
        if ctx.participant is None:
            raise InvalidInput("methods.error.no_participant", status=403)
        with ctx.store.transaction():  # the checks and the write stand together
            team = my_group(ctx)
            if team is None:
                raise InvalidInput("discussion.error.no_team", status=409)
            if kind == ANSWER:
                return Receipt(self._answer(ctx, team, target, text))
            return Receipt(self._comment(ctx, team, target, text))

    def _answer(self, ctx: Context, team: Group, target: str, text: str) -> Note:
        number = parse_id(target)
        asked = questions(ctx)
        if number is None or not 1 <= number <= len(asked):
            raise InvalidInput("discussion.error.no_question", status=422)
        return ctx.add_note(text, asked[number - 1], kind=ANSWER, group_id=team.id)

    def _comment(self, ctx: Context, team: Group, target: str, text: str) -> Note:
        if not comments_on(ctx):
            raise InvalidInput("discussion.error.no_comments", status=403)
        answer_id = parse_id(target)
        # Only an answer this phone may read takes its comments (a moderated one is gone).
        readable = ctx.notes(kind=ANSWER, id=answer_id) if answer_id is not None else []
        if not readable:
            raise InvalidInput("discussion.error.no_answer", status=422)
        answer = readable[0]
        # Comments are the teams' exchange; a team adds to its own answer with another one.
        if answer.group_id == team.id:
            raise InvalidInput("discussion.error.own_answer", status=422)
        if answer.heading not in _answered(ctx, team):
            raise InvalidInput("discussion.error.answer_first", status=409)
        return ctx.add_note(text, answer.heading, kind=COMMENT, group_id=team.id,
                            ref_id=answer.id)

    # -- the console ---------------------------------------------------------------------------

    def live_view(self, ctx: Context) -> list[Block]:
        notes = ctx.notes()
        comments = _comments(ctx, notes)
        seen = self._seen(ctx)
        unread = ctx.store.count_notes(ctx.activity.id, visible="public", after_id=seen)
        teams = ctx.store.groups(ctx.activity.id)
        blocks: list[Block] = [
            Text(ctx.t("discussion.teams", count=len(teams),
                       names=", ".join(g.name for g in teams)) if teams
                 else ctx.t("discussion.no_teams"), "muted"),
        ]
        if ctx.audience == "console":  # what the facilitator has read; not the room's
            blocks.insert(0, Text(ctx.t("discussion.unread", count=unread), "strong")
                          if unread else Text(ctx.t("discussion.nothing_new"), "muted"))
        names = {g.id: g.name for g in teams}
        for question, answers in _by_question(ctx, notes).items():
            blocks.append(Heading(question, len(answers)))
            if not answers:
                blocks.append(Text(ctx.t("methods.no_notes_yet"), "muted"))
            # Newest thread first, as everywhere on the console; a thread reads in order.
            for answer in reversed(answers):
                blocks.append(_thread(ctx, answer, comments, names,
                                      seen=seen if ctx.audience == "console" else None))
        return blocks

    def actions(self, ctx: Context) -> list[Action]:
        return [Action("mark_read", ctx.t("discussion.action.mark_read"))]

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        if action != "mark_read":
            raise InvalidInput("methods.error.unknown_action")
        notes = ctx.all_notes()
        seen = self._seen(ctx)
        newest = max((n.id for n in notes), default=0)
        marked = ctx.store.count_notes(ctx.activity.id, visible="public", after_id=seen)
        if newest > seen:
            ctx.store.set_setting(_seen_key(ctx.activity.id), str(newest))
        return ctx.t("discussion.marked", count=marked)

    def _seen(self, ctx: Context) -> int:
        return parse_id(ctx.store.setting(_seen_key(ctx.activity.id))) or 0

    # -- the memo ------------------------------------------------------------------------------

    def memo_view(self, ctx: Context) -> list[Block]:
        return _all_answers(ctx, ctx.notes())  # the memo's: nothing moderated


# -- shared pieces ---------------------------------------------------------------------------


def _team_names(ctx: Context) -> dict[int, str]:
    return {g.id: g.name for g in ctx.store.groups(ctx.activity.id)}


def _name(names: dict[int, str], note: Note) -> str:
    return names.get(note.group_id or 0, "")


def _answered(ctx: Context, team: Group) -> set[str]:
    """The questions the team has answered. A hidden answer counts: moderation removes
    the answer, it does not lock the team out of reading the others again."""
    return {n.heading for n in ctx.all_notes(kind=ANSWER, group_id=team.id)}


def _by_question(ctx: Context, notes: list[Note]) -> dict[str, list[Note]]:
    """Answers under each question in the template's order; an answer under a question no
    longer asked still keeps its place, after the others (nothing is lost)."""
    out: dict[str, list[Note]] = {q: [] for q in questions(ctx)}
    for note in notes:
        if note.kind == ANSWER:
            out.setdefault(note.heading, []).append(note)
    return out


def _all_answers(ctx: Context, notes: list[Note]) -> list[Block]:
    """Every question with its answers and their comments; nothing when none came."""
    if not any(n.kind == ANSWER for n in notes):
        return []
    comments = _comments(ctx, notes)
    names = _team_names(ctx)
    blocks: list[Block] = []
    for question, answers in _by_question(ctx, notes).items():
        blocks.append(Heading(question))
        if not answers:
            blocks.append(Text(ctx.t("discussion.no_answers"), "muted"))
        # Under the answers' themes where the facilitator has made some (the memo's).
        for title, group in ctx.in_themes(answers) or [("", answers)]:
            if title:
                blocks.append(Heading(title, level=2))
            blocks += [_thread(ctx, a, comments, names) for a in group]
    return blocks


def _comments(ctx: Context, notes: list[Note]) -> dict[int, list[Note]]:
    """Comments by the answer they are on, in the order written; a comment on an answer
    merged into another is on that one. Worked out once per page: scanning every note for
    each answer was quadratic in a long discussion."""
    into = {n.id: n.merged_into for n in notes if n.kind == ANSWER and n.merged_into}
    if ctx.audience != "console":  # merged answers are not among what the others read
        into = {n.id: n.merged_into for n in ctx.all_notes(kind=ANSWER)
                if n.merged_into is not None}
    grouped: dict[int, list[Note]] = {}
    for note in notes:
        if note.kind == COMMENT and note.ref_id is not None:
            grouped.setdefault(into.get(note.ref_id, note.ref_id), []).append(note)
    return grouped


def _comments_on(ctx: Context, answers: list[Note]) -> dict[int, list[Note]]:
    """The comments on these answers (and on answers merged into them), by the answer
    they show under, in the order written: what a phone's page shows, read by what the
    comments are on, not by reading the whole discussion."""
    if not answers:
        return {}
    shown = tuple(a.id for a in answers)
    into = {n.id: n.merged_into for n in ctx.all_notes(kind=ANSWER, merged_into=shown)}
    grouped: dict[int, list[Note]] = {}
    for note in ctx.notes(kind=COMMENT, ref_id=shown + tuple(into)):
        grouped.setdefault(into.get(note.ref_id, note.ref_id), []).append(note)
    return grouped


def _thread(
    ctx: Context, answer: Note, comments: dict[int, list[Note]], names: dict[int, str],
    seen: int | None = None,
) -> Items:
    """An answer and the comments on it, in the order written. With `seen` (the console),
    what came after the facilitator last marked everything read is marked new."""

    def team(note: Note) -> str:
        name = _name(names, note)
        return ctx.t("discussion.new", team=name) if seen is not None and note.id > seen else name

    items = [Item(answer.text, team(answer), answer)]
    items += [Item(c.text, ctx.t("discussion.comment_by", team=team(c)), c)
              for c in comments.get(answer.id, ())]
    return Items(tuple(items), newest_first=False)


METHOD = Discussion()
