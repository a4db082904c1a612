"""Porinaryhmät (buzz groups): a question, a time box, and each group's key points.

The groups are the template's (`groups = 8` or `group_names`), each with its own join
link and QR code at its table; with neither, the first member of a group types its name.
A group sends at most `points` key points (the two most important, say). When they are
in, a member can still swap one for a better one: so a point typed at the same moment by
a second member comes back with the refusal and a way to use it, never lost.

The facilitator marks a point as the same as another group's ("Sama asia kuin…"): the
point's `ref_id` is its cluster's root, the point first raised. The memo lists the points
per group and then the items several groups raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from facilitator.domain import Activity, Group, Note
from facilitator.methods.base import (
    MAX_LINE_CHARS,
    Action,
    Block,
    ConfigKey,
    Context,
    Countdown,
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
from facilitator.methods.groups import (
    GROUP_FORM,
    group_form,
    join_group,
    my_group,
    numbered_groups,
)
from facilitator.methods.question import note_items, read_text

#: The notes' kind and the form that sends one.
POINT = "point"
#: "The two most important": what the facilitator asks when the template does not say.
DEFAULT_POINTS = 2
#: A point in a choice or drop-down: enough to recognise it, short enough to scan a list.
LABEL_CHARS = 70


def _limit(activity: Activity) -> int:
    return activity.config.get("points", DEFAULT_POINTS)


def _named_on_joining(activity: Activity) -> bool:
    """Without groups in the template, a group is made by the first member naming it."""
    return "groups" not in activity.config and "group_names" not in activity.config


def _deadline(activity: Activity) -> str:
    minutes = activity.config.get("minutes")
    if not minutes or activity.state != "open" or not activity.round_started_at:
        return ""
    started = datetime.fromisoformat(activity.round_started_at)
    return (started + timedelta(minutes=minutes)).isoformat()


def _root(note: Note) -> int:
    return note.ref_id or note.id


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _clusters(points: list[Note]) -> dict[int, list[Note]]:
    """Points by their cluster's root id, each cluster in the order raised."""
    out: dict[int, list[Note]] = {}
    for point in points:
        out.setdefault(_root(point), []).append(point)
    return out


