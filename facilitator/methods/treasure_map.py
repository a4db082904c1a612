"""Aarrekartta (treasure map): future work in map areas, as in the seed's workshop 2.

Participants, or table groups, put notes into the map's areas: where we are now, where
we came from, where I want us to be in two years, which steps take the work forward
(and, if the template asks, obstacles and resources). The steps forward are the map's
result (the seed's card lists them under *Mitä tuloksena*), so that area closes the map
everywhere: last on the phone, the console and in the memo.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from facilitator.domain import Activity
from facilitator.i18n import t
from facilitator.methods.base import (
    Block,
    ConfigKey,
    Context,
    Field,
    Form,
    Heading,
    InvalidInput,
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
from facilitator.methods.question import read_choice, read_text

#: The seed's areas, in the order its memo reports them (now, then the way here, then the
#: vision); the steps forward come last. Stored in the room's language, as notes are.
DEFAULT_AREAS = ("now", "past", "vision", "steps")
STEPS = "steps"
def area_name(key: str) -> str:
    return t("fi", f"treasure_map.area.{key}")


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _configured(config: Mapping[str, Any]) -> tuple[list[str], str]:
    """The template's areas (extras appended) and its steps area ("" when there is none)."""
    areas = [_tidy(a) for a in config.get("areas", ())] or [area_name(k) for k in DEFAULT_AREAS]
    for key in ("obstacles", "resources"):
        if config.get(key):
            areas.append(area_name(key))
    if "steps" in config:
        steps = _tidy(config["steps"])
    else:
        default = area_name(STEPS)
        steps = default if default in areas else ""
    return areas, steps


def areas(activity: Activity) -> tuple[str, ...]:
    """The map's areas in the order everyone sees them: as configured, steps last."""
    configured, steps = _configured(activity.config)
    return tuple([a for a in configured if a != steps] + ([steps] if steps else []))


class TreasureMap(Method):
    id = "treasure_map"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "areas": ConfigKey("texts", 1, 10, help="the map's areas; the seed's four if absent"),
        "obstacles": ConfigKey("bool", help="adds the area Esteet"),
        "resources": ConfigKey("bool", help="adds the area Voimavarat"),
        "steps": ConfigKey("text", help="the area that holds the steps forward"),
        "groups": ConfigKey("int", 0, 50, help="table groups; 0: everyone on their own"),
    }

    def config_rules(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        given = [_tidy(a) for a in config.get("areas", ())]
        for key in ("obstacles", "resources"):
            if config.get(key) and area_name(key) in given:
                errors.append((key, f"adds the area {area_name(key)!r}, which areas already has"))
        configured, steps = _configured(config)
        if "steps" in config and steps not in configured:
            known = ", ".join(repr(a) for a in configured)
            errors.append(("steps", f"must be one of the areas ({known}), not {steps!r}"))
        return errors

    def groups(self, activity: Activity) -> tuple[str, ...]:
        return numbered_groups(activity.config.get("groups", 0))

    # -- the phone ---------------------------------------------------------------------------

    def phone_key(self, ctx: Context) -> tuple:
        return group_key(ctx)  # the group's page: its station, its points, its map

    def participant_view(self, ctx: Context) -> View:
        if ctx.activity.state != "open":
            return []
        tables = bool(ctx.store.groups(ctx.activity.id))
        group = my_group(ctx) if tables else None
        if tables and group is None:
            # A table writes together: it chooses its table (or scans its QR code) first.
            return [Text(ctx.t("treasure_map.choose_table_first")), group_form(ctx)]
        note = Form("note", (
            Field("area", "choice", ctx.t("treasure_map.field.area"), choices=areas(ctx.activity)),
            Field("text", "textarea", ctx.t("methods.field.note")),
        ), ctx.t("methods.send"))
        if group is None:
            return [note]
        # The table's phones see what the table has put on the map so far.
        ours = ctx.count(group_id=group.id)
        view: list = [note]
        if ours:
            view += [Heading(ctx.t("treasure_map.our_map"), ours),
                     ctx.note_list(lambda n: n.heading, count=ours, group_id=group.id)]
        return [*view, group_form(ctx)]

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        tables = bool(ctx.store.groups(ctx.activity.id))
        if form == GROUP_FORM:
            if not tables:  # else a typed name would make a group, and ask everyone for one
                raise InvalidInput("treasure_map.error.no_tables", status=422)
            return join_group(ctx, posted)
        text = read_text(posted, "text")
        area = read_choice(posted, "area", areas(ctx.activity), "treasure_map.error.choose_area")
        with ctx.store.transaction():  # the table read and the note written together
            group = my_group(ctx) if tables else None
            if tables and group is None:
                raise InvalidInput("methods.error.choose_group", status=422)
            note = ctx.add_note(text, area, kind="note", group_id=group.id if group else None)
        return Receipt(note)

    # -- the console and the memo ------------------------------------------------------------

    def _meta(self, ctx: Context):
        names = {g.id: g.name for g in ctx.store.groups(ctx.activity.id)}
        return lambda n: names.get(n.group_id, "") if n.group_id else ""

    def _areas(self, ctx: Context, live: bool) -> list[Block]:
        """Each area with its notes, steps forward last; an area no longer in the template
        keeps its notes, after the others. Each note is a row of its own, as wide as the
        board (the areas side by side cut every note to a few characters)."""
        # A heading counts the rows listed under it, as every method's do (on the console
        # a hidden note is listed, struck through, so it is counted there).
        counts = ctx.count_by("heading", kind="note")
        shown = areas(ctx.activity)
        meta = self._meta(ctx)
        blocks: list[Block] = []
        for area in [*shown, *sorted(h for h in counts if h not in shown)]:
            count = counts.get(area, 0)
            if not live and not count:
                continue
            blocks.append(Heading(area or ctx.t("methods.other"), count if live else None))
            if count:
                blocks.append(ctx.note_list(meta, newest_first=live, count=count, kind="note",
                                            heading=area, by_theme=not live))
        return blocks

    def live_view(self, ctx: Context) -> list[Block]:
        if not ctx.count(kind="note"):
            return [Text(ctx.t("methods.no_notes_yet"), "muted")]
        return self._areas(ctx, live=True)

    def memo_view(self, ctx: Context) -> list[Block]:
        return self._areas(ctx, live=False)


METHOD = TreasureMap()
