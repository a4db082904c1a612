"""The participant pages: join by code, the open activities with their forms, submissions.

Every refusal is a 4xx with a page in the participant's language that says what to do;
every accepted note is committed to SQLite before the response is sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import jinja2
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from markupsafe import Markup, escape

from facilitator import i18n, methods
from facilitator.domain import Activity, Event, Note, Participant
from facilitator.storage import EventNotFound, StateError, Store
from facilitator.storage.store import parse_id
from facilitator.storage.writer import Writer
from facilitator.web import page_cache, proxy, security, stream, workshop_choice
from facilitator.web.lists import items_html
from facilitator.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: A full 2,000-character note of emoji, percent-encoded, is about 24 KB; anything past
#: this is not a note.
MAX_BODY = 64 * 1024

STORE = web.AppKey("store", Store)
#: Where every write goes: off the loop, so a lock held by another process stalls no page.
WRITER = web.AppKey("writer", Writer)
ON_CHANGE = web.AppKey("on_change", Callable)
ONLY_EVENT = web.AppKey("only_event", object)
DEVICE_LIMIT = web.AppKey("device_limit", RateLimiter)
ADDRESS_LIMIT = web.AppKey("address_limit", RateLimiter)
GUESS_LIMIT = web.AppKey("guess_limit", RateLimiter)
JOIN_LIMIT = web.AppKey("join_limit", RateLimiter)
WRONG_CODES = web.AppKey("wrong_codes", RateLimiter)
#: Set on a request whose device holds the event's pass (it has opened the page before).
HAS_PASS = web.RequestKey("has_pass", bool)
DEVICE = web.RequestKey("device", object)
#: What a refusal gives back to the phone (its typed text), once the form is read.
KEEP = web.RequestKey("keep", dict)
JINJA = web.AppKey("jinja", jinja2.Environment)
SECRET = web.AppKey("secret", bytes)
#: The address phones reach the server at from the internet (`--public-url`), or None.
PUBLIC_URL = web.AppKey("public_url", object)
#: The event pages drawn for the current database version (page_cache.py).
PAGES = web.AppKey("pages", page_cache.PageCache)
#: What a phone has sent, drawn once per shape (`_sent_html`).
SENT_SHAPES = web.AppKey("sent_shapes", dict)

_GET_PAGES = {"home", "join", "event", "workshops"}
_CODE = re.compile(r"[A-Za-z]{1,32}")
#: The newest notes of a list a phone is shown (the console and the memo show all).
PHONE_LIST_LIMIT = methods.PHONE_LIST_LIMIT
#: Longer paths are no page of ours; refused before any handler sees them.
MAX_PATH = 512
#: A form's body (at most 64 KB) comes within this, or the post is refused: a body
#: trickled byte by byte would hold the handler, and a deflate body cut short left
#: aiohttp waiting for the rest until the client gave up (found by tests/web/test_fuzz).
BODY_SECONDS = 10.0

_STATUS_KEYS = {
    400: "web.error.bad_request",
    403: "web.error.forbidden",
    404: "web.error.not_found",
    405: "web.error.method",
    413: "web.error.too_large",
    414: "web.error.not_found",
    429: "web.error.too_many",
}
#: An error page's title says what happened: "not sent" only where something was sent.
_TITLE_KEYS = {
    400: "web.error.title_bad_request",
    403: "web.error.title_forbidden",
    404: "web.error.title_not_found",
    405: "web.error.title_method",
    409: "web.error.title_conflict",
    413: "web.error.title_too_large",
    414: "web.error.title_not_found",
    429: "web.error.title_too_many",
    500: "web.error.title_internal",
    503: "web.error.title_unavailable",
}


def make_app(
    store: Store,
    on_change: Callable[[str, object], None] | None = None,
    only_event: int | None = None,
    writer: Writer | None = None,
    public_url: str | None = None,
    trusted_proxies: frozenset[str] = frozenset(),
) -> web.Application:
    """The aiohttp application.

    `on_change(kind, payload)` is called after each commit ("note", "join") so a console
    in the same loop can refresh; `only_event` restricts the server to one event (a
    headless `serve` for an online round exposes nothing else in the database).
    `public_url` is where phones reach it through a reverse proxy (see `public_base_url`);
    `trusted_proxies` the proxies whose `X-Forwarded-For` is believed (`web/proxy.py`).
    `writer` the process's writer thread (the console shares its own), else one of the
    app's own.
    """
    app = web.Application(client_max_size=MAX_BODY,
                          middlewares=[proxy.proxy_middleware, _errors_middleware])
    app[PUBLIC_URL] = public_url
    app[proxy.TRUSTED_PROXIES] = frozenset(trusted_proxies)
    app[proxy.SECURE_COOKIES] = bool(public_url and public_url.startswith("https://"))
    app[STORE] = store
    app[WRITER] = writer or Writer(store)
    if writer is None:
        app.on_cleanup.append(_stop_writer)
    # Every commit a handler makes also wakes the event streams' hub (stream.py), which
    # sees the console's and other processes' commits on its own.
    hub = app[stream.HUB] = stream.Hub(store)
    app[stream.KEEPALIVE_SECONDS] = stream.KEEPALIVE
    app.on_startup.append(hub.start)
    app.on_shutdown.append(hub.stop)
    told = on_change or (lambda kind, payload: None)

    def changed(kind: str, payload: object) -> None:
        hub.poke()
        told(kind, payload)

    app[ON_CHANGE] = changed
    app[ONLY_EVENT] = only_event
    app[SECRET] = store.secret()  # read once: every form and every post needs it
    app[PAGES] = page_cache.PageCache()
    app[SENT_SHAPES] = {}
    app[DEVICE_LIMIT] = RateLimiter(burst=10, per_second=1.0)
    app[ADDRESS_LIMIT] = RateLimiter(burst=2000, per_second=500.0)
    # Wrong join codes, per address: 20 a minute, with a burst of 30 for a room behind one
    # NAT address where some mistype (the right code takes nothing, see `_event`). One
    # address finds a 5-letter code (22^5 = 5.2 million) in 89 days on average, a
    # 10-letter online code (22^10 = 2.7e13) never; 1,000 addresses at 20 a minute each
    # would need 1,265 years for the online code.
    app[GUESS_LIMIT] = RateLimiter(burst=30, per_second=20 / 60)
    # And a ceiling on wrong codes from everyone together: past 2 a second (burst 300),
    # an address that has guessed wrong in the last minute and a half (its bucket not yet
    # full again) is refused even the right code. Addresses that never guessed, the room
    # scanning its QR code, are not held back. Many addresses then get about one guess
    # each per refill: 1,000 of them ~800 a minute, 63,000 years for an online code.
    app[WRONG_CODES] = RateLimiter(burst=300, per_second=2.0)
    # New devices per address, counted when a device becomes a participant (its first
    # post): a whole room behind one NAT (300 a minute, and 5 a second after that) joins;
    # a script cannot fill a discussion with teams.
    app[JOIN_LIMIT] = RateLimiter(burst=300, per_second=5.0)
    app[JINJA] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "pages"),
        # Checking the templates' files for changes costs a stat per template per page;
        # only a developer editing them (FACILITATOR_DEV=1) wants that.
        auto_reload=os.environ.get("FACILITATOR_DEV") == "1",
        autoescape=True,  # participant text is data, never markup
        undefined=jinja2.StrictUndefined,
    )
    # What the pages' macros draw with, the same for every page (view.html).
    app[JINJA].globals.update(items_html=items_html, kind=_block_kind, time_left=_time_left,
                              typed_text=_typed_text)
    app.router.add_get("/", home, name="home")
    app.router.add_get("/join", join, name="join")
    app.router.add_get("/e/{code}", event_page, name="event")
    app.router.add_get("/e/{code}/state", event_state)
    app.router.add_get("/e/{code}/stream", event_stream)
    app.router.add_get("/e/{code}/g/{group_id}", group_link, name="group")
    app.router.add_post("/e/{code}/a/{activity_id}", submit)
    from facilitator.web import publish  # here: it builds on this module's helpers

    publish.add_routes(app)

    from facilitator.web import workshops  # here: its pages use this module's helpers

    workshops.add_routes(app)
    app.router.add_static("/static", HERE / "static", append_version=True)
    from facilitator.web import projector  # it draws with this module's helpers

    app[projector.BASE_URLS] = []
    projector.add_routes(app)
    return app


async def _stop_writer(app: web.Application) -> None:
    app[WRITER].stop()


# -- helpers --------------------------------------------------------------------------------


def public_base_url(app: web.Application) -> str | None:
    """The base URL phones use from the internet (`--public-url`, no trailing slash), for
    any page that shows an address to type or scan; None on a LAN, where the console's
    addresses (`netinfo.base_urls`) are the ones to show. Never the request's Host header:
    anyone can send one."""
    return app[PUBLIC_URL]


def _lang(request: web.Request) -> str:
    return i18n.pick(request.query.get("lang") or security.cookie(request, security.LANG_COOKIE))


def _render(
    request: web.Request, page: str, status: int = 200, **context
) -> web.Response:
    return _respond(request, _html(request, page, **context).encode(), status)


def _html(request: web.Request, page: str, **context) -> str:
    lang = _lang(request)
    template = request.app[JINJA].get_template(page)

    def t(key: str, **params) -> str:
        return i18n.t(lang, key, **params)

    return template.render(t=t, lang=lang, path=_lang_link_path(request), **context)


def _respond(request: web.Request, html: bytes, status: int = 200) -> web.Response:
    """A page (UTF-8) as the response, keeping a language the phone has just chosen."""
    response = web.Response(body=html, status=status, content_type="text/html",
                            charset="utf-8")
    if request.query.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            security.LANG_COOKIE, _lang(request), max_age=security.COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True, path="/",
        )
    return response


def _lang_link_path(request: web.Request) -> str:
    """Where "In English" / "Suomeksi" leads: the same page when it is one of ours that a
    GET can show, else the event page or the front page — never a path taken verbatim
    (`//elsewhere` would be another site) and never a POST-only address."""
    code = request.match_info.get("code") if request.match_info else None
    if request.method == "GET" and request.match_info.route.name in _GET_PAGES:
        return request.path if request.path.startswith("/") else "/"
    if code and _CODE.fullmatch(code):
        return f"/e/{code}"
    return "/"


def refusal(request: web.Request, status: int, key: str, **params) -> web.Response:
    title = ("web.error.title" if request.method == "POST"
             else _TITLE_KEYS.get(status, "web.error.title_internal"))
    return _render(request, "error.html", status=status, message_key=key, params=params,
                   title_key=title)


def _event(request: web.Request, code: str | None = None) -> Event:
    """The event a request names by its code, or a refusal.

    A device that holds this event's pass (given with the event page) is not guessing and
    is never throttled. Any other request is a join attempt: while its address is
    throttled it gets a 429 whatever the code, right or wrong, so the answers tell a
    guesser nothing; only a wrong code takes from the buckets (see `make_app`), so a room
    scanning the right code from behind one NAT address never throttles itself.
    """
    app = request.app
    code = request.match_info["code"] if code is None else code
    try:
        event = app[STORE].event_by_code(code)
    except EventNotFound:
        event = None
    only = app[ONLY_EVENT]
    if only is not None and event is not None and event.id != only:
        event = None
    if event is not None and security.has_event_pass(
        request, app[SECRET], _signed_device(request), event.id
    ):
        request[HAS_PASS] = True
        return event
    address = request.remote or "?"
    guesses, wrong = app[GUESS_LIMIT], app[WRONG_CODES]
    if guesses.exhausted(address) or (wrong.exhausted("*") and guesses.used(address)):
        raise _Refused(429, "web.error.too_many_tries")
    if event is None:
        guesses.allow(address)
        wrong.allow("*")
        raise _Refused(404, "web.error.no_event")
    return event


class _Refused(Exception):
    def __init__(self, status: int, key: str, **params):
        super().__init__(key)
        self.status, self.key, self.params = status, key, params


@web.middleware
async def _errors_middleware(request: web.Request, handler):
    try:
        if len(request.raw_path) > MAX_PATH:
            raise _Refused(414, "web.error.not_found")
        response = await handler(request)
    except (_Refused, stream.Refused) as refused:
        response = refusal(request, refused.status, refused.key, **refused.params)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        key = _STATUS_KEYS.get(exc.status, "web.error.bad_request")
        response = refusal(request, exc.status, key)
    except sqlite3.Error as exc:
        # A full disk, a file made read-only or damaged under us: a clear page for the
        # phone (with its typed text), one line for the facilitator, never a traceback.
        log.error("cannot use the database on %s %s: %s", request.method,
                  request.path[:200], exc)
        request.app[ON_CHANGE]("error", f"database: {exc}")
        response = refusal(request, 503, "web.error.storage", **request.get(KEEP, {}))
    except Exception as exc:  # a bug: log it, keep serving, answer in the room's language
        log.exception("unexpected error on %s %s", request.method, request.path[:200])
        request.app[ON_CHANGE]("error", f"{type(exc).__name__}: {exc}")
        response = refusal(request, 500, "web.error.internal")
    if not response.prepared:  # an event stream has sent its headers already
        security.add_security_headers(response)
    if request.headers.get("Content-Encoding"):
        # No browser compresses a form, and a bad compressed body can leave aiohttp's
        # parser stuck mid-body: the next request on that connection went unanswered
        # (found by tests/web/test_fuzz). Such a connection ends with its answer.
        response.force_close()
    return response


# -- handlers -------------------------------------------------------------------------------


async def home(request: web.Request) -> web.Response:
    return _render(request, "home.html", code="", error_key="")


async def join(request: web.Request) -> web.StreamResponse:
    """The bare address's form: the code as typed, any case, spaces allowed."""
    code = request.query.get("code", "").strip()[:32]
    try:
        event = _event(request, code)
    except _Refused as refused:
        return _render(request, "home.html", status=refused.status, code=code,
                       error_key=refused.key)
    raise web.HTTPSeeOther(f"/e/{event.join_code}")


