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

from facilitator.domain import Activity, Note
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
    Table,
    Text,
    View,
)
from facilitator.methods.groups import GROUP_FORM, group_form, join_group, my_group, numbered_groups
from facilitator.methods.question import grouped, note_items, read_choice, read_text

#: The seed's areas, in the order its memo reports them (now, then the way here, then the
#: vision); the steps forward come last. Stored in the room's language, as notes are.
DEFAULT_AREAS = ("now", "past", "vision", "steps")
STEPS = "steps"
#: Newest notes per area in the console's side-by-side table; the lists below it show all.
TABLE_ROWS = 8
#: The side-by-side table's widest line: four areas fit a board of this width (a console of
#: about 180 columns, as on a projector). The board cuts a cell at 30 characters itself;
#: cutting here to the area count keeps the table from wrapping where it can fit at all.
TABLE_WIDTH = 96


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


def _cell_width(columns: int) -> int:
    return max(8, min(30, (TABLE_WIDTH - 3 * (columns - 1)) // columns))


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _header(area: str, count: int, width: int) -> str:
    """The area's name, shortened so that its count is never the part cut off."""
    suffix = f" ({count})"
    return _cut(area, width - len(suffix)) + suffix


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
        ours = [n for n in ctx.notes(group_id=group.id) if not n.hidden]
        view: list = [note]
        if ours:
            view += [Heading(ctx.t("treasure_map.our_map"), len(ours)),
                     note_items(ours, lambda n: n.heading)]
        return [*view, group_form(ctx)]

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        tables = bool(ctx.store.groups(ctx.activity.id))
        if form == GROUP_FORM:
            if not tables:  # else a typed name would make a group, and ask everyone for one
                raise InvalidInput("treasure_map.error.no_tables", status=422)
            return join_group(ctx, posted)
        text = read_text(posted, "text")
        area = read_choice(posted, "area", areas(ctx.activity), "treasure_map.error.choose_area")
        participant = ctx.participant.id if ctx.participant else None
        with ctx.store.transaction():  # the table read and the note written together
            group = my_group(ctx) if tables else None
            if tables and group is None:
                raise InvalidInput("methods.error.choose_group", status=422)
            note = ctx.store.add_note(ctx.activity.id, text, area, participant, kind="note",
                                      group_id=group.id if group else None)
        return Receipt(note)

    # -- the console and the memo ------------------------------------------------------------

    def _by_area(self, ctx: Context) -> dict[str, list[Note]]:
        return grouped(ctx.notes(kind="note"), areas(ctx.activity))

    def _meta(self, ctx: Context):
        names = {g.id: g.name for g in ctx.store.groups(ctx.activity.id)}
        return lambda n: names.get(n.group_id, "") if n.group_id else ""

    def live_view(self, ctx: Context) -> list[Block]:
        by_area = self._by_area(ctx)
        if not any(by_area.values()):
            return [Text(ctx.t("methods.no_notes_yet"), "muted")]
        # Side by side: one column per area, its newest notes from the top.
        shown = {a: [n for n in under if not n.hidden] for a, under in by_area.items()}
        columns = [list(reversed(v))[:TABLE_ROWS] for v in shown.values()]
        depth = max(len(c) for c in columns)
        width = _cell_width(len(columns))
        rows = tuple(tuple(_cut(c[i].text, width) if i < len(c) else "" for c in columns)
                     for i in range(depth))
        blocks: list[Block] = [
            Table(tuple(_header(a, len(v), width) for a, v in shown.items()), rows)
        ]
        # Then every area in full: the table cuts long notes and keeps only the newest.
        meta = self._meta(ctx)
        for area, under in by_area.items():
            blocks += [Heading(area or ctx.t("methods.other"), len(shown[area])),
                       note_items(under, meta)]
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        meta = self._meta(ctx)
        blocks: list[Block] = []
        for area, under in self._by_area(ctx).items():
            if not under:
                continue
            # Themes: once they exist, an area's notes are listed under its themes here.
            blocks += [Heading(area or ctx.t("methods.other")),
                       note_items(under, meta, newest_first=False)]
        return blocks


METHOD = TreasureMap()
