"""Device tokens, event passes, CSRF tokens and the response headers every page gets.

Everything a cookie carries is signed with the store's secret (HMAC-SHA256): a device token
the server did not issue, or a pass for an event the device never opened, is not one.
"""

from __future__ import annotations

import base64
import functools
import hmac
import re
import secrets

from aiohttp import web

DEVICE_COOKIE = "fac_device"
LANG_COOKIE = "fac_lang"
#: Long enough for an online round that runs over weeks.
COOKIE_MAX_AGE = 60 * 24 * 3600
#: A device token: 32 random URL-safe characters, a dot, 22 of signature.
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$")
#: One pass cookie per event (`fac_pass_<id>`): "this device has opened this event's page".
PASS_COOKIE = "fac_pass_{}"

#: Only our own files: no inline scripts or styles, no frames, forms post only to us.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


#: Every request checks a device cookie and an event pass and makes or checks a CSRF
#: token, for the same few messages per phone: kept, a signature is a dict lookup, not an
#: HMAC (a room of 1,000 phones needs about 2,000 of each; a forged token only pushes one
#: out).
_KEPT = functools.lru_cache(maxsize=8192)


@_KEPT
def _sign(secret: bytes, purpose: str, length: int) -> str:
    # hmac.digest: the one-shot C path, a few times cheaper than hmac.new(...).digest().
    digest = hmac.digest(secret, purpose.encode(), "sha256")
    return base64.urlsafe_b64encode(digest).decode()[:length]


_COOKIES = web.RequestKey("cookies", dict)


def cookie(request: web.Request, name: str) -> str:
    """One cookie's value as the browser sent it, "" when it sent none. Ours are plain
    tokens (no quotes, spaces or semicolons), so splitting the header is all they need:
    aiohttp's full parser (quoted values, attributes), run on every request, was a
    twentieth of a note's cost. Split once per request; the first of a name counts."""
    jar = request.get(_COOKIES)
    if jar is None:
        jar = {}
        for part in request.headers.get("Cookie", "").split(";"):
            key, equals, value = part.strip().partition("=")
            if equals and key not in jar:
                jar[key] = value
        request[_COOKIES] = jar
    return jar.get(name, "")


def new_device_token(secret: bytes) -> str:
    """A fresh device token, signed: only the server mints devices, so a script cannot
    invent tokens (each would be a new participant on its first post)."""
    random_part = secrets.token_urlsafe(24)  # 24 bytes: 32 characters
    return f"{random_part}.{_sign(secret, f'device:{random_part}', 22)}"


def device_token(request: web.Request, secret: bytes) -> str | None:
    """The device cookie, if this server issued it; None for a missing, malformed or
    forged one (the caller then issues a fresh token)."""
    match = _TOKEN.match(cookie(request, DEVICE_COOKIE))
    if match is None:
        return None
    expected = _sign(secret, f"device:{match[1]}", 22)
    return match[0] if hmac.compare_digest(expected, match[2]) else None


def event_pass(secret: bytes, device: str, event_id: int) -> str:
    """Proof that this device has been given this event's page (so knows its code)."""
    return _sign(secret, f"pass:{device}:{event_id}", 32)


def has_event_pass(request: web.Request, secret: bytes, device: str | None,
                   event_id: int) -> bool:
    if device is None:
        return False
    given = cookie(request, PASS_COOKIE.format(event_id))
    expected = event_pass(secret, device, event_id)
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def set_event_pass(response: web.StreamResponse, secret: bytes, device: str,
                   event_id: int) -> None:
    response.set_cookie(
        PASS_COOKIE.format(event_id), event_pass(secret, device, event_id),
        max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", path="/",
    )


def set_device_cookie(response: web.StreamResponse, token: str) -> None:
    # HttpOnly: scripts never see it. SameSite=Lax: another site cannot post with it,
    # while opening the page from a QR code (a top-level GET) still carries it.
    response.set_cookie(
        DEVICE_COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", path="/"
    )


@_KEPT
def csrf_token(secret: bytes, device: str, event_id: int) -> str:
    """Bound to the device and the event: a token from one phone is useless with another's
    cookie, and a device posts only into an event whose page it has been given."""
    return hmac.digest(secret, f"csrf:{device}:{event_id}".encode(), "sha256").hex()[:40]


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