def _device_token(request: web.Request) -> tuple[str, bool]:
    """This device's token, issuing one on first visit or for a cookie we did not sign.
    Reading a page writes nothing: a device becomes a participant with its first post,
    group or vote (`_participant`), so link previews, HEADs and bare GETs never count as
    people."""
    token = _signed_device(request)
    if token is None:
        return security.new_device_token(request.app[SECRET]), True
    return token, False


def _signed_device(request: web.Request) -> str | None:
    """The request's device token if we signed it; checked once per request."""
    if DEVICE not in request:
        request[DEVICE] = security.device_token(request, request.app[SECRET])
    return request[DEVICE]


def _participant(request: web.Request, store: Store, event: Event, token: str,
                 lang: str) -> Participant:
    """The participant behind this device, made on its first contribution; call inside
    the contribution's transaction (a writer's job: on its thread, or on the loop while
    the thread is idle, so the join limit is never used by two threads at once), so a
    refused post makes no participant."""
    participant = store.participant(event.id, token)
    if participant is None:
        if not request.app[JOIN_LIMIT].allow(request.remote or "?"):
            raise _Refused(429, "web.error.too_many")
        participant = store.join(event.id, token, lang)
    return participant


def _method_context(
    request: web.Request, activity: Activity, participant: Participant | None,
    store: Store | None = None, lang: str | None = None,
) -> methods.Context:
    """What a method sees of this phone; `store` the writer's in a write."""
    return methods.Context(store or request.app[STORE], activity, lang or _lang(request),
                           participant, audience="phone")


