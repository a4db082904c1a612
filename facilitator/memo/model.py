"""What goes into the memo, gathered once from the store, in the seed's structure.

Facilitator-written summaries come first, participant material after; notes hidden by
moderation are left out. Renderers (Markdown now; HTML and DOCX later) only format this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from facilitator import methods
from facilitator.domain import Activity, Event, Part
from facilitator.domain.models import ActionItem
from facilitator.methods import Block
from facilitator.storage import Store


@dataclass(frozen=True)
class Card:
    """The seed's three-column card: three cells, each a list of its own — an aim and a
    result on the same line do not belong together."""

    aims: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    results: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.aims or self.how or self.results)


@dataclass
class ActivitySection:
    activity: Activity
    #: The facilitator's *Mitä tuloksena*, first; then the raw material (`blocks`).
    summary: str
    blocks: list[Block]  # the method's memo section; empty when nothing came in


@dataclass
class PartSection:
    part: Part
    card: Card = Card()
    activities: list[ActivitySection] = field(default_factory=list)


@dataclass
class Memo:
    event: Event
    participants: int
    card: Card
    parts: list[PartSection]
    action_items: list[ActionItem]


def _results(summaries: list[tuple[str, str]], planned: tuple[str, ...]) -> tuple[str, ...]:
    """A card's *Mitä tuloksena*: what the facilitator wrote, each activity's summary
    (titled when the part has several); the template's headings only while none is."""
    written = [(title, text) for title, text in summaries if text.strip()]
    if not written:
        return planned
    items: list[str] = []
    for title, text in written:  # each line of what was written is an item of the cell
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(summaries) > 1:
            lines[0] = f"{title}: {lines[0]}"
        items += lines
    return tuple(items)


def build_memo(store: Store, event_id: int, lang: str = "fi",
               on_part: Callable[[int, int], None] | None = None) -> Memo:
    """The memo as the record reads it (the memo audience): nothing hidden or waiting for
    approval, duplicates once, every list read in full. `on_part(done, parts)` is told
    after each part (an export's progress)."""
    event = store.event(event_id)
    sections = []
    parts = store.parts(event_id)
    for part in parts:
        section = PartSection(part=part)
        summaries = []
        for activity in part.activities:
            ctx = methods.Context(store, activity, lang, audience="memo")
            blocks = methods.resolve(methods.get(activity.method).memo_view(ctx))
            section.activities.append(ActivitySection(activity, activity.summary, blocks))
            summaries.append((activity.title, activity.summary))
        section.card = Card(part.aims, part.how, _results(summaries, part.results))
        sections.append(section)
        if on_part is not None:
            on_part(len(sections), len(parts))
    results = (event.summary,) if event.summary.strip() else event.results
    return Memo(
        event=event,
        participants=store.participant_count(event_id),
        card=Card(event.aims, event.how, results),
        parts=sections,
        action_items=store.action_items(event_id),
    )
