"""An event page drawn once for every phone that would see the same.

When the facilitator moves a room of a thousand phones on, every phone asks for its new
page within the same second. Drawn for each phone, that page (fifty notes at a station,
its forms) was most of the server's work: about 2 ms a phone, two seconds for the room
while the last phones waited (benchmarks/storm.py). The phones at one table see the same
station, so the page is drawn once per table and each phone gets that drawing with its
own form token put in.

What can make two phones' pages differ is in the key, or the page is not shared:
- what is stored: a drawing holds for one database version (`Store.change_stamp`) and is
  forgotten at the next change;
- the phone's part in each activity shown: its method's `phone_key` (the participant
  itself unless the method says the view is its group's, or everyone's), and its own
  notes that wait for approval (only that phone sees them);
- its workshop, its language, the path its language link leads back to, and the clock's
  second (the first m:ss a countdown shows);
- its form token, drawn as a placeholder that only this process knows and replaced
  in each phone's copy.
What a phone has just sent (`?sent=`) is drawn for it alone and put in its own slot; a
page that says a vote was saved (`?saved=`) or why a post was refused is drawn for that
phone alone (app.py).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Hashable

#: Stand for the phone's form token, and for what it has just sent (`?sent=`), in a
#: shared drawing. Random per process and never sent anywhere, so no participant's text
#: can hold them.
CSRF_SLOT = secrets.token_hex(32)
SENT_SLOT = f"<!--{secrets.token_hex(16)}-->"


class PageCache:
    """The pages drawn for the current database version and second."""

    #: Distinct pages kept at once (a page is about 10 KB): past it a page is drawn and
    #: not kept, as for phones whose pages are each their own.
    LIMIT = 2000

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._stamp: tuple | None = None
        self._pages: dict[Hashable, bytes] = {}
        #: Drawings made and drawings shared since the start (the benchmark prints them).
        self.drawn = self.shared = 0

    def page(self, version: tuple, key: Hashable, draw: Callable[[], bytes],
             fill: dict[str, str]) -> bytes:
        """The page for `key` (UTF-8), drawn by `draw()` with the slots in it unless a
        phone with the same key had it drawn already, with `fill` ({slot: this phone's
        text}) put in: kept as bytes, so a shared page is not encoded again per phone."""
        stamp = (*version, int(self._clock()))
        if stamp != self._stamp:
            self._pages.clear()
            self._stamp = stamp
        html = self._pages.get(key)
        if html is None:
            html = draw()
            self.drawn += 1
            if len(self._pages) < self.LIMIT:
                self._pages[key] = html
        else:
            self.shared += 1
        for slot, text in fill.items():
            html = html.replace(slot.encode(), text.encode())
        return html