def _block_kind(block: object) -> str:
    return type(block).__name__.lower()


def _page_context(request: web.Request, event: Event, token: str) -> dict:
    """Each running activity with what its method shows this participant, then the
    closed ones that still show something (a vote's results)."""
    store = request.app[STORE]
    me = store.participant(event.id, token)
    workshop = workshop_choice.chosen(request, store, request.app[SECRET], token, event)
    activities = workshop_choice.visible(store, event, workshop)
    running, finished = [], []
    for activity in activities:
        if activity.state == "draft":
            continue
        # A phone is shown the newest of a long list: the page costs what it shows.
        view = methods.resolve(methods.get(activity.method).participant_view(
            _method_context(request, activity, me)
        ), limit=PHONE_LIST_LIMIT)
        if activity.state == "open":
            running.append((activity, view))
        elif view:
            finished.append((activity, view))
    secret = request.app[SECRET]
    return {
        "event": event,
        "activities": running,
        "finished": finished,
        "phone_list_limit": PHONE_LIST_LIMIT,
        "csrf": security.csrf_token(secret, token, event.id),
        "live_key": stream.live_key(activities),
        "workshop": workshop_choice.page_context(request, store, request.app[SECRET], token,
                                                 event),
        "me": me,
        "sent": None,
        "sent_slot": "",
        "saved": None,
        "form_error": None,
    }


