"""Only the server mints devices: a token it did not sign is no device's, and gets a fresh one."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from yarl import URL

from facilitator.web import security
from tests.conftest import csrf_of
from tests.web.test_participant_http import base


def cookie(response, name):
    morsel = response.cookies.get(name)
    return morsel.value if morsel else None


@pytest.mark.parametrize("forged", [
    "A" * 43,  # the old unsigned shape
    "A" * 32 + "." + "B" * 22,  # the signed shape, a made-up signature
    "x",
])
async def test_a_forged_cookie_gets_a_fresh_token_and_cannot_post(server, demo, store, forged):
    event, activity = demo
    url = f"{base(server)}/e/{event.join_code}"
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies({security.DEVICE_COOKIE: forged}, URL(base(server)))
    async with aiohttp.ClientSession(cookie_jar=jar) as phone:
        async with phone.get(url) as r:
            assert r.status == 200
            issued = cookie(r, security.DEVICE_COOKIE)
            assert issued and issued != forged
            set_cookie = "; ".join(r.headers.getall("Set-Cookie"))
            assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
            csrf = csrf_of(await r.text())
        # The page's form is bound to the fresh token, which the jar now carries.
        form = {"csrf": csrf, "text": "oma laite", "heading": activity.headings[0]}
        async with phone.post(f"{url}/a/{activity.id}", data=form,
                              allow_redirects=False) as r:
            assert r.status == 303
    # A script sending made-up tokens with a form it computed gets nowhere.
    async with aiohttp.ClientSession() as script:
        form["csrf"] = security.csrf_token(b"guess", forged, event.id)
        async with script.post(f"{url}/a/{activity.id}", data=form,
                               cookies={security.DEVICE_COOKIE: forged}) as r:
            assert r.status == 403
    assert store.participant_count(event.id) == 1


def test_tokens_are_signed_with_the_secret():
    token = security.new_device_token(b"k" * 32)

    def request():
        return make_mocked_request(
            "GET", "/", headers={"Cookie": f"other=1; {security.DEVICE_COOKIE}={token}"})

    assert security.device_token(request(), b"k" * 32) == token
    assert security.device_token(request(), b"other" * 8) is None


def test_a_cookie_header_of_any_shape_is_read_without_error():
    token = security.new_device_token(b"k" * 32)
    for header, expected in ((";;=;  ; novalue; =x", None),
                             (f'{security.DEVICE_COOKIE}="{token}"', None),  # quoted: not ours
                             (f"{security.DEVICE_COOKIE}={token}; {security.DEVICE_COOKIE}=x",
                              token),  # the first of a name counts
                             ("ä=ö; \x00=\x01", None)):
        request = make_mocked_request("GET", "/", headers={"Cookie": header})
        assert security.device_token(request, b"k" * 32) == expected, header
