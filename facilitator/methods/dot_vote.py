"""Äänestys (dot vote): each participant spreads N dots over the template's options.

The flip-chart version is a sheet of options and a strip of dot stickers per person. Here
a phone holds the strip: without stacking it ticks up to N options (one dot each); with
stacking it gives each option a number of dots. A participant can change their dots until
the vote closes; each post replaces all of their dots at once (`Store.set_votes`).

The room does not see the results while the vote is open (a running tally pulls later
voters towards the leaders); the console, often on the projector, shows the turnout, and
once the facilitator closes the vote, the ranking. A template can show phones the tally
live (`results = "live"`, then the console shows it too) or never. Equal dots share a
rank: "2.–3." is a tie, not an order.

As the seed's online round has it ("työryhmä äänestää"), a vote can be per team
(`per = "team"`): one ballot a team, which any member casts or changes; the last one to
save it counts. The teams are those of the nearest activity before the vote that has
teams (the discussion the team has just had, or the tables of buzz groups); without one,
the vote's own, named on the phones as a discussion's are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from facilitator.domain import Activity, Group
from facilitator.methods.base import (
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
from facilitator.methods.groups import GROUP_FORM, group_form, join_group

FORM = "vote"
#: Without stacking the boxes post as repeated `option` values (the option's number).
CHECKS = "option"
#: With stacking each option has its own number field: `d1`, `d2`, … in template order.
NUMBER = re.compile(r"d(\d+)")
#: When phones see the results: once closed (the default), while open too, or never.
RESULTS = ("closed", "live", "never")
#: Who holds a ballot: each participant (the default), or each team.
PER = ("participant", "team")


@dataclass(frozen=True)
class Rules:
    """A vote's settings, with the defaults filled in."""

    options: tuple[str, ...]
    dots: int
    stacking: bool = False
    max_per_option: int = 1
    results: str = "closed"
    per: str = "participant"

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Rules:
        options = tuple(config.get("options", ()))
        dots = config.get("dots", default_dots(len(options)))
        stacking = bool(config.get("stacking", False))
        per_option = config.get("max_per_option", dots) if stacking else 1
        return cls(options, dots, stacking, per_option, config.get("results", "closed"),
                   config.get("per", "participant"))


def default_dots(options: int) -> int:
    """About a third of the options, the usual rule of thumb for dot voting."""
    return max(1, round(options / 3))


def number_field(index: int) -> str:
    return f"d{index + 1}"


def read_dots(rules: Rules, posted: Posted) -> dict[str, int]:
    """A participant's dots per option from a post, or InvalidInput saying what to fix.

    Zero dots in all is allowed: it withdraws the participant's vote.
    """
    dots: dict[str, int] = {}
    if rules.stacking:
        for name in posted:
            match = NUMBER.fullmatch(name)
            # Length first: int() of thousands of digits raises instead of answering.
            if match and (len(match[1]) > 3 or not 1 <= int(match[1]) <= len(rules.options)):
                raise InvalidInput("dot_vote.error.unknown_option", field=name)
        for index, option in enumerate(rules.options):
            value = posted.get(number_field(index), "").strip() or "0"
            # isascii: "²" and other Unicode digits pass isdigit() but are not numbers here.
            if not (value.isascii() and value.isdigit()):
                raise InvalidInput("dot_vote.error.not_a_number", most=rules.max_per_option,
                                   field=number_field(index))
            # Length first: int() of thousands of digits raises instead of answering.
            if len(value) > 4 or int(value) > rules.max_per_option:
                raise InvalidInput("dot_vote.error.over_max", most=rules.max_per_option,
                                   field=number_field(index))
            if int(value):
                dots[option] = int(value)
    else:
        chosen = posted.getall(CHECKS)
        numbers = [str(i + 1) for i in range(len(rules.options))]
        if len(set(chosen)) != len(chosen) or not set(chosen) <= set(numbers):
            raise InvalidInput("dot_vote.error.unknown_option", field=CHECKS)
        dots = {rules.options[int(n) - 1]: 1 for n in chosen}
    used = sum(dots.values())
    if used > rules.dots:
        key = "dot_vote.error.over_budget" if rules.stacking else "dot_vote.error.too_many"
        raise InvalidInput(key, used=used, dots=rules.dots, over=used - rules.dots)
    return dots


@dataclass(frozen=True)
class Result:
    """One option's standing: the places it shares (`first` == `last` unless tied)."""

    first: int
    last: int
    option: str
    dots: int
    voters: int