def _time_left(deadline: str) -> str:
    """m:ss until a countdown's deadline, as the page first shows it (the script ticks)."""
    left = methods.seconds_left(deadline)
    return "" if left is None else methods.clock(left)


async def event_page(request: web.Request) -> web.Response:
    # Nothing in here awaits: the database's version is asked once for all it reads.
    with request.app[STORE].reading():
        return _event_page(request)


def _event_page(request: web.Request) -> web.Response:
    event = _event(request)
    token, fresh = _device_token(request)
    saved = parse_id(request.query.get("saved", ""))
    if saved is None:
        html = _shared_page(request, event, token)
        return _with_cookies(request, _respond(request, html), token, fresh, event)
    context = _page_context(request, event, token)
    context["saved"] = saved
    return _with_cookies(request, _render(request, "event.html", **context), token, fresh,
                         event)


def _sent_note(request: web.Request, me: Participant | None) -> Note | None:
    """The note `?sent=` names, if this device (`me`) wrote it: only the device that
    wrote a note is shown it back, and not once the facilitator has hidden it (hidden
    notes reach only the console)."""
    sent_id = parse_id(request.query.get("sent", ""))
    if sent_id is None or me is None:
        return None
    note = request.app[STORE].note(sent_id)
    if note and note.participant_id == me.id and not note.hidden:
        return note
    return None


