"""The parallel workshop a phone has chosen, and what that lets it see and post to.

The choice travels in a cookie, signed for the device and the event, so scanning a
workshop's QR code (a GET) takes the phone there without writing anything; the
participant's row keeps it too (chosen on the workshops' page, or with the first post
after a scan), which is what the console counts. The cookie wins when both are there:
it is the phone's latest choice.

A phone that has chosen no workshop sees what it saw before workshops existed (every
open activity), with the workshops to choose from above them: nobody who misses the
choice is locked out, and an event without workshops is untouched.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web

from facilitator.domain import Activity, Event, Participant, Workshop
from facilitator.storage import Store
from facilitator.web import security, stream

#: One cookie per event: `fac_ws_<event id>` = "<workshop id>.<signature>".
COOKIE = "fac_ws_{}"
CHOSEN = web.RequestKey("workshop_chosen", object)


def _signature(secret: bytes, device: str, event_id: int, workshop_id: int) -> str:
    message = f"workshop:{device}:{event_id}:{workshop_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def set_cookie(response: web.StreamResponse, secret: bytes, device: str, event_id: int,
               workshop_id: int) -> None:
    value = f"{workshop_id}.{_signature(secret, device, event_id, workshop_id)}"
    response.set_cookie(COOKIE.format(event_id), value, max_age=security.COOKIE_MAX_AGE,
                        httponly=True, samesite="Lax", path="/")


def _from_cookie(request: web.Request, secret: bytes, device: str, event: Event) -> int | None:
    raw = security.cookie(request, COOKIE.format(event.id))
    number, _, signature = raw.partition(".")
    if not (number.isascii() and number.isdigit() and len(number) <= 18):
        return None
    expected = _signature(secret, device, event.id, int(number))
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return None
    return int(number)


def chosen(request: web.Request, store: Store, secret: bytes, device: str | None,
           event: Event) -> Workshop | None:
    """The workshop this phone is in: its cookie's, else its participant row's; None
    when it has chosen none (or the event has no workshops). Read once per request."""
    if CHOSEN in request:
        return request[CHOSEN]
    found = None
    if device is not None and store.workshops(event.id):
        workshop_id = _from_cookie(request, secret, device, event)
        if workshop_id is None:
            me = store.participant(event.id, device)
            workshop_id = store.participant_workshop(me.id) if me else None
        found = store.workshop(event.id, workshop_id)
    request[CHOSEN] = found
    return found


def visible(store: Store, event: Event, workshop: Workshop | None,
            state: str | None = None) -> list[Activity]:
    """The activities a phone in `workshop` is shown, and whose opening and rounds move
    its page on: that workshop's and the whole room's; with no workshop, every one."""
    if workshop is None:
        return store.activities(event.id, state=state)
    return store.activities_in(event.id, workshop.id, state=state)


def phone_state(store: Store, event: Event, workshop: Workshop | None) -> dict:
    """What the phone's state poll and stream send (`stream.phone_state`), over the
    activities this phone is shown: another workshop's round never moves its page."""
    if workshop is None:
        return stream.phone_state(store, event.id)
    running = visible(store, event, workshop, state="open")
    return {"open": [a.id for a in running], "key": stream.live_key(running)}


def open_workshops(store: Store, event: Event) -> list[Workshop]:
    """The workshops with an activity open now: what a phone that has not chosen is
    asked to choose from."""
    placed = store.activity_workshops(event.id)
    running = {placed.get(a.id) for a in store.activities(event.id, state="open")}
    return [w for w in store.workshops(event.id) if w.id in running]


def page_context(request: web.Request, store: Store, secret: bytes, device: str | None,
                 event: Event) -> dict:
    """What a phone's pages say about workshops: the phone's, the ones open (to choose
    one while it has none), and each one's parts. `all` is empty without workshops."""
    workshops = store.workshops(event.id)
    if not workshops:
        return {"all": []}
    mine = chosen(request, store, secret, device, event)
    parts = {workshop_id: [f"{p.time_range} {p.title}".strip() for p in found]
             for workshop_id, found in store.workshop_parts(event.id).items()}
    return {"all": workshops, "mine": mine,
            "choose": [] if mine else open_workshops(store, event), "parts": parts}


def refusal(store: Store, activity: Activity, workshop: Workshop | None) -> str | None:
    """Why this phone may not post to `activity` (a catalogue key), or None: a phone in
    one workshop never posts into another's (a form left open from before it changed)."""
    if workshop is None:
        return None
    theirs = store.workshop_of(activity)
    return None if theirs is None or theirs.id == workshop.id else "workshops.error.other"


def remember(store: Store, participant: Participant, workshop: Workshop | None) -> None:
    """Keep a phone's choice on its participant row (inside its post's transaction), so
    the console counts it: a phone that scanned a workshop's card is counted with its
    first post. A phone that has chosen nothing is counted in none."""
    if workshop is not None and store.participant_workshop(participant.id) != workshop.id:
        store.set_workshop(participant.id, workshop.id)
