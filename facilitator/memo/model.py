"""What goes into the memo, gathered once from the store, in the seed's structure.

Facilitator-written summaries come first, participant material after; notes hidden by
moderation are left out. Renderers (Markdown now; HTML and DOCX later) only format this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator import methods
from facilitator.domain import Activity, Event, Part
from facilitator.domain.models import ActionItem
from facilitator.methods import Block
from facilitator.storage import Store


@dataclass
class ActivitySection:
    activity: Activity
    blocks: list[Block]  # the method's memo section; empty when nothing came in


@dataclass
class PartSection:
    part: Part
    activities: list[ActivitySection] = field(default_factory=list)


@dataclass
class Memo:
    event: Event
    participants: int
    parts: list[PartSection]
    action_items: list[ActionItem]


def build_memo(store: Store, event_id: int, lang: str = "fi") -> Memo:
    event = store.event(event_id)
    sections = []
    for part in store.parts(event_id):
        section = PartSection(part=part)
        for activity in part.activities:
            ctx = methods.Context(store, activity, lang, include_hidden=False)
            blocks = methods.get(activity.method).memo_view(ctx)
            section.activities.append(ActivitySection(activity, blocks))
        sections.append(section)
    return Memo(
        event=event,
        participants=store.participant_count(event_id),
        parts=sections,
        action_items=store.action_items(event_id),
    )