def _shared_page(request: web.Request, event: Event, token: str) -> bytes:
    """The event page as this phone sees it, drawn once for all the phones that see the
    same (page_cache.py says what is in the key, and why); with what it has just sent
    (`?sent=`) put in its slot."""
    app = request.app
    store = app[STORE]
    # The version first, then the key: a commit landing while the key is read (the
    # writer's thread, another process) then files this drawing under the version
    # before it, which the next request no longer asks for. Read after the key, a
    # phone's own waiting note committed meanwhile would be drawn into a page filed
    # as one without it, and shown to its table.
    version = store.change_stamp()
    me = store.participant(event.id, token)
    workshop = workshop_choice.chosen(request, store, app[SECRET], token, event)
    parts = tuple(
        (activity.id, methods.get(activity.method).phone_key(
            _method_context(request, activity, me)))
        for activity in workshop_choice.visible(store, event, workshop)
        if activity.state != "draft")
    key = (event.id, _lang(request), _lang_link_path(request),
           workshop.id if workshop is not None else None,
           store.waiting_of(me.id) if me is not None else (), parts)

    def draw() -> bytes:
        context = _page_context(request, event, token)
        context["csrf"] = page_cache.CSRF_SLOT
        context["sent_slot"] = Markup(page_cache.SENT_SLOT)
        return _html(request, "event.html", **context).encode()

    sent = _sent_note(request, me)  # the participant read for the key, not again
    fill = {page_cache.CSRF_SLOT: security.csrf_token(app[SECRET], token, event.id),
            page_cache.SENT_SLOT: _sent_html(request, sent) if sent is not None else ""}
    return app[PAGES].page(version, key, draw, fill)


#: Stand in for a sent note's heading and text in its drawing (random, as the page's slots).
_HEADING_SLOT, _TEXT_SLOT = secrets.token_hex(16), secrets.token_hex(16)


def _sent_html(request: web.Request, note: Note) -> str:
    """What the phone has just sent, as the page shows it back: sent.html drawn once per
    language and shape (waiting for approval or not, with a heading or not), the note's
    own words put in escaped as the template would (the macro drawn for each post was a
    twentieth of the post's cost). The stand-in has only what the template reads: a new
    field read there fails loudly rather than show one phone's value to the next."""
    lang = _lang(request)
    shape = (lang, bool(note.pending), bool(note.heading))
    drawn = request.app[SENT_SHAPES].get(shape)
    if drawn is None:
        macro = request.app[JINJA].get_template("sent.html").module.sent_section
        stand_in = SimpleNamespace(pending=note.pending, text=_TEXT_SLOT,
                                   heading=_HEADING_SLOT if note.heading else "")
        drawn = str(macro(lambda key, **params: i18n.t(lang, key, **params), stand_in))
        request.app[SENT_SHAPES][shape] = drawn
    return drawn.replace(_HEADING_SLOT, escape(note.heading)).replace(
        _TEXT_SLOT, escape(note.text))


