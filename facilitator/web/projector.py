"""The room's screen: a page at a secret address that shows the join code or the open
activity, drawn for the projector audience, live over its own event stream.

The address's token is derived, not stored: an HMAC of the event's id under the server's
secret (the one that signs device tokens and forms). So no migration, nothing to back-fill
for events made before, nothing in an event's JSON archive (an event imported on another
laptop gets that laptop's address), and the CLI prints the same address as the server
serves, from the same database. The price: it changes only with the secret, for all
events at once.

What the room sees (join screen, the activity, frozen, starred only) is kept in the
database's settings, so the console, the CLI and a headless `serve` in another process all
set the same screen; the hub notices the change like any other commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, replace
from typing import Literal

from aiohttp import web

from facilitator import i18n, methods
from facilitator.domain import Event
from facilitator.storage import Store
from facilitator.web import stream
from facilitator.web.app import (
    JINJA,
    ONLY_EVENT,
    SECRET,
    STORE,
    _lang,
    _Refused,
    _render,
)
from facilitator.web.netinfo import join_url
from facilitator.web.qr import qr_svg

#: 24 URL-safe characters: 144 bits of the HMAC, past the 128 a guess must beat.
TOKEN_CHARS = 24
#: The newest notes of a list the projector shows: what big type fits on a wall.
PROJECTOR_LIST_LIMIT = 12
#: The least time between two drawings of the projector's view: a room sending hundreds of
#: notes a second redraws the wall twice a second, not per note (the view reads the
#: activity's lists, the phones' state only the open activities).
REDRAW_SECONDS = 0.5
#: Where phones reach the server, first for the QR code; filled when the server starts
#: (a list, changed in place: the app is frozen by then).
BASE_URLS = web.AppKey("base_urls", list)

Show = Literal["auto", "join", "activity"]
SHOWS: tuple[Show, ...] = ("auto", "join", "activity")


def projector_token(secret: bytes, event_id: int) -> str:
    digest = hmac.new(secret, f"projector:{event_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_CHARS]


def projector_url(base: str, secret: bytes, event_id: int) -> str:
    return f"{base.rstrip('/')}/p/{projector_token(secret, event_id)}"


@dataclass(frozen=True)
class Mode:
    """What the facilitator lets the room see: `auto` the open activities, else the join
    screen; `join` the join screen; `activity` the chosen `activity`, open or closed (a
    closed vote's results), or the open ones if none is chosen — and the join screen when
    there is nothing to show: never a blank wall. `frozen` keeps the screen as it is;
    `starred` shows only the notes the facilitator starred. `workshop` narrows the open
    activities to one parallel workshop's and the whole room's, and its join screen to that
    workshop's own link (None: the whole event)."""

    show: Show = "auto"
    frozen: bool = False
    starred: bool = False
    activity: int | None = None
    workshop: int | None = None


def _mode_key(event_id: int) -> str:
    return f"projector:{event_id}"


def mode(store: Store, event_id: int) -> Mode:
    try:
        stored = json.loads(store.setting(_mode_key(event_id)) or "{}")
        found = Mode(**{k: v for k, v in stored.items() if k in Mode.__dataclass_fields__})
    except (ValueError, TypeError):
        return Mode()
    return found if found.show in SHOWS else replace(found, show="auto")


def set_mode(store: Store, event_id: int, **changes) -> Mode:
    """Change what the room sees (`show`, `frozen`, `starred`, `workshop`); returns the
    new mode."""
    new = replace(mode(store, event_id), **changes)
    if new.show not in SHOWS:
        raise ValueError(f"show must be one of {', '.join(SHOWS)}, not {new.show!r}")
    store.set_setting(_mode_key(event_id), json.dumps(asdict(new), sort_keys=True))
    return new


# -- what the room sees ------------------------------------------------------------------------


def _starred_only(blocks: list) -> list:
    """The lists narrowed to starred notes (in SQL where the list is read when drawn)."""
    out = []
    for block in blocks:
        if isinstance(block, methods.NoteList):
            out.append(replace(block, where={**block.where, "starred": 1}, known=None))
        elif isinstance(block, methods.Items):
            out.append(replace(block, items=tuple(i for i in block.items
                                                  if i.note is None or i.note.starred),
                               more=0))
        else:
            out.append(block)
    return out


def _view(store: Store, activity, lang: str, shown: Mode) -> list:
    ctx = methods.Context(store, activity, lang, audience="projector")
    blocks = list(methods.get(activity.method).live_view(ctx))
    if shown.starred:
        blocks = _starred_only(blocks)
    return methods.resolve(blocks, limit=PROJECTOR_LIST_LIMIT)


def render_view(app: web.Application, event: Event, lang: str) -> str:
    """The projector's screen as an HTML fragment (the page's main, and each event)."""
    store = app[STORE]
    shown = mode(store, event.id)
    # A workshop no longer of this event (a stale setting) is the whole event.
    workshop = store.workshop(event.id, shown.workshop) if shown.workshop is not None else None
    if shown.show == "join":
        running = []
    elif workshop is not None:
        running = store.activities_in(event.id, workshop.id, state="open")
    else:
        running = store.activities(event.id, state="open")
    if shown.show == "activity" and shown.activity is not None:
        chosen = [a for a in store.activities(event.id)
                  if a.id == shown.activity and a.state != "draft"]
        running = chosen or running
    bases = app[BASE_URLS] or ["http://127.0.0.1"]
    url = join_url(bases[0], event.join_code)
    if workshop is not None:  # its own link: a scan puts the phone in that workshop
        url = f"{url}/w/{workshop.id}"

    def t(key: str, **params) -> str:
        return i18n.t(lang, key, **params)

    activities = [(a, _view(store, a, lang, shown)) for a in running]
    qr = "" if activities else qr_svg(url, t("web.projector.qr", url=url))
    return app[JINJA].get_template("projector_view.html").render(
        t=t, lang=lang, event=event, url=url, qr=qr,
        activities=activities, phone_list_limit=PROJECTOR_LIST_LIMIT, shown=shown,
        workshop=workshop,
    )


def _state(app: web.Application, event: Event, lang: str, key: tuple) -> str:
    """The stream's data: the fragment and a short key of it. Frozen, it is what the
    channel last sent, so nothing goes out until the facilitator lets go."""
    channel = app[stream.HUB].channels.get(key)
    if channel is not None and channel.data and mode(app[STORE], event.id).frozen:
        return channel.data
    html = render_view(app, event, lang)
    return stream.dumps({"key": hashlib.sha256(html.encode()).hexdigest()[:16],
                         "html": html})


def _event_of(request: web.Request) -> Event:
    """The event whose token the address holds, or the normal 404 page."""
    token = request.match_info["token"]
    store, secret, only = request.app[STORE], request.app[SECRET], request.app[ONLY_EVENT]
    # compare_digest takes only ASCII text (a TypeError, a 500, otherwise): our tokens are
    # ASCII, so anything else is no token of ours.
    if len(token) == TOKEN_CHARS and token.isascii():
        for event in store.events():
            if (only is None or event.id == only) and hmac.compare_digest(
                    token, projector_token(secret, event.id)):
                return event
    raise _Refused(404, "web.error.not_found")


async def projector_page(request: web.Request) -> web.Response:
    event = _event_of(request)
    lang = _lang(request)
    key = ("projector", event.id, lang)
    hub = request.app[stream.HUB]
    channel = hub.channels.get(key)
    # Frozen, a fresh page shows what the other screens froze on, where there is one.
    data = json.loads(channel.data) if channel is not None and channel.data else None
    if data is None or not mode(request.app[STORE], event.id).frozen:
        data = json.loads(_state(request.app, event, lang, ("none",)))
    return _render(request, "projector.html", event=event, view=data["html"],
                   view_key=data["key"], stream=f"{request.path}/stream?lang={lang}")


async def projector_stream(request: web.Request) -> web.StreamResponse:
    event = _event_of(request)
    lang = _lang(request)
    key = ("projector", event.id, lang)
    return await request.app[stream.HUB].serve(
        request, key, lambda: _state(request.app, event, lang, key), REDRAW_SECONDS)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/p/{token}", projector_page, name="projector")
    app.router.add_get("/p/{token}/stream", projector_stream)
