"""`material_url`: the material an activity starts from (the first online round's video),
linked on the phones; only http and https addresses get past the template."""

from __future__ import annotations

import pytest

from facilitator import templates
from facilitator.templates import TemplateError

TEMPLATE = """
[event]
title = "Verkkokeskustelu"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "discussion"
title = "Työryhmän keskustelu"
[parts.activities.config]
questions = ["Mitä kuulit videolla?"]
material_url = {url}
[[parts.activities]]
method = "question"
title = "Kysymys"
[parts.activities.config]
material_url = "http://intra.example.fi/esitys.pdf"
"""


def write(tmp_path, url: str):
    path = tmp_path / "aineisto.toml"
    path.write_text(TEMPLATE.replace("{url}", url), encoding="utf-8")
    return path


async def test_the_material_is_a_link_on_the_phone(server, phone, store, tmp_path):
    url = 'https://video.example.fi/katso?v=1&t="><b>x</b>'
    event = store.create_event(templates.load(write(tmp_path, "'" + url + "'")))
    talk, question = store.activities(event.id)
    for activity in (talk, question):
        store.set_activity_state(event.id, activity.id, "open")
    async with phone.get(f"http://127.0.0.1:{server.port}/e/{event.join_code}") as r:
        assert r.status == 200
        html = await r.text()
    # Escaped as data, opened apart from the page, told so.
    escaped = url.replace("&", "&amp;").replace('"', "&#34;").replace("<", "&lt;").replace(
        ">", "&gt;")
    assert (f'<a href="{escaped}" target="_blank" rel="noopener">Avaa tehtävän aineisto</a>'
            in html)
    assert "(avautuu uuteen välilehteen)" in html
    assert "<b>x</b>" not in html
    assert ('<a href="http://intra.example.fi/esitys.pdf" target="_blank" rel="noopener">'
            in html)  # any method's activity can have one


async def test_no_material_no_link(server, phone, demo):
    event, _ = demo
    async with phone.get(f"http://127.0.0.1:{server.port}/e/{event.join_code}") as r:
        assert 'class="material"' not in await r.text()


@pytest.mark.parametrize(("value", "reason"), [
    ('"javascript:alert(1)"', "must be an http:// or https:// address, e.g."
                              " https://example.fi/video, not 'javascript:alert(1)'"),
    ('"ftp://example.fi/video"', "must be an http:// or https:// address, e.g."
                                 " https://example.fi/video, not 'ftp://example.fi/video'"),
    ('"video.example.fi"', "must be an http:// or https:// address, e.g."
                           " https://example.fi/video, not 'video.example.fi'"),
    ('"https://example.fi/my video"', "must be one address without spaces,"
                                      " not 'https://example.fi/my video'"),
    ("42", "must be an http:// or https:// address, not 42"),
    ('"https://example.fi/' + "v" * 2000 + '"', "must be at most 2000 characters, not 2019"),
])
def test_only_http_and_https_addresses_are_taken(tmp_path, value, reason):
    with pytest.raises(TemplateError) as refused:
        templates.load(write(tmp_path, value))
    assert refused.value.field == "parts[0].activities[0].config.material_url"
    assert refused.value.reason == reason
