"""Every participant page state passes axe-core's WCAG 2.1 A/AA rules in real Chromium:
the join page, each bundled activity's forms, their refusals and confirmations, the
results once closed, and every error page — in Finnish and in English.

The phone here knows no method: it fills each form its page shows (tests/forms.py), once
wrongly (a refusal, the form back with what to fix) and once rightly (the confirmation).
"""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from facilitator import templates
from tests.e2e.axe import axe_source, skeleton, violations
from tests.forms import PageForm, page_forms

pytestmark = pytest.mark.e2e

BUNDLED = ["demo", "seminaari-1", "verkkokeskustelu-1", "seminaari-2", "verkkokeskustelu-2"]


class Checker:
    """Runs axe on each new page shape and collects what it finds, with where."""

    def __init__(self, page):
        self.page, self.source = page, axe_source()
        self.seen: set[str] = set()
        self.found: list[str] = []
        self.checked = 0

    def __call__(self, label: str) -> None:
        shape = skeleton(self.page.content())
        if shape in self.seen:
            return
        self.seen.add(shape)
        self.checked += 1
        self.found += [f"{label}: {line}" for line in violations(self.page, self.source)]
        # Headings nest in order (axe's rule for it is a best practice, not WCAG-tagged):
        # one h1, and no level skipped on the way down.
        levels = self.page.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6", "hs => hs.map(h => +h.tagName[1])")
        if levels.count(1) != 1 or levels[0] != 1:
            self.found.append(f"{label}: headings {levels}: one h1, first")
        for above, below in itertools.pairwise(levels):
            if below > above + 1:
                self.found.append(f"{label}: headings {levels}: h{above} then h{below}")
                break

    def assert_clean(self, at_least: int) -> None:
        assert not self.found, "\n".join(self.found)
        assert self.checked >= at_least  # the walk reached the states it is meant to


def submit(page, action: str, pairs: list[tuple[str, str]]) -> int:
    """Post as the page's own form would (a real navigation); the final status."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([action, pairs]) => {
                const form = document.createElement("form");
                form.method = "post"; form.action = action;
                for (const [name, value] of pairs) {
                    const input = document.createElement("textarea");
                    input.name = name; input.value = value; form.appendChild(input);
                }
                document.body.appendChild(form); form.submit();
            }""",
            [action, pairs],
        )
    return navigation.value.status


def send(page, url: str, **overrides) -> int:
    """Open `url` with the request changed as a browser never would (a PUT, a body in an
    unknown charset): the server's real answer, drawn by the browser."""

    def change(route):
        route.continue_(**overrides)

    page.route(url, change)
    try:
        return page.goto(url).status
    finally:
        page.unroute(url, change)


def wrong(form: PageForm) -> list[tuple[str, str]]:
    """The form filled wrongly: texts left empty, numbers not numbers, every box ticked,
    no choice made."""
    pairs: list[tuple[str, str]] = []
    for c in form.controls:
        if c.tag == "textarea" or (c.tag == "input" and c.type == "text"):
            pairs.append((c.name, ""))
        elif c.type == "number":
            pairs.append((c.name, "x"))
        elif c.type in ("checkbox", "hidden"):
            pairs.append((c.name, c.value))
    return pairs


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("name", BUNDLED)
def test_every_state_of_a_bundled_event_passes_axe(name, lang, base_url, store, checked_page):
    page = checked_page
    # This walk opens and closes activities faster than a room does; a page following
    # the room (live.js, over its event stream) would reload under it mid-check. What
    # that script does to a page is tested in test_projector.py and test_phone.py.
    page.route("**/static/live.js*",
               lambda route: route.fulfill(body="", content_type="text/javascript"))
    check = Checker(page)
    event = store.create_event(templates.load(templates.resolve(name)))
    url = f"{base_url}/e/{event.join_code}"
    page.goto(f"{base_url}/?lang={lang}")  # the language cookie, then every page in it
    check("join")
    page.goto(url)
    check("waiting")
    refusals = 0
    for activity in store.activities(event.id):
        store.set_activity_state(event.id, activity.id, "open")
        sent: set[str] = set()
        for _ in range(6):
            page.goto(url)
            check(f"{activity.title}")
            forms = [f for f in page_forms(page.content())
                     if f.action.endswith(f"/a/{activity.id}") and f.name not in sent]
            if not forms:
                break
            form = forms[0]
            if submit(page, form.action, wrong(form)) >= 400:
                refusals += 1
                check(f"{activity.title}: {form.name} refused")
            page.goto(url)
            form = next(f for f in page_forms(page.content()) if f.name == form.name
                        and f.action == form.action)
            assert submit(page, form.action, form.fill()) == 200, (activity.title, form.name)
            check(f"{activity.title}: {form.name} sent")
            sent.add(form.name)
        store.set_activity_state(event.id, activity.id, "closed")
    page.goto(url)
    check("closed: the results")
    assert refusals >= 1
    check.assert_clean(at_least=4)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_error_page_passes_axe(lang, base_url, store, demo, checked_page, db_path):
    page = checked_page
    check = Checker(page)
    event, activity = demo
    url = f"{base_url}/e/{event.join_code}"
    action = f"/e/{event.join_code}/a/{activity.id}"
    page.goto(f"{base_url}/?lang={lang}")
    page.goto(url)
    form = next(f for f in page_forms(page.content()) if f.action == action)
    typed = form.fill("Kirjoitettu teksti")

    assert page.goto(f"{base_url}/ei-tallaista").status == 404
    check("404 no such page")
    assert send(page, f"{base_url}/", method="PUT") == 405
    check("405")
    page.goto(url)
    assert send(page, f"{base_url}{action}", method="POST", post_data=b"text=\xff",
                headers={"content-type": "application/x-www-form-urlencoded; charset=nope"}
                ) == 400
    check("400")
    page.goto(url)
    assert submit(page, action, [("text", "x" * 70_000)]) == 413
    check("413")
    page.goto(url)
    assert submit(page, action, [(k, "0" if k == "csrf" else v) for k, v in typed]) == 403
    check("403 with the typed text")
    page.goto(url)
    assert submit(page, f"/e/{event.join_code}/a/99999", typed) == 404
    check("404 no such activity, with the typed text")
    store.set_activity_state(event.id, activity.id, "closed")
    page.goto(url)
    assert submit(page, action, typed) == 409
    check("409 closed, with the typed text")
    store.set_activity_state(event.id, activity.id, "open")
    # The disk fails under the post: a 503 with the text given back.
    db = sqlite3.connect(db_path)
    db.execute("CREATE TRIGGER fail BEFORE INSERT ON notes BEGIN"
               " SELECT RAISE(ABORT, 'database or disk is full'); END")
    db.commit()
    page.goto(url)
    assert submit(page, action, typed) == 503
    check("503 with the typed text")
    db.execute("DROP TRIGGER fail")
    db.commit()
    db.close()
    page.goto(url)
    statuses = [submit(page, action, typed) for _ in range(12)]
    assert 429 in statuses
    check("429 with the typed text")
    page.context.clear_cookies()
    page.goto(f"{base_url}/?lang={lang}")
    assert page.goto(f"{base_url}/join?code=zzzzz").status == 404
    check("join: a wrong code")
    assert page.goto(f"{base_url}/e/ZZZZZ").status == 404
    check("404 no such event")
    for _ in range(40):
        if page.goto(f"{base_url}/e/ZZZZZ").status == 429:
            break
    check("429 too many wrong codes")
    # The axe run above may outlast a refill (one guess every 3 s): guess until refused.
    assert any(page.goto(f"{base_url}/join?code=zzzzz").status == 429 for _ in range(5))
    check("join: too many wrong codes")
    check.assert_clean(at_least=3)


