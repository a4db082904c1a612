"""Table cards: one printed card per group (its name, its QR code, its address as text)
and, for an event with parallel workshops, one per workshop, so a table's phones land in
their group, and a workshop's room in its workshop, by scanning.

One self-contained A4 HTML page (inline SVG codes, print CSS, nothing fetched), or a PDF
of it where the memo's PDF renderer (WeasyPrint) is installed. The addresses are the ones
the console's own dialogs show: the join base URL, then `/e/CODE/g/GROUP` or
`/e/CODE/w/WORKSHOP`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from facilitator import i18n
from facilitator.domain import Event
from facilitator.storage import Store
from facilitator.web.qr import qr_svg


@dataclass(frozen=True)
class Card:
    kind: str  # "group" or "workshop"
    name: str  # the group's or the workshop's name, as typed
    context: str  # the activity the group is of; the workshop's parts
    url: str


def group_url(base: str, event: Event, group_id: int) -> str:
    return f"{base.rstrip('/')}/e/{event.join_code}/g/{group_id}"


def workshop_url(base: str, event: Event, workshop_id: int) -> str:
    return f"{base.rstrip('/')}/e/{event.join_code}/w/{workshop_id}"


def cards(store: Store, event_id: int, base: str, activity_id: int | None = None) -> list[Card]:
    """Every group's card (of one activity, or of all), then each workshop's when the
    event has workshops and no single activity was asked for."""
    event = store.event(event_id)
    found: list[Card] = []
    for activity in store.activities(event_id):
        if activity_id is not None and activity.id != activity_id:
            continue
        found += [Card("group", g.name, activity.title, group_url(base, event, g.id))
                  for g in store.groups(activity.id)]
    if activity_id is None:
        parts = store.workshop_parts(event_id)
        for workshop in store.workshops(event_id):
            titles = " · ".join(p.title for p in parts[workshop.id])
            found.append(Card("workshop", workshop.name, titles,
                              workshop_url(base, event, workshop.id)))
    return found


_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "pages"),
    autoescape=True,  # group names are typed by participants: data, never markup
    undefined=jinja2.StrictUndefined,
)


def render_cards(store: Store, event_id: int, base: str, lang: str = "fi",
                 activity_id: int | None = None) -> str:
    """The print page of the event's cards (or of one activity's groups)."""
    return layout(store.event(event_id), cards(store, event_id, base, activity_id), lang)


def layout(event: Event, found: list[Card], lang: str = "fi") -> str:
    """The cards laid out as one A4 page of HTML: needs no database (a worker thread
    can run it)."""
    def t(key: str, **params) -> str:
        return i18n.t(lang, key, **params)

    shown = [(card, Markup(qr_svg(card.url, card.url))) for card in found]
    return _PAGES.get_template("table_cards.html").render(t=t, lang=lang, event=event, cards=shown)


def render_pdf(html: str) -> bytes:
    """The print page as PDF; `memo.pdf.PdfUnavailable` where WeasyPrint is missing."""
    from facilitator.memo.pdf import html_to_pdf

    return html_to_pdf(html)