def _with_cookies(request: web.Request, response: web.Response, token: str, fresh: bool,
                  event: Event) -> web.Response:
    """An event page's response with what the phone keeps: a new device's token, and the
    event's pass where it has none yet (the pages after it need no join code)."""
    if fresh:
        security.set_device_cookie(response, token)
    if fresh or not request.get(HAS_PASS):
        security.set_event_pass(response, request.app[SECRET], token, event.id)
    return response


async def event_state(request: web.Request) -> web.Response:
    """What the page's script polls, where it has no EventSource, to notice that the
    facilitator moved the room on."""
    event = _event(request)
    store = request.app[STORE]
    workshop = workshop_choice.chosen(request, store, request.app[SECRET],
                                      _signed_device(request), event)
    return web.json_response(text=stream.dumps(workshop_choice.phone_state(store, event,
                                                                            workshop)))


async def event_stream(request: web.Request) -> web.StreamResponse:
    """The same state as `event_state`, sent each time it changes (stream.py); one
    channel per event (and per workshop for the phones in one), so a change costs one
    read however many phones listen."""
    event = _event(request)
    store = request.app[STORE]
    workshop = workshop_choice.chosen(request, store, request.app[SECRET],
                                      _signed_device(request), event)
    key = ("phone", event.id) if workshop is None else ("phone", event.id, workshop.id)
    return await request.app[stream.HUB].serve(
        request, key,
        lambda: stream.dumps(workshop_choice.phone_state(store, event, workshop)))


async def group_link(request: web.Request) -> web.StreamResponse:
    """A table's own QR code: opening it puts this phone in that group.

    A phone scanning it for the first time has no cookie yet: it gets one and comes back
    (`?c=1`) with it, and only then joins. A link preview or a scanner app checking the
    address keeps no cookie, so it never comes back as someone: it joins no group."""
    event = _event(request)
    store = request.app[STORE]
    group_id = parse_id(request.match_info["group_id"])
    group = store.group(group_id) if group_id is not None else None
    activity = store.activity(group.activity_id) if group else None
    if activity is None or activity.event_id != event.id:
        raise _Refused(404, "web.error.no_group", code=event.join_code)
    secret = request.app[SECRET]
    token = _signed_device(request)
    if token is None and request.query.get("c") != "1":
        response = web.Response(status=303, headers={"Location": f"{request.path}?c=1"})
        token = security.new_device_token(secret)
        security.set_device_cookie(response, token)
        security.set_event_pass(response, secret, token, event.id)
        return response
    if token is not None and request.method == "GET":  # a HEAD changes nothing
        lang = _lang(request)

        def join_group(store: Store) -> None:
            with store.transaction():
                participant = _participant(request, store, event, token, lang)
                store.set_member(activity.id, participant.id, group.id)

        await request.app[WRITER].run(join_group, small=True)
        request.app[ON_CHANGE]("group", activity.id)
    return web.Response(status=303, headers={"Location": f"/e/{event.join_code}#a{activity.id}"})