@pytest.mark.parametrize("phone_page", [False], ids=["no-js"], indirect=True)
def test_a_refusal_names_its_field_and_takes_the_focus_without_javascript(
        base_url, demo, phone_page, store):
    event, activity = demo
    page = phone_page
    page.goto(f"{base_url}/e/{event.join_code}")
    page.get_by_role("radio", name=activity.headings[0]).check()
    page.get_by_label("Kirjoita ajatuksesi").fill("   ")  # passes `required`, says nothing
    page.get_by_role("button", name="Lähetä").click()
    error = page.get_by_role("alert")
    error.wait_for()
    assert error.inner_text() == "Kirjoita ajatuksesi: Kirjoita jotain ennen lähettämistä."
    # autofocus is applied once the page has loaded, a moment after the alert is there.
    focused = f"err{activity.id}"
    page.wait_for_function(f"document.activeElement && document.activeElement.id == '{focused}'",
                           timeout=5000)
    field = page.get_by_label("Kirjoita ajatuksesi")
    assert field.get_attribute("aria-invalid") == "true"
    assert f"err{activity.id}" in field.get_attribute("aria-describedby").split()
    # The choice made is not what was wrong: it is kept, and not marked.
    assert page.get_by_role("radio", name=activity.headings[0]).is_checked()
    assert page.locator("[aria-invalid]").count() == 1
    assert store.notes(activity.id) == []


def test_a_wrong_join_code_marks_the_code_field(base_url, checked_page):
    page = checked_page
    page.goto(base_url)
    page.get_by_label("Tilaisuuden koodi").fill("zzzzz")
    page.get_by_role("button", name="Osallistu").click()
    page.get_by_role("alert").wait_for()
    field = page.get_by_label("Tilaisuuden koodi")
    page.wait_for_function("document.activeElement && document.activeElement.id == 'code'",
                           timeout=5000)
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_role("alert").inner_text().startswith("Tilaisuuden koodi: ")
    assert page.locator("h1").inner_text() == "Osallistu tilaisuuteen"


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_3_to_1_wherever_it_is_drawn(base_url, demo, checked_page):
    event, _ = demo
    page = checked_page
    page.goto(f"{base_url}/e/{event.join_code}")
    measured = []
    for _ in range(12):  # Tab through the page as a keyboard user: the ring each time
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => {
              const e = document.activeElement, s = getComputedStyle(e);
              let under = e.parentElement, bg = "rgba(0, 0, 0, 0)";
              while (under && (bg = getComputedStyle(under).backgroundColor) === "rgba(0, 0, 0, 0)")
                under = under.parentElement;
              return {tag: e.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                      color: s.outlineColor, under: under ? bg : "rgb(255, 255, 255)"};
            }""")
        if ring["tag"] == "BODY":
            break
        measured.append(ring)
    assert len({r["tag"] for r in measured}) >= 3  # a link, radios, a text box, a button
    for ring in measured:
        colour = tuple(float(x) for x in ring["color"][4:-1].split(","))
        under = tuple(float(x) for x in ring["under"][ring["under"].index("(") + 1:-1].split(","))
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        assert contrast(colour, under) >= 3, ring
    # On the lightest coloured box a ring can be drawn on (a confirmation's green), too.
    assert contrast(colour, (0xea, 0xf6, 0xed)) >= 3
