"""The parallel workshops' pages: the list a phone chooses its workshop from, the choice
itself (a form's POST), and each workshop's own link for its QR code.

What a choice lets a phone see is `web.workshop_choice`; the pages are here.
"""

from __future__ import annotations

from aiohttp import web

from facilitator.domain import Event, Workshop
from facilitator.storage.store import parse_id
from facilitator.web import security, workshop_choice
from facilitator.web.app import (
    ADDRESS_LIMIT,
    ON_CHANGE,
    SECRET,
    STORE,
    WRITER,
    _device_token,
    _event,
    _form,
    _lang,
    _participant,
    _Refused,
    _render,
    _signed_device,
    _with_cookies,
)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/e/{code}/w", choose_page, name="workshops")
    app.router.add_get("/e/{code}/w/{workshop_id}", workshop_link, name="workshop")
    app.router.add_post("/e/{code}/w/{workshop_id}", choose)


def _workshop(request: web.Request, event: Event) -> Workshop:
    workshop_id = parse_id(request.match_info["workshop_id"])
    found = request.app[STORE].workshop(event.id, workshop_id)
    if found is None:
        raise _Refused(404, "workshops.error.no_workshop", code=event.join_code)
    return found


async def choose_page(request: web.Request) -> web.Response:
    """Every workshop of the event, each with a button that chooses it."""
    event = _event(request)
    token, fresh = _device_token(request)
    context = workshop_choice.page_context(request, request.app[STORE], request.app[SECRET],
                                           None if fresh else token, event)
    if not context["all"]:
        raise web.HTTPSeeOther(f"/e/{event.join_code}")
    context["choose"] = context["all"]
    response = _render(request, "choose_workshop.html", event=event,
                       csrf=security.csrf_token(request.app[SECRET], token, event.id),
                       workshop=context)
    return _with_cookies(request, response, token, fresh, event)


async def workshop_link(request: web.Request) -> web.StreamResponse:
    """A workshop's own QR code: the phone is in that workshop from then on.

    Writes nothing: the choice goes into the phone's cookie (the console counts the
    phone with its first post). A first scan has no device cookie yet: it gets one and
    comes back (`?c=1`), as a group's link does, so the choice is bound to it."""
    event = _event(request)
    workshop = _workshop(request, event)
    secret = request.app[SECRET]
    token = _signed_device(request)
    if token is None and request.query.get("c") != "1":
        response = web.Response(status=303, headers={"Location": f"{request.path}?c=1"})
        token = security.new_device_token(secret)
        security.set_device_cookie(response, token)
        security.set_event_pass(response, secret, token, event.id)
        return response
    response = web.Response(status=303, headers={"Location": f"/e/{event.join_code}"})
    if token is not None:
        workshop_choice.set_cookie(response, secret, token, event.id, workshop.id)
    return response


async def choose(request: web.Request) -> web.StreamResponse:
    """The chooser's button: this phone is in this workshop (kept on its row, counted).
    Not counted against the device's note budget: changing workshop is rare, writes one
    row, and a phone that has just posted its notes must still be able to move on."""
    event = _event(request)
    workshop = _workshop(request, event)
    posted = await _form(request)
    if not request.app[ADDRESS_LIMIT].allow(request.remote or "?"):
        raise _Refused(429, "web.error.too_many", code=event.join_code)
    token = _signed_device(request)
    if token is None:
        raise _Refused(403, "web.error.no_cookie", code=event.join_code)
    secret = request.app[SECRET]
    if not security.csrf_ok(secret, token, event.id, posted.get("csrf", "")):
        raise _Refused(403, "web.error.csrf", code=event.join_code)
    lang = _lang(request)

    def choose_it(store) -> None:  # by the writer: a lock elsewhere never stalls the loop
        with store.transaction():
            participant = _participant(request, store, event, token, lang)
            store.set_workshop(participant.id, workshop.id)

    await request.app[WRITER].run(choose_it, small=True)
    request.app[ON_CHANGE]("workshop", workshop.id)
    response = web.Response(status=303, headers={"Location": f"/e/{event.join_code}"})
    workshop_choice.set_cookie(response, secret, token, event.id, workshop.id)
    return response
