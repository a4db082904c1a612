"""A phone's lists of notes, drawn in Python rather than in the page's template.

A list is the longest part of most pages (a station's 50 newest notes at a round change,
when every phone of the room reloads at once): drawn by Jinja's loop it took more than
half the page's time, each note's three attributes and two escapes going through the
template's machinery. The same markup, escaped by the same function (participant text
is data, never markup).
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from facilitator.methods import Items

_PENDING = ' class="pending"'


def items_html(items: Items, limit: int, t: Callable[..., str]) -> Markup:
    """A list block as the phone shows it: the newest `limit` when the list is newest
    first, the phone's own waiting notes marked, then how many earlier ones there are."""
    visible = list(items.items)
    if not visible:
        return Markup("")
    shown = list(reversed(visible))[:limit] if items.newest_first else visible
    waiting = f' <span class="waiting">{escape(t("web.event.waiting_note"))}</span>'
    lines = ['<ul class="items">\n']
    for item in shown:
        pending = item.pending
        meta = f'<span class="meta">{escape(item.meta)}</span> ' if item.meta else ""
        lines.append(f"\n<li{_PENDING if pending else ''}>{meta}"
                     f'<span class="note">{escape(item.text)}</span>'
                     f"{waiting if pending else ''}</li>\n")
    lines.append("\n</ul>\n")
    older = len(visible) - len(shown) + items.more
    if older > 0:
        lines.append(f'\n<p class="text muted">{escape(t("web.event.older", count=older))}</p>')
    return Markup("".join(lines))
