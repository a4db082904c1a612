"""Groups within an activity (buzz-group tables, process-walk groups, discussion teams):
the shared form to choose or name one, and what a method needs to know about them.

A phone joins a group here, or by opening the group's own link (`/e/CODE/g/ID`, the QR
code at the table), which the web core handles for every method alike.
"""

from __future__ import annotations

from facilitator.domain import Group
from facilitator.i18n import t
from facilitator.methods.base import (
    MAX_LINE_CHARS,
    Context,
    Field,
    Form,
    InvalidInput,
    Posted,
    Receipt,
)
from facilitator.methods.question import read_text

#: The form name every group-choosing form posts.
GROUP_FORM = "group"


def my_group(ctx: Context) -> Group | None:
    if ctx.participant is None:
        return None
    return ctx.store.member_group(ctx.activity.id, ctx.participant.id)


def group_key(ctx: Context) -> tuple:
    """`Method.phone_key` of a view that is its group's: every member of a table (and
    every phone in no group yet) sees the same."""
    group = my_group(ctx)
    return ("group", group.id if group is not None else None)


def group_form(ctx: Context, *, new_names: bool = False) -> Form:
    """Choose one of the activity's groups; with `new_names`, or when it has none, type a
    name instead (a team in an online discussion)."""
    groups = ctx.store.groups(ctx.activity.id)
    current = my_group(ctx)
    fields: list[Field] = []
    if groups:
        kind = "choice" if len(groups) <= 12 else "select"
        fields.append(Field("group", kind, ctx.t("methods.group.choose"),
                            choices=tuple(str(g.id) for g in groups),
                            choice_labels=tuple(g.name for g in groups),
                            required=not new_names))
    if new_names or not groups:
        fields.append(Field("name", "text", ctx.t("methods.group.name"), required=not groups,
                            max_length=MAX_LINE_CHARS, hint=ctx.t("methods.group.name_hint")))
    values = {"group": str(current.id)} if current else {}
    title = ctx.t("methods.group.yours", name=current.name) if current else ""
    return Form(GROUP_FORM, tuple(fields), ctx.t("methods.group.join"), values, title)


def join_group(ctx: Context, posted: Posted, *, new_names: bool = False) -> Receipt:
    """Store the group chosen (or named) in `posted`; refuses a group of another activity."""
    if ctx.participant is None:
        raise InvalidInput("methods.error.no_participant", status=403)
    name = ""
    if new_names or not ctx.store.groups(ctx.activity.id):
        name = read_text(posted, "name", required=False, limit=MAX_LINE_CHARS, one_line=True)
    if name:
        group = ctx.store.add_group(ctx.activity.id, name)
    else:
        chosen = posted.get("group", "")
        group = next((g for g in ctx.store.groups(ctx.activity.id) if str(g.id) == chosen), None)
        if group is None:
            raise InvalidInput("methods.error.choose_group", status=422, field="group")
    ctx.store.set_member(ctx.activity.id, ctx.participant.id, group.id)
    return Receipt()


def numbered_groups(count: int, lang: str = "fi") -> tuple[str, ...]:
    """"Ryhmä 1", "Ryhmä 2", … : stored names, so in the room's language (Finnish)."""
    return tuple(t(lang, "methods.group.numbered", n=n) for n in range(1, count + 1))