class BuzzGroups(Method):
    id = "buzz_groups"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "minutes": ConfigKey("int", 1, 240, help="the time box; a countdown on every screen"),
        "groups": ConfigKey("int", 1, 50, help="numbered groups: Ryhmä 1, Ryhmä 2, …"),
        "group_names": ConfigKey("texts", 1, 50, help="the groups' names instead of numbers"),
        "points": ConfigKey("int", 1, 10, help=f"key points per group ({DEFAULT_POINTS})"),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        if "groups" in config and "group_names" in config:
            errors.append(("group_names", "give either groups or group_names, not both"))
        names = config.get("group_names")
        if isinstance(names, list) and any(
            isinstance(n, str) and len(n.strip()) > MAX_LINE_CHARS for n in names
        ):
            errors.append(("group_names", f"a name must be at most {MAX_LINE_CHARS} characters"))
        return errors

    def groups(self, activity: Activity) -> tuple[str, ...]:
        if "group_names" in activity.config:
            return tuple(activity.config["group_names"])
        return numbered_groups(activity.config.get("groups", 0))

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _points(ctx: Context, *, hidden: bool = False) -> list[Note]:
        """This activity's points; a hidden one (moderated away) counts for nothing."""
        return [n for n in ctx.notes(kind=POINT) if hidden or not n.hidden]

    @staticmethod
    def _names(ctx: Context, groups: Iterable[Group]) -> dict[int | None, str]:
        names: dict[int | None, str] = {g.id: g.name for g in groups}
        names[None] = ctx.t("methods.other")
        return names

    def _shared(self, ctx: Context, points: list[Note], groups: list[Group]):
        """Each item two or more groups raised, most groups first: the point that
        stands for it (the first raised still shown) and the groups' names."""
        position = {g.id: g.position for g in groups}
        names = self._names(ctx, groups)
        shared = []
        for root, members in _clusters(points).items():
            ids = sorted({m.group_id for m in members},
                         key=lambda g: (position.get(g, len(position)), g or 0))
            if len(ids) >= 2:
                first = next((m for m in members if m.id == root), members[0])
                shared.append((first, [names.get(g, names[None]) for g in ids]))
        shared.sort(key=lambda s: -len(s[1]))  # stable: first raised first among equals
        return shared

    def _labels(self, ctx: Context, points: list[Note]) -> tuple[tuple[str, ...], ...]:
        """Choices for a facilitator's drop-down: ("id", …) and ("Ryhmä 2: text", …)."""
        groups = ctx.store.groups(ctx.activity.id)
        position = {g.id: g.position for g in groups}
        names = self._names(ctx, groups)
        ordered = sorted(points, key=lambda p: (position.get(p.group_id, len(position)), p.id))
        return (tuple(str(p.id) for p in ordered),
                tuple(f"{names.get(p.group_id, names[None])}: {_short(p.text)}"
                      for p in ordered))

    # -- the phone ---------------------------------------------------------------------------

    def participant_view(self, ctx: Context) -> View:
        activity = ctx.activity
        if activity.state != "open":
            return []
        new_names = _named_on_joining(activity)
        group = my_group(ctx)
        if group is None:
            return [group_form(ctx, new_names=new_names)]
        limit = _limit(activity)
        points = [p for p in self._points(ctx) if p.group_id == group.id]
        view: list = [Text(ctx.t("methods.group.yours", name=group.name), "strong")]
        if deadline := _deadline(activity):
            view.append(Countdown(deadline, ctx.t("buzz_groups.time_left")))
        if points:
            view.append(Heading(ctx.t("buzz_groups.your_points", n=len(points), limit=limit)))
            view.append(note_items(points, newest_first=False))
        if len(points) < limit:
            view.append(Text(ctx.t("buzz_groups.ask_one") if limit == 1 else
                             ctx.t("buzz_groups.ask_many", limit=limit)))
            label = ctx.t("buzz_groups.field.point", n=len(points) + 1, limit=limit)
            view.append(Form(POINT, (Field("text", "textarea", label),), ctx.t("methods.send")))
        else:
            view.append(Text(ctx.t("buzz_groups.points_in"), "strong"))
            view.append(self._swap_form(ctx, points))
        changing = group_form(ctx, new_names=new_names)
        view.append(replace(changing, title=ctx.t("buzz_groups.change_group")))
        return view

    def _swap_form(self, ctx: Context, points: list[Note]) -> Form:
        # Also the form a refused point comes back in (same name, same text field).
        swapped = Field("replace", "choice", ctx.t("buzz_groups.field.replaced"),
                        choices=tuple(str(p.id) for p in points),
                        choice_labels=tuple(_short(p.text) for p in points))
        text = Field("text", "textarea", ctx.t("buzz_groups.field.new_text"))
        return Form(POINT, (swapped, text), ctx.t("buzz_groups.replace"),
                    title=ctx.t("buzz_groups.replace_title"))

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        if form == GROUP_FORM:
            return join_group(ctx, posted, new_names=_named_on_joining(ctx.activity))
        group = my_group(ctx)
        if group is None or ctx.participant is None:
            raise InvalidInput("methods.error.choose_group", status=422)
        text = read_text(posted, "text")
        limit = _limit(ctx.activity)
        # Counted and written under one lock: two members sending the last point at
        # once must not make it three.
        with ctx.store.transaction():
            points = [p for p in self._points(ctx) if p.group_id == group.id]
            chosen = posted.get("replace", "")
            if chosen:
                old = next((p for p in points if str(p.id) == chosen), None)
                if old is None:
                    raise InvalidInput("buzz_groups.error.choose_replaced", status=422)
                # A new text is a new point: it no longer repeats what the old one did.
                self._detach(ctx, old)
                earlier = [*old.data.get("earlier", []), old.text]  # kept for the record
                note = ctx.store.update_note(old.id, text=text, ref_id=None,
                                             data={**old.data, "earlier": earlier})
                # The page shows a note back only to its author; another member who
                # swapped it is told it was saved instead of being shown nothing.
                return Receipt(note if old.participant_id == ctx.participant.id else None)
            if len(points) >= limit:
                raise InvalidInput("buzz_groups.error.full", status=409, limit=limit)
            note = ctx.store.add_note(
                ctx.activity.id, text, group.name, ctx.participant.id, kind=POINT,
                round=ctx.activity.round, group_id=group.id,
            )
        return Receipt(note)

    # -- the console and the memo ------------------------------------------------------------

    def live_view(self, ctx: Context) -> list[Block]:
        blocks: list[Block] = []
        if deadline := _deadline(ctx.activity):
            blocks.append(Countdown(deadline, ctx.t("buzz_groups.time_left")))
        everything = self._points(ctx, hidden=True)  # the console shows hidden ones struck
        points = [p for p in everything if not p.hidden]
        if not everything:
            blocks.append(Text(ctx.t("methods.no_notes_yet"), "muted"))
        groups = ctx.store.groups(ctx.activity.id)
        members = ctx.store.member_counts(ctx.activity.id)
        shared = self._shared(ctx, points, groups)
        clusters, names = _clusters(points), self._names(ctx, groups)
        also = {}  # point id -> the other groups that raised the same item
        for first, raised_by in shared:
            for p in clusters[_root(first)]:
                also[p.id] = ", ".join(n for n in raised_by if n != names.get(p.group_id))
        limit = _limit(ctx.activity)
        for group_id, name, under in self._per_group(ctx, everything, groups):
            count = sum(not p.hidden for p in under)
            blocks.append(Heading(ctx.t("buzz_groups.group_heading", name=name, n=count,
                                        limit=limit, members=members.get(group_id, 0))))
            if under:
                blocks.append(Items(tuple(
                    Item(p.text, ctx.t("buzz_groups.also", groups=also[p.id])
                         if p.id in also else "", p.hidden, p.id) for p in under
                ), newest_first=False))
        if shared:
            blocks += self._shared_blocks(ctx, shared, count=True)
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        points = self._points(ctx)
        groups = ctx.store.groups(ctx.activity.id)
        blocks: list[Block] = []
        for _, name, under in self._per_group(ctx, points, groups):
            if under:
                blocks += [Heading(name), note_items(under, newest_first=False)]
        shared = self._shared(ctx, points, groups)
        if shared:
            blocks += self._shared_blocks(ctx, shared, count=False)
        return blocks

    def _per_group(self, ctx: Context, points: list[Note], groups: list[Group]):
        """(group id, name, its points) in the groups' order; a point of no known group
        still shows, under "Muut", after them (nothing is lost)."""
        names = self._names(ctx, groups)
        under: dict[int | None, list[Note]] = {g.id: [] for g in groups}
        for point in points:
            under.setdefault(point.group_id if point.group_id in names else None,
                             []).append(point)
        return [(gid, names[gid], notes) for gid, notes in under.items()]

    @staticmethod
    def _shared_blocks(ctx: Context, shared, count: bool) -> list[Block]:
        return [
            Heading(ctx.t("buzz_groups.shared"), len(shared) if count else None),
            Items(tuple(Item(first.text, ", ".join(names), note_id=first.id)
                        for first, names in shared), newest_first=False),
        ]

    def count(self, ctx: Context) -> int:
        return len(self._points(ctx, hidden=True))

    # -- the facilitator's actions -----------------------------------------------------------

    def actions(self, ctx: Context) -> list[Action]:
        actions = []
        minutes = ctx.activity.config.get("minutes")
        if minutes and ctx.activity.state == "open":
            actions.append(Action("restart_timer",
                                  ctx.t("buzz_groups.action.restart_timer", minutes=minutes)))
        points = self._points(ctx)
        if len({p.group_id for p in points}) >= 2:
            choices, labels = self._labels(ctx, points)
            # Pre-chosen: the point that just came in, and the first another group raised.
            newest = points[-1]
            other = next(p for p in points if p.group_id != newest.group_id)
            actions.append(Action("merge", ctx.t("buzz_groups.action.merge"), fields=(
                Field("point", "select", ctx.t("buzz_groups.field.merge_point"),
                      choices=choices, choice_labels=labels),
                Field("same_as", "select", ctx.t("buzz_groups.field.merge_same_as"),
                      choices=choices, choice_labels=labels),
            ), values={"point": str(newest.id), "same_as": str(other.id)}))
        clusters = _clusters(self._points(ctx, hidden=True))
        merged = [p for p in points if len(clusters[_root(p)]) >= 2]
        if merged:
            choices, labels = self._labels(ctx, merged)
            actions.append(Action("unmerge", ctx.t("buzz_groups.action.unmerge"), fields=(
                Field("point", "select", ctx.t("buzz_groups.field.unmerge_point"),
                      choices=choices, choice_labels=labels),
            ), values={"point": str(merged[-1].id)}))
        return actions

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        if action == "restart_timer":
            minutes = ctx.activity.config.get("minutes")
            if not minutes or ctx.activity.state != "open":
                raise InvalidInput("buzz_groups.error.no_timer")
            ctx.store.set_round(ctx.activity.id, ctx.activity.round)  # the clock from now
            return ctx.t("buzz_groups.timer_restarted", minutes=minutes)
        if action == "merge":
            return self._merge(ctx, posted)
        if action == "unmerge":
            return self._unmerge(ctx, posted)
        raise InvalidInput("methods.error.unknown_action")

    def _merge(self, ctx: Context, posted: Posted) -> str:
        with ctx.store.transaction():  # the clusters read are the clusters changed
            everything = self._points(ctx, hidden=True)
            visible = {str(p.id): p for p in everything if not p.hidden}
            point, same_as = visible.get(posted.get("point", "")), visible.get(
                posted.get("same_as", ""))
            if point is None or same_as is None:
                raise InvalidInput("buzz_groups.error.choose_points")
            if point.id == same_as.id:
                raise InvalidInput("buzz_groups.error.same_point")
            moving, root = _root(point), _root(same_as)
            if moving == root:
                raise InvalidInput("buzz_groups.error.already_same")
            clusters = _clusters([p for p in everything if not p.hidden])
            # One item, several groups: a group's points are its *different* key points,
            # so two of one group's never stand for the same item.
            both = ({p.group_id for p in clusters.get(moving, [])}
                    & {p.group_id for p in clusters.get(root, [])})
            if both:
                names = self._names(ctx, ctx.store.groups(ctx.activity.id))
                group = names.get(next(iter(both)), names[None])
                raise InvalidInput("buzz_groups.error.same_group", group=group)
            for p in everything:
                if _root(p) == moving:
                    ctx.store.update_note(p.id, ref_id=root)
        shared = self._shared(ctx, self._points(ctx), ctx.store.groups(ctx.activity.id))
        names = next(n for first, n in shared if _root(first) == root)
        return ctx.t("buzz_groups.merged", groups=", ".join(names))

    def _unmerge(self, ctx: Context, posted: Posted) -> str:
        with ctx.store.transaction():
            everything = self._points(ctx, hidden=True)
            point = next((p for p in everything
                          if str(p.id) == posted.get("point", "") and not p.hidden), None)
            if point is None or len(_clusters(everything)[_root(point)]) < 2:
                raise InvalidInput("buzz_groups.error.not_merged")
            self._detach(ctx, point)
        return ctx.t("buzz_groups.unmerged", point=_short(point.text))

    def _detach(self, ctx: Context, point: Note) -> None:
        """Take a point out of its cluster; the others stay together, under the earliest
        of them when the point was the one they pointed at."""
        if point.ref_id is not None:
            ctx.store.update_note(point.id, ref_id=None)
            return
        others = [p for p in self._points(ctx, hidden=True) if p.ref_id == point.id]
        if others:
            first, *rest = others
            ctx.store.update_note(first.id, ref_id=None)
            for p in rest:
                ctx.store.update_note(p.id, ref_id=first.id)


METHOD = BuzzGroups()