async def submit(request: web.Request) -> web.StreamResponse:
    app = request.app
    event = _event(request)
    posted = await _form(request)
    # From here on every refusal gives the typed text back: nothing is lost.
    keep = request[KEEP] = {"code": event.join_code, "kept_text": _typed_text(posted)}
    if not app[ADDRESS_LIMIT].allow(request.remote or "?"):
        raise _Refused(429, "web.error.too_many", **keep)
    token = _signed_device(request)
    if token is None:
        raise _Refused(403, "web.error.no_cookie", **keep)
    if not app[DEVICE_LIMIT].allow(token):
        raise _Refused(429, "web.error.too_many", **keep)
    if not security.csrf_ok(app[SECRET], token, event.id, posted.get("csrf", "")):
        raise _Refused(403, "web.error.csrf", **keep)
    form_name = posted.get("form", "")
    lang = _lang(request)

    def store_it(store: Store):
        # The state is checked and the submission written under one write lock: a close
        # or a next round from another process cannot slip in between. A refused post
        # leaves nothing behind, not even a participant.
        activity = None
        try:
            with store.transaction():
                activity = _open_activity(store, request, event, keep)
                workshop = workshop_choice.chosen(request, store, app[SECRET], token,
                                                  event)
                if (refused := workshop_choice.refusal(store, activity, workshop)) is not None:
                    raise _Refused(409, refused, **keep)
                participant = _participant(request, store, event, token, lang)
                workshop_choice.remember(store, participant, workshop)
                return activity, methods.get(activity.method).submit(
                    _method_context(request, activity, participant, store, lang),
                    form_name, posted,
                ), None
        except methods.InvalidInput as invalid:
            return activity, None, invalid

    try:
        activity, receipt, invalid = await app[WRITER].run(store_it, small=True)
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise  # a full disk, a read-only file: the middleware says it (typed text kept)
        # The database stayed locked past the busy timeout.
        log.error("could not store a submission: %s", exc)
        raise _Refused(503, "web.error.busy", **keep) from None
    if invalid is not None:
        # The form again, with what they typed and chose, and what to change.
        context = _page_context(request, event, token)
        context["form_error"] = (activity.id, form_name, invalid.key, invalid.params, posted,
                                 invalid.field, invalid.status)
        return _render(request, "event.html", status=invalid.status, **context)
    app[ON_CHANGE]("note", receipt.note or activity.id)
    # Answered, not raised: a raised redirect climbs through every middleware as an
    # exception, on every note a room sends.
    if receipt.note is not None:
        return web.Response(status=303, headers={
            "Location": f"/e/{event.join_code}?sent={receipt.note.id}#sent"})
    return web.Response(status=303, headers={
        "Location": f"/e/{event.join_code}?saved={activity.id}#a{activity.id}"})


def _typed_text(posted: methods.Posted) -> str:
    """What the participant wrote, to give back with a refusal: the note (`text`), or
    else the longest field (a reason, a report, a topic)."""
    if posted.get("text", "").strip():
        return posted["text"]
    texts = [v for k, v in posted.items() if k not in ("csrf", "form")]
    return max(texts, key=len, default="")


async def _form(request: web.Request) -> methods.Posted:
    """The posted fields (files ignored); a body we cannot read is a 400, too big a 413."""
    try:
        if request.content.is_eof():  # all of it came with the headers (a phone's note)
            form = await request.post()
        else:
            async with asyncio.timeout(BODY_SECONDS):
                form = await request.post()
    except web.HTTPException:
        raise
    except TimeoutError:
        raise _Refused(408, "web.error.bad_request") from None
    except (ValueError, LookupError, AssertionError, RequestPayloadError,
            HttpProcessingError, ConnectionResetError):
        # Undecodable bytes, an unknown charset, a body that is not what its headers say,
        # a multipart part whose headers are no headers (a control character in a name);
        # or the body stopped coming (a phone off the Wi-Fi mid-post, a deflate body the
        # parser refused at its end): nobody may be there to read the 400, but it is no
        # error of ours to log with a traceback.
        raise _Refused(400, "web.error.bad_request") from None
    # A repeated field: `get` gives the first, `getall` all (the "checks" inputs).
    return methods.Posted([(k, v) for k, v in form.items() if isinstance(v, str)])


def _open_activity(store: Store, request: web.Request, event: Event, keep: dict) -> Activity:
    activity_id = parse_id(request.match_info["activity_id"])
    try:
        activity = store.activity(activity_id if activity_id is not None else -1)
    except StateError:
        raise _Refused(404, "web.error.no_activity", **keep) from None
    if activity.event_id != event.id:
        raise _Refused(404, "web.error.no_activity", **keep)
    if activity.state == "draft":
        raise _Refused(409, "web.error.not_open", **keep)
    if activity.state != "open":
        # The facilitator closed it while they typed: their text comes back to copy.
        raise _Refused(409, "web.error.closed", **keep)
    return activity
