"""What a page says is what happened: an error's title names it ("not sent" only when
something was sent), and the waiting page promises nothing a page without JavaScript
cannot keep."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_of


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize(("path", "lang", "status", "title"), [
    ("/e/ZZZZZ", "fi", 404, "Sivua ei löytynyt"),
    ("/ei-tallaista", "fi", 404, "Sivua ei löytynyt"),
    ("/e/ZZZZZ", "en", 404, "Page not found"),
])
async def test_an_unknown_link_says_not_found_not_not_sent(server, phone, path, lang, status,
                                                           title):
    base = f"http://127.0.0.1:{server.port}"
    async with phone.get(f"{base}{path}?lang={lang}") as r:
        assert r.status == status
        html = await r.text()
    assert h1(html) == title
    assert "Lähetys ei onnistunut" not in html and "Not sent" not in html
    assert f"<title>{title}</title>" in html


async def test_a_wrong_method_says_so(server, phone):
    async with phone.put(f"http://127.0.0.1:{server.port}/") as r:
        assert r.status == 405
        assert h1(await r.text()) == "Sivua ei voi avata näin"


async def test_a_refused_post_says_not_sent_and_gives_the_text_back_labelled(
        server, phone, demo, store):
    event, activity = demo
    base = f"http://127.0.0.1:{server.port}"
    async with phone.get(f"{base}/e/{event.join_code}") as r:
        csrf = csrf_of(await r.text())
    store.set_activity_state(event.id, activity.id, "closed")
    async with phone.post(f"{base}/e/{event.join_code}/a/{activity.id}",
                          data={"csrf": csrf, "form": "note", "text": "Tärkeä <ajatus>",
                                "heading": activity.headings[0]}) as r:
        assert r.status == 409
        html = await r.text()
    assert h1(html) == "Lähetys ei onnistunut"
    # The text given back is in a labelled box, described by the reason.
    assert re.search(r'<label for="kept">[^<]+</label>\s*<textarea id="kept" readonly'
                     r' rows="6" aria-describedby="reason">Tärkeä &lt;ajatus&gt;</textarea>',
                     html)
    assert 'id="reason" tabindex="-1" autofocus' in html


async def test_the_waiting_page_does_not_promise_to_update_itself(server, phone, demo, store):
    event, activity = demo
    store.set_activity_state(event.id, activity.id, "closed")
    base = f"http://127.0.0.1:{server.port}"
    for lang, refresh in (("fi", "päivitä sivu"), ("en", "refresh the page")):
        async with phone.get(f"{base}/e/{event.join_code}?lang={lang}") as r:
            html = await r.text()
        waiting = re.search(r'<section class="waiting">(.*?)</section>', html, re.S).group(1)
        assert refresh in waiting
        assert "päivittyy, kun" not in waiting and "updates when" not in waiting
