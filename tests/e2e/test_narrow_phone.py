"""The open space marketplace on a 390 px phone: it reads as a list, not a squeezed grid."""

from __future__ import annotations

import pytest

from facilitator import templates

pytestmark = pytest.mark.e2e

#: Long Finnish words, as the room types them: a squeezed grid broke them mid-word.
TOPICS = [
    "Yhteisöllisyyden vahvistaminen välitunneilla",
    "Oppilaskuntatoiminta ja osallisuus",
    "Opiskeluhuoltoryhmän yhteisöllinen työskentely",
    "Vanhempainyhdistysyhteistyö",
    "Tilaratkaisut ja yhteisöllisyys oppilaitoksessa",
    "Kiusaamisen ennaltaehkäisy yhteistyössä",
    "Tutoroppilastoiminnan kehittäminen",
    "Henkilökunnan hyvinvointi ja yhteisöllisyys",
]


def test_the_marketplace_fits_a_390px_phone(base_url, store, checked_page):
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    space = next(a for a in store.activities(event.id) if a.method == "open_space")
    store.set_activity_state(event.id, space.id, "open")
    convener = store.join(event.id, "convener-device")
    slots, spaces = space.config["slots"], space.config["spaces"]
    cells = [(slot, room) for slot in slots for room in spaces]
    for title, (slot, room) in zip(TOPICS, cells, strict=True):
        store.add_note(space.id, title, "", convener.id, kind="topic",
                       data={"convener": "Maija Meikäläinen", "description": "",
                             "slot": slot, "space": room})
    page = checked_page
    page.goto(f"{base_url}/e/{event.join_code}")
    assert page.get_by_text(TOPICS[0]).count() >= 1
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == 390
    # Nothing runs off the side: no sideways scrolling, no element past the right edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll("main *")]
             .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5
                          && getComputedStyle(e).clip === "auto")
             .map(e => e.tagName + ": " + e.textContent.slice(0, 40))""", width)
    assert wide == []
    # Each topic's cell is as wide as the card: a title wraps between words.
    cell_widths = page.eval_on_selector_all(
        ".table td", "tds => tds.map(td => td.getBoundingClientRect().width)")
    assert cell_widths and min(cell_widths) > 0.8 * width - 80
    # And no word of the grid is broken across two lines ("Til a").
    broken = page.evaluate(
        """() => {
          const out = [];
          for (const cell of document.querySelectorAll(".table tbody th, .table td")) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
              for (const m of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) out.push(m[0]);
              }
            }
          }
          return out;
        }""")
    assert broken == []
    # The grid in about one screen per two spaces, the whole page (the grid, choosing
    # sessions, proposing a topic) in four screens of 844 px, and half a screen more for
    # the choice of seminar 2's parallel workshops above it (this phone has not chosen).
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3900, height  # measured: 3,266 px, 3,757 px with the workshop choice
    marketplace = page.evaluate(
        "document.querySelector('.table').getBoundingClientRect().height")
    assert marketplace < 1200, marketplace  # measured: 920 px for the 8 sessions
