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
from facilitator.i18n import t
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
    group_key,
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
    def _standing(ctx: Context, group_id: int | None = None) -> list[Note]:
        """The points that stand, hidden ones left out (moderated away)."""
        where = {"group_id": group_id} if group_id is not None else {}
        return ctx.all_notes(kind=POINT, hidden=0, **where)

    def _places(self, ctx: Context, group_id: int) -> list[Note]:
        """The points that take a place of a group's `points`: neither hidden nor folded
        under another of the group's (a duplicate); one waiting for approval holds its
        place though its group mates cannot read it yet."""
        return [p for p in self._standing(ctx, group_id) if p.merged_into is None]

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

    # -- the phone ---------------------------------------------------------------------------

    def phone_key(self, ctx: Context) -> tuple:
        return group_key(ctx)  # the group's page: its points

    def participant_view(self, ctx: Context) -> View:
        activity = ctx.activity
        if activity.state != "open":
            return []
        new_names = _named_on_joining(activity)
        group = my_group(ctx)
        if group is None:
            return [group_form(ctx, new_names=new_names)]
        limit = _limit(activity)
        points = ctx.notes(kind=POINT, group_id=group.id)
        view: list = [Text(ctx.t("methods.group.yours", name=group.name), "strong")]
        if deadline := _deadline(activity):
            view.append(Countdown(deadline, ctx.t("buzz_groups.time_left")))
        # The group's places: its points this phone may read, and those another member sent
        # that wait for the facilitator's approval (they hold a place, unseen here).
        taken = len(self._places(ctx, group.id))
        waiting = max(0, taken - len(points))
        if points:
            view.append(Heading(ctx.t("buzz_groups.your_points", n=len(points), limit=limit)))
            view.append(note_items(points, newest_first=False))
        if waiting:
            view.append(Text(ctx.t("buzz_groups.others_waiting", n=waiting), "muted"))
        if taken < limit:
            view.append(Text(ctx.t("buzz_groups.ask_one") if limit == 1 else
                             ctx.t("buzz_groups.ask_many", limit=limit)))
            label = ctx.t("buzz_groups.field.point", n=taken + 1, limit=limit)
            view.append(Form(POINT, (Field("text", "textarea", label),), ctx.t("methods.send")))
        else:
            view.append(Text(ctx.t("buzz_groups.points_in"), "strong"))
            if points:  # only what this phone can read can be swapped
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
            # A point folded under another of the group's frees its place, as the
            # console's count and the phone's list already say.
            points = self._places(ctx, group.id)
            chosen = posted.get("replace", "")
            if chosen:
                old = next((p for p in points if str(p.id) == chosen), None)
                if old is None:
                    raise InvalidInput("buzz_groups.error.choose_replaced", status=422)
                # A new text is a new point: it no longer repeats what the old one did.
                self._detach(ctx, old)
                earlier = [*old.data.get("earlier", []), old.text]  # kept for the record
                # In a pre-moderated activity the new text waits for approval too.
                note = ctx.store.update_note(old.id, text=text, ref_id=None,
                                             data={**old.data, "earlier": earlier},
                                             pending=ctx.activity.premoderated)
                # The page shows a note back only to its author; another member who
                # swapped it is told it was saved instead of being shown nothing.
                return Receipt(note if old.participant_id == ctx.participant.id else None)
            if len(points) >= limit:
                raise InvalidInput("buzz_groups.error.full", status=409, limit=limit)
            note = ctx.add_note(text, group.name, kind=POINT, round=ctx.activity.round,
                                group_id=group.id)
        return Receipt(note)

    # -- the console and the memo ------------------------------------------------------------

    def _also(self, ctx: Context, names: list[str]) -> str:
        """"Sama asia myös ryhmällä 3" for numbered groups, else "…myös: Pöytä A"."""
        numbers = [_number(ctx, n) for n in names]
        if all(numbers):
            key = "buzz_groups.also_one" if len(numbers) == 1 else "buzz_groups.also_many"
            return ctx.t(key, numbers=_and(ctx, numbers))
        return ctx.t("buzz_groups.also_named", groups=", ".join(names))

    def live_view(self, ctx: Context) -> list[Block]:
        blocks: list[Block] = []
        if deadline := _deadline(ctx.activity):
            blocks.append(Countdown(deadline, ctx.t("buzz_groups.time_left")))
        everything = ctx.notes(kind=POINT)  # the console sees all: hidden ones struck
        counted = ctx.counted(kind=POINT)
        if not everything:
            blocks.append(Text(ctx.t("methods.no_notes_yet"), "muted"))
        groups = ctx.store.groups(ctx.activity.id)
        members = ctx.store.member_counts(ctx.activity.id)
        shared = self._shared(ctx, counted, groups)
        clusters, names = _clusters(counted), self._names(ctx, groups)
        also = {}  # point id -> the other groups that raised the same item
        for first, raised_by in shared:
            for p in clusters[_root(first)]:
                also[p.id] = self._also(ctx, [n for n in raised_by
                                              if n != names.get(p.group_id)])
        limit = _limit(ctx.activity)
        for group_id, name, under in self._per_group(ctx, everything, groups):
            count = sum(not (p.hidden or p.merged_into) for p in under)
            joined = members.get(group_id, 0)
            key = "buzz_groups.group_heading_one" if joined == 1 else "buzz_groups.group_heading"
            blocks.append(Heading(ctx.t(key, name=name, n=count, limit=limit, members=joined)))
            if under:
                blocks.append(Items(tuple(Item(p.text, also.get(p.id, ""), p) for p in under),
                                    newest_first=False))
        if shared:
            blocks += self._shared_blocks(ctx, shared, count=True)
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        points = ctx.notes(kind=POINT)  # the memo's: nothing moderated, duplicates once
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
            Items(tuple(Item(first.text, ", ".join(names), first)
                        for first, names in shared), newest_first=False),
        ]

    def count(self, ctx: Context) -> int:
        return ctx.count(kind=POINT)

    # -- the facilitator's actions -----------------------------------------------------------

    def actions(self, ctx: Context) -> list[Action]:
        minutes = ctx.activity.config.get("minutes")
        if minutes and ctx.activity.state == "open":
            return [Action("restart_timer",
                           ctx.t("buzz_groups.action.restart_timer", minutes=minutes))]
        return []

    def act(self, ctx: Context, action: str, posted: Posted) -> str:
        if action == "restart_timer":
            minutes = ctx.activity.config.get("minutes")
            if not minutes or ctx.activity.state != "open":
                raise InvalidInput("buzz_groups.error.no_timer")
            ctx.store.set_round(ctx.activity.id, ctx.activity.round)  # the clock from now
            return ctx.t("buzz_groups.timer_restarted", minutes=minutes)
        raise InvalidInput("methods.error.unknown_action")

    def merge_changes(self, ctx: Context, keep: Note, others) -> dict[int, dict]:
        """Points of *other* groups merged with `keep` are the same item raised by several
        groups: they join its cluster (each still counts for its group). A point of the
        group that already has one in the cluster is a duplicate: it folds under that one."""
        everything = self._standing(ctx)
        changes: dict[int, dict] = {}

        def root_of(note: Note) -> int:
            return changes.get(note.id, {}).get("ref_id", note.ref_id) or note.id

        for other in others:
            if root_of(other) == root_of(keep) or other.merged_into == keep.id:
                continue  # already the same item: nothing to change
            cluster = [p for p in everything if root_of(p) == root_of(keep)]
            same_group = next((p for p in cluster if p.group_id == other.group_id), None)
            if same_group is not None:
                changes[other.id] = {"merged_into": same_group.id}
                continue
            moving, root = root_of(other), root_of(keep)
            moving_groups = {p.group_id for p in everything if root_of(p) == moving}
            if moving_groups & {p.group_id for p in cluster}:
                changes[other.id] = {"merged_into": keep.id}  # its cluster would double a group
                continue
            for p in everything:
                if root_of(p) == moving:
                    changes.setdefault(p.id, {})["ref_id"] = root
        return changes

    def unmerge_changes(self, ctx: Context, note: Note) -> dict[int, dict]:
        """A folded duplicate stands alone again; a point in a cluster leaves it (the
        others stay together, under the earliest of them if it was their root)."""
        if note.merged_into is not None:
            return {note.id: {"merged_into": None}}
        changes = super().unmerge_changes(ctx, note)
        if note.ref_id is not None:
            changes[note.id] = {"ref_id": None}
            return changes
        others = [p for p in self._standing(ctx) if p.ref_id == note.id]
        if others:
            first, *rest = others
            changes[first.id] = {"ref_id": None}
            for p in rest:
                changes[p.id] = {"ref_id": first.id}
        return changes

    def _detach(self, ctx: Context, point: Note) -> None:
        """Take a point out of its cluster (a swapped point says something new)."""
        for note_id, columns in self.unmerge_changes(ctx, replace(point, merged_into=None)
                                                     ).items():
            if "ref_id" in columns:
                ctx.store.update_note(note_id, ref_id=columns["ref_id"])


def _number(ctx: Context, name: str) -> str:
    """"3" of a numbered group's name ("Ryhmä 3"), else ""."""
    prefix = t("fi", "methods.group.numbered", n="").strip()  # stored names are Finnish
    rest = name.removeprefix(prefix).strip() if name.startswith(prefix) else ""
    return rest if rest.isdigit() else ""


def _and(ctx: Context, items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {ctx.t('buzz_groups.and')} {items[-1]}"


METHOD = BuzzGroups()