def tally(options: Iterable[str], votes: Iterable[tuple[int, str, int]]) -> list[tuple]:
    """(option, dots, voters) in template order; dots on an option no longer in the
    template still count, after the others (nothing is lost)."""
    totals: dict[str, tuple[list[int], set[int]]] = {o: ([0], set()) for o in options}
    for participant, option, n in votes:
        total, who = totals.setdefault(option, ([0], set()))
        total[0] += n
        who.add(participant)
    return [(option, total[0], len(who)) for option, (total, who) in totals.items()]


def ranking(rows: list[tuple]) -> list[Result]:
    """Most dots first. Equal dots share the places they span ("2.–3.") and keep the
    template's order among themselves: neither more voters nor an earlier place in the
    list breaks a tie, since the room gave them the same weight."""
    ordered = sorted(enumerate(rows), key=lambda pair: (-pair[1][1], pair[0]))
    results: list[Result] = []
    start = 0
    while start < len(ordered):
        dots = ordered[start][1][1]
        end = start
        while end + 1 < len(ordered) and ordered[end + 1][1][1] == dots:
            end += 1
        for _, (option, _, voters) in ordered[start:end + 1]:
            results.append(Result(start + 1, end + 1, option, dots, voters))
        start = end + 1
    return results


class DotVote(Method):
    id = "dot_vote"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "options": ConfigKey("texts", 2, 50, help="the options to vote on"),
        "dots": ConfigKey("int", 1, 50, help="dots per participant; default a third"),
        "stacking": ConfigKey("bool", help="may one option get several of one's dots"),
        "max_per_option": ConfigKey("int", 1, 50, help="with stacking; default all dots"),
        "results": ConfigKey("text", help="when phones see the results: " + ", ".join(RESULTS)),
        "per": ConfigKey("text", help="who holds a ballot: " + ", ".join(PER)),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        options = config.get("options")
        if options is None:
            return [("options", "is required: the options to vote on")]
        errors: list[tuple[str, str]] = []
        rules = Rules.of(config)
        if not rules.stacking and rules.dots > len(options):
            errors.append(("dots", f"must be at most the number of options ({len(options)})"
                                   f" unless stacking = true, not {rules.dots}"))
        if "max_per_option" in config and not rules.stacking:
            errors.append(("max_per_option", "only applies with stacking = true"))
        elif rules.max_per_option > rules.dots:
            errors.append(("max_per_option", f"must be at most dots ({rules.dots}),"
                                             f" not {rules.max_per_option}"))
        if rules.results not in RESULTS:
            errors.append(("results", f"must be one of {', '.join(RESULTS)},"
                                      f" not {rules.results!r}"))
        if rules.per not in PER:
            errors.append(("per", f"must be one of {', '.join(PER)} (who holds a ballot),"
                                  f" not {rules.per!r}"))
        return errors

    # -- reading the votes --------------------------------------------------------------------

    @staticmethod
    def _ballots(ctx: Context) -> list[tuple[int, str, int]]:
        """(voter, option, dots) rows: the voter a participant, or a team."""
        if Rules.of(ctx.activity.config).per == "team":
            return ctx.store.team_votes(ctx.activity.id)
        return ctx.store.votes(ctx.activity.id)

    def _results(self, ctx: Context) -> tuple[list[Result], int]:
        """The ranking and how many have voted (participants, or teams)."""
        votes = self._ballots(ctx)
        rows = tally(Rules.of(ctx.activity.config).options, votes)
        return ranking(rows), len({voter for voter, _, _ in votes})

    @staticmethod
    def _rank(ctx: Context, result: Result) -> str:
        if not result.dots:  # the options nobody chose share no place: they got nothing
            return ctx.t("dot_vote.no_dots")
        if result.first == result.last:
            return ctx.t("dot_vote.rank", first=result.first)
        return ctx.t("dot_vote.rank_shared", first=result.first, last=result.last)

    def _turnout(self, ctx: Context, voters: int) -> Text:
        if Rules.of(ctx.activity.config).per == "team":
            teams = len(ctx.store.groups(team_activity(ctx).id))
            return Text(ctx.t("dot_vote.team.turnout", voters=voters, teams=teams), "strong")
        joined = ctx.store.participant_count(ctx.activity.event_id)
        return Text(ctx.t("dot_vote.turnout", voters=voters, participants=joined), "strong")

    def _ranked(self, ctx: Context, results: list[Result]) -> list[Block]:
        if not any(r.dots for r in results):
            return [Text(ctx.t("dot_vote.no_votes"), "muted")]
        return [Bars(tuple((f"{self._rank(ctx, r)} {r.option}", r.dots) for r in results))]

    def _table(self, ctx: Context, results: list[Result]) -> Table:
        per_team = Rules.of(ctx.activity.config).per == "team"
        headers = (ctx.t("dot_vote.column.rank"), ctx.t("dot_vote.column.option"),
                   ctx.t("dot_vote.column.dots"),
                   ctx.t("dot_vote.column.teams" if per_team else "dot_vote.column.voters"))
        return Table(headers, tuple((self._rank(ctx, r), r.option, str(r.dots), str(r.voters))
                                    for r in results))

    def count(self, ctx: Context) -> int:
        """Voters, not dots: the board's header counts people (or teams) who took part."""
        return len({voter for voter, _, _ in self._ballots(ctx)})

    # -- the phone ----------------------------------------------------------------------------

    def phone_key(self, ctx: Context) -> tuple:
        if ctx.activity.state != "open":
            return ("everyone",)  # the results, or nothing
        if Rules.of(ctx.activity.config).per == "team":
            team = my_team(ctx)
            return ("team", team.id if team is not None else None)  # the team's ballot
        return ("participant", ctx.viewer)  # its own dots

    def participant_view(self, ctx: Context) -> View:
        rules = Rules.of(ctx.activity.config)
        state = ctx.activity.state
        shows_results = (rules.results == "live"
                         or (rules.results == "closed" and state == "closed"))
        if state != "open":
            if not shows_results:
                return []
            results, _ = self._results(ctx)
            return [Text(ctx.t("dot_vote.closed"), "muted"), *self._ranked(ctx, results)]
        per_team = rules.per == "team"
        view: list = []
        if per_team:
            team = my_team(ctx)
            if team is None:
                # First the team, then its ballot: the vote is the team's, not the phone's.
                return [Text(ctx.t("dot_vote.team.join_first")), _team_form(ctx)]
            view.append(Text(ctx.t("dot_vote.team.for_team", name=team.name), "strong"))
            mine = {option: n for _, option, n in ctx.store.team_votes(ctx.activity.id, team.id)}
        else:
            mine = {option: n for _, option, n
                    in ctx.store.votes(ctx.activity.id, ctx.participant.id)
                    } if ctx.participant else {}
        key = ("dot_vote.team.budget" if per_team else "dot_vote.budget") + (
            "_one" if rules.dots == 1 else "")
        budget = ctx.t(key, dots=rules.dots, used=sum(mine.values()))
        if rules.stacking:
            budget += " " + ctx.t("dot_vote.per_option", most=rules.max_per_option)
            fields = tuple(
                Field(number_field(i), "number", option, required=False,
                      minimum=0, maximum=rules.max_per_option)
                for i, option in enumerate(rules.options))
            values = {number_field(i): str(mine.get(option, 0))
                      for i, option in enumerate(rules.options)}
        else:
            numbers = tuple(str(i + 1) for i in range(len(rules.options)))
            fields = (Field(CHECKS, "checks", ctx.t("dot_vote.field.choose", dots=rules.dots),
                            choices=numbers, choice_labels=rules.options, required=False),)
            values = {CHECKS: [n for n, option in zip(numbers, rules.options, strict=True)
                               if option in mine]}
        view += [Text(budget),
                 Form(FORM, fields, ctx.t("dot_vote.team.submit" if per_team
                                          else "dot_vote.submit"), values),
                 Text(ctx.t("dot_vote.team.change_later" if per_team
                            else "dot_vote.change_later"), "muted")]
        if shows_results:
            results, _ = self._results(ctx)
            view += [Heading(ctx.t("dot_vote.standing")), *self._ranked(ctx, results)]
        return view

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        rules = Rules.of(ctx.activity.config)
        if form not in (FORM, GROUP_FORM) or (form == GROUP_FORM and rules.per != "team"):
            raise InvalidInput("dot_vote.error.unknown_form")
        if ctx.participant is None:
            raise InvalidInput("methods.error.no_participant", status=403)
        if ctx.activity.state != "open":
            raise InvalidInput("dot_vote.error.closed", status=409)
        if form == GROUP_FORM:
            # Joining a team here only when the phone has none: moving between teams is
            # the discussion's to allow (it keeps a team from reading ahead).
            if my_team(ctx) is not None:
                raise InvalidInput("dot_vote.error.has_team", status=409,
                                   name=my_team(ctx).name)
            team_ctx = replace(ctx, activity=team_activity(ctx))
            return join_group(team_ctx, posted, new_names=_named_on_phones(ctx))
        dots = read_dots(rules, posted)
        if rules.per == "team":
            with ctx.store.transaction():  # the team as it is when the ballot lands
                team = my_team(ctx)
                if team is None:
                    raise InvalidInput("dot_vote.error.no_team", status=409)
                ctx.store.set_team_votes(ctx.activity.id, team.id, ctx.participant.id, dots)
            return Receipt()
        # set_votes is one transaction: the old dots go and the new ones land together.
        ctx.store.set_votes(ctx.activity.id, ctx.participant.id, dots)
        return Receipt()

    # -- the console and the memo ------------------------------------------------------------

    def live_view(self, ctx: Context) -> list[Block]:
        rules = Rules.of(ctx.activity.config)
        results, voters = self._results(ctx)
        used = sum(r.dots for r in results)
        blocks: list[Block] = [
            self._turnout(ctx, voters),
            Text(ctx.t("dot_vote.dots_used", used=used)),
        ]
        if rules.per == "team" and voters:
            voted = {team for team, _, _ in ctx.store.team_votes(ctx.activity.id)}
            names = [g.name for g in ctx.store.groups(team_activity(ctx).id) if g.id in voted]
            blocks.append(Text(ctx.t("dot_vote.team.voted", names=", ".join(names)), "muted"))
        # The facilitator sees a closed vote's results whatever the template says; the
        # room (projector) only as the template lets phones see them.
        closed = ctx.activity.state == "closed" and (rules.results == "closed"
                                                    or ctx.audience == "console")
        if closed or rules.results == "live":
            # Bars only: the board is a third of the screen, where a four-column table
            # wraps into noise; the memo has the table with the voters per option.
            return [*blocks, *self._ranked(ctx, results)]
        rule = (ctx.t("dot_vote.rule_stacking", dots=rules.dots, most=rules.max_per_option)
                if rules.stacking else ctx.t("dot_vote.rule", dots=rules.dots))
        if rules.per == "team":
            rule += " " + ctx.t("dot_vote.team.rule", activity=team_activity(ctx).title)
        blocks.append(Text(rule, "muted"))
        if ctx.audience == "console":  # it speaks to the facilitator ("when you close")
            blocks.append(Text(ctx.t("dot_vote.hidden_never" if rules.results == "never"
                                     else "dot_vote.hidden_closed"), "muted"))
        blocks += [
            Heading(ctx.t("dot_vote.options"), len(rules.options)),
            Items(tuple(Item(option) for option in rules.options), newest_first=False),
        ]
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        results, voters = self._results(ctx)
        if not voters:
            return [Text(ctx.t("dot_vote.no_votes"), "muted")]
        used = sum(r.dots for r in results)
        if Rules.of(ctx.activity.config).per == "team":
            teams = len(ctx.store.groups(team_activity(ctx).id))
            key = "dot_vote.team.memo_turnout_one" if voters == 1 else "dot_vote.team.memo_turnout"
            turnout = ctx.t(key, voters=voters, used=used, teams=teams)
        else:
            joined = ctx.store.participant_count(ctx.activity.event_id)
            turnout = ctx.t("dot_vote.memo_turnout", voters=voters, used=used,
                            participants=joined)
        return [Text(turnout), self._table(ctx, results)]


# -- a vote per team ----------------------------------------------------------------------------


def team_activity(ctx: Context) -> Activity:
    """The activity whose teams vote: the nearest one before the vote in the programme
    that has teams (a discussion's, named by the phones; groups a template made), else the
    vote itself."""
    earlier = [a for a in ctx.store.activities(ctx.activity.event_id)
               if a.position < ctx.activity.position]
    for activity in reversed(earlier):
        if activity.method == "discussion" or ctx.store.groups(activity.id):
            return activity
    return ctx.activity


def _named_on_phones(ctx: Context) -> bool:
    """Whether a phone may name a new team (a discussion's teams, the vote's own) or only
    choose one of the tables the template made."""
    team = team_activity(ctx)
    return team.id == ctx.activity.id or team.method == "discussion"


def my_team(ctx: Context) -> Group | None:
    if ctx.participant is None:
        return None
    return ctx.store.member_group(team_activity(ctx).id, ctx.participant.id)


def _team_form(ctx: Context) -> Form:
    return group_form(replace(ctx, activity=team_activity(ctx)),
                      new_names=_named_on_phones(ctx))


METHOD = DotVote()
