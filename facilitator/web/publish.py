"""The published memo on the participants' page: the HTML memo to read, the DOCX and PDF
to download (`facilitator publish EVENT`, the console's key).

Not published, an unknown event, or a PDF without its renderer: the site's 404 page. The
memo is the memo audience's (nothing hidden, nothing waiting), built in a worker thread
through a connection of its own (`memo.export.render_file`), and kept until the database
changes: a room of phones opening it at once builds it once, and while a PDF is being
laid out the loop goes on serving every other page.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote

from aiohttp import web

from facilitator import i18n
from facilitator.domain import Event
from facilitator.memo.export import file_name, render_file
from facilitator.memo.html import CSS
from facilitator.storage import Store
from facilitator.web import app as site
from facilitator.web.security import LANG_COOKIE, cookie

#: What each address gives: the format, its media type, and whether it is a download.
KINDS = {
    "html": ("text/html; charset=utf-8", False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    "pdf": ("application/pdf", True),
}
#: The memo's own stylesheet is inline (the file stands alone): allowed by its hash and
#: nothing else — no script, nothing fetched.
MEMO_CSP = ("default-src 'none'; style-src 'sha256-"
            + base64.b64encode(hashlib.sha256(f"\n{CSS}".encode()).digest()).decode()
            + "'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


@dataclass
class _Built:
    stamp: tuple
    task: asyncio.Future


@dataclass
class MemoCache:
    """One build per (event, format, language) and database version; callers that come
    while it runs wait for the same build instead of starting their own."""

    store: Store
    _built: dict[tuple, _Built] = field(default_factory=dict)

    async def get(self, event_id: int, fmt: str, lang: str) -> str | bytes:
        key = (event_id, fmt, lang)
        stamp = self.store.change_stamp()
        built = self._built.get(key)
        stale = built is None or (built.task.done() and (
            built.stamp != stamp or built.task.cancelled() or built.task.exception()))
        # A build still running for an older version is waited for, not doubled: under a
        # stream of notes the memo is then a few seconds old, and never built 150 times.
        if stale:
            task = asyncio.ensure_future(asyncio.to_thread(
                render_file, self.store.path, event_id, fmt, lang))
            built = self._built[key] = _Built(stamp, task)
        return await asyncio.shield(built.task)


CACHE = web.AppKey("memo_cache", MemoCache)


def pdf_available() -> bool:
    """WeasyPrint (an optional extra) and the Pango it draws with are installed."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def add_routes(app: web.Application) -> None:
    """The memo's addresses, and what the event page asks to offer it."""
    store = app[site.STORE]
    app[CACHE] = MemoCache(store)
    app[site.JINJA].globals["published_memo"] = lambda event: _offered(store, event)
    app.router.add_get("/e/{code}/memo", memo_page, name="memo")
    app.router.add_get("/e/{code}/memo.{fmt:docx|pdf}", memo_file, name="memo_file")


def _offered(store: Store, event: Event) -> list[tuple[str, str]]:
    """The event page's links (label key, address), none while it is not published."""
    if not store.memo_published(event.id):
        return []
    base = f"/e/{event.join_code}/memo"
    links = [("web.event.memo_read", base), ("web.event.memo_docx", f"{base}.docx")]
    if pdf_available():
        links.append(("web.event.memo_pdf", f"{base}.pdf"))
    return links


def _published(request: web.Request, fmt: str) -> Event:
    # The same pass rules as every event page (`site._event`): a guessed code is throttled.
    event = site._event(request)
    if not request.app[site.STORE].memo_published(event.id) or (
            fmt == "pdf" and not pdf_available()):
        raise site._Refused(404, "web.error.no_memo", code=event.join_code)
    return event


async def memo_page(request: web.Request) -> web.Response:
    return await _answer(request, "html")


async def memo_file(request: web.Request) -> web.Response:
    return await _answer(request, request.match_info["fmt"])


async def _answer(request: web.Request, fmt: str) -> web.Response:
    event = _published(request, fmt)
    # The memo speaks the event's language, unless this phone chose one ("In English").
    chosen = request.query.get("lang") or cookie(request, LANG_COOKIE)
    lang = chosen if chosen in i18n.LANGUAGES else event.lang
    body = await request.app[CACHE].get(event.id, fmt, lang)
    media, download = KINDS[fmt]
    response = web.Response(body=body.encode() if isinstance(body, str) else body,
                            headers={"Content-Type": media})
    if download:
        name = file_name(event, fmt, lang)
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}")
    else:
        response.headers["Content-Security-Policy"] = MEMO_CSP
    return response
