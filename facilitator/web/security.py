"""Device tokens, CSRF tokens and the response headers every page gets."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from aiohttp import web

DEVICE_COOKIE = "fac_device"
LANG_COOKIE = "fac_lang"
#: Long enough for an online round that runs over weeks.
COOKIE_MAX_AGE = 60 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

#: Only our own files: no inline scripts or styles, no frames, forms post only to us.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def device_token(request: web.Request) -> str | None:
    """The device cookie, if it is one we could have issued."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    return token if _TOKEN.match(token) else None


def set_device_cookie(response: web.StreamResponse, token: str) -> None:
    # HttpOnly: scripts never see it. SameSite=Lax: another site cannot post with it,
    # while opening the page from a QR code (a top-level GET) still carries it.
    response.set_cookie(
        DEVICE_COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", path="/"
    )


def csrf_token(secret: bytes, device: str, event_id: int) -> str:
    """Bound to the device and the event: a token from one phone is useless with another's
    cookie, and a device posts only into an event whose page it has been given."""
    return hmac.new(secret, f"csrf:{device}:{event_id}".encode(),
                    hashlib.sha256).hexdigest()[:40]


def csrf_ok(secret: bytes, device: str, event_id: int, given: str) -> bool:
    # Compared as bytes: compare_digest refuses non-ASCII text, and a hostile form may
    # send anything.
    expected = csrf_token(secret, device, event_id).encode()
    return hmac.compare_digest(expected, (given or "").encode("utf-8", "replace"))


def add_security_headers(response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "no-store")
