"""Äänestys (dot vote) over real HTTP: a phone reads the vote's form from its page, ticks
or numbers options, posts it back and follows the redirect, as a browser does."""

from __future__ import annotations

import json
import re
import sqlite3

from facilitator import templates
from tests.conftest import csrf_of
from tests.forms import PageForm, page_forms
from tests.seed import per_phone

STACKING = """
[event]
title = "Äänestys"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "dot_vote"
title = "Tärkeimmät aiheet"
[parts.activities.config]
options = ["Tiedonkulku", "Yhteisöllisyys", "Johtaminen", "Osaaminen", "Rekrytointi"]
dots = 4
stacking = true
max_per_option = 3
"""


def base(server):
    return f"http://127.0.0.1:{server.port}"


def open_vote(store, event):
    activity = next(a for a in store.activities(event.id) if a.method == "dot_vote")
    store.set_activity_state(event.id, activity.id, "open")
    return store.activity(activity.id)


def online_vote(store):
    """Verkkokeskustelu 2 with its vote over twelve topics open."""
    event = store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))
    return event, open_vote(store, event)


def votes_on_disk(db_path):
    """Read with a separate connection: what another process would see."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT participant_id, option, dots FROM votes ORDER BY participant_id, id"
        ).fetchall()


async def vote_page(phone, server, event, activity) -> tuple[str, PageForm]:
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200
        html = await r.text()
    return html, form_of(html, activity)


def form_of(html: str, activity) -> PageForm:
    (form,) = [f for f in page_forms(html) if f.action.endswith(f"/a/{activity.id}")]
    return form


def ticked(form: PageForm) -> list[str]:
    return [c.value for c in form.controls if c.type == "checkbox" and c.checked]


def numbers(form: PageForm) -> dict[str, str]:
    return {c.name: c.value for c in form.controls if c.type == "number"}


def filled(form: PageForm, tick=(), set_numbers=None) -> list[tuple[str, str]]:
    """What the browser posts: the hidden fields, the ticked boxes (`tick` by their value,
    replacing what was ticked) and every number field (`set_numbers` overriding)."""
    pairs = []
    for c in form.controls:
        if c.type == "hidden" or (c.type == "checkbox" and c.value in tick):
            pairs.append((c.name, c.value))
        elif c.type == "number":
            pairs.append((c.name, (set_numbers or {}).get(c.name, c.value)))
    return pairs


async def test_ticked_options_are_stored_and_shown_ticked_again(server, phone, store, db_path):
    event, activity = online_vote(store)
    options = activity.config["options"]
    html, form = await vote_page(phone, server, event, activity)
    boxes = [c for c in form.controls if c.type == "checkbox"]
    assert [c.value for c in boxes] == [str(n) for n in range(1, 13)]
    assert ticked(form) == []
    assert "Sinulla on 3 ääntä; olet käyttänyt 0." in html
    assert all(option in html for option in options)

    post = filled(form, tick=("4", "6"))
    async with phone.post(base(server) + form.action, data=post) as r:
        assert r.status == 200 and f"saved={activity.id}" in str(r.url)  # after the 303
        html = await r.text()
    assert "Tallennettu." in html and "olet käyttänyt 2." in html
    assert ticked(form_of(html, activity)) == ["4", "6"]
    (me,) = {participant for participant, _, _ in votes_on_disk(db_path)}
    assert votes_on_disk(db_path) == [(me, options[3], 1), (me, options[5], 1)]

    # Changing one's mind replaces the dots; unticking everything withdraws them.
    async with phone.post(base(server) + form.action, data=filled(form, tick=("12",))) as r:
        assert r.status == 200
    assert votes_on_disk(db_path) == [(me, options[11], 1)]
    async with phone.post(base(server) + form.action, data=filled(form)) as r:
        assert r.status == 200 and "olet käyttänyt 0." in await r.text()
    assert votes_on_disk(db_path) == []


async def test_too_many_ticks_come_back_ticked_with_a_finnish_reason(
    server, phone, store, db_path
):
    event, activity = online_vote(store)
    _, form = await vote_page(phone, server, event, activity)
    async with phone.post(base(server) + form.action, data=filled(form, tick=("2",))) as r:
        assert r.status == 200
    before = votes_on_disk(db_path)

    post = filled(form, tick=("1", "3", "5", "7"))
    async with phone.post(base(server) + form.action, data=post) as r:
        assert r.status == 422
        html = await r.text()
    assert "Valitsit 4 vaihtoehtoa, mutta voit valita enintään 3. Poista valinnoista 1." in html
    assert ticked(form_of(html, activity)) == ["1", "3", "5", "7"]  # what they chose, kept
    assert votes_on_disk(db_path) == before  # nothing stored by the refusal


async def test_stacked_dots_over_the_budget_keep_the_typed_numbers(
    server, phone, store, db_path, tmp_path
):
    path = tmp_path / "kasautuva.toml"
    path.write_text(STACKING, encoding="utf-8")
    event = store.create_event(templates.load(path))
    activity = open_vote(store, event)
    html, form = await vote_page(phone, server, event, activity)
    assert numbers(form) == {f"d{n}": "0" for n in range(1, 6)}
    assert "Yhdelle vaihtoehdolle voit antaa ääniä enintään 3." in html

    for typed, reason in (
        ({"d1": "3", "d3": "3"}, "Annoit 6 ääntä, mutta käytössäsi on 4. Poista niistä 2."),
        ({"d2": "kaksi"}, "Kirjoita äänten määrä numeroin, 0–3."),
        ({"d4": "4"}, "Yhdelle vaihtoehdolle voi antaa ääniä enintään 3."),
    ):
        async with phone.post(base(server) + form.action,
                              data=filled(form, set_numbers=typed)) as r:
            assert r.status == 422
            html = await r.text()
        assert reason in html
        assert numbers(form_of(html, activity)) == {**numbers(form), **typed}
    assert votes_on_disk(db_path) == []

    async with phone.post(base(server) + form.action,
                          data=filled(form, set_numbers={"d1": "3", "d5": "1"})) as r:
        assert r.status == 200
        html = await r.text()
    assert "Sinulla on 4 ääntä; olet käyttänyt 4." in html
    assert numbers(form_of(html, activity))["d1"] == "3"
    assert [row[1:] for row in votes_on_disk(db_path)] == [("Tiedonkulku", 3),
                                                           ("Rekrytointi", 1)]


async def test_results_reach_phones_only_once_the_vote_is_closed(
    server, phone, store, db_path
):
    event, activity = online_vote(store)
    options = activity.config["options"]
    _, form = await vote_page(phone, server, event, activity)
    async with phone.post(base(server) + form.action, data=filled(form, tick=("1", "2"))) as r:
        html = await r.text()
    assert 'class="bars"' not in html  # open: no tally to follow

    store.set_activity_state(event.id, activity.id, "closed")
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        html = await r.text()
    assert "Äänestys on päättynyt. Tulokset:" in html
    results = html[html.index('class="bars"'):]
    ranks = re.findall(r"<dt>([^<]+)</dt>", results)
    assert ranks[:2] == [f"1.–2. {options[0]}", f"1.–2. {options[1]}"]
    assert ranks[2] == f"ei ääniä {options[2]}"  # no shared rank for no votes
    assert not any(f.action.endswith(f"/a/{activity.id}") for f in page_forms(html))

    # A vote posted from a page left open is refused; the dots stay as they were.
    before = votes_on_disk(db_path)
    async with phone.post(base(server) + form.action, data=filled(form, tick=("3",))) as r:
        assert r.status == 409 and "suljettu" in await r.text()
    assert votes_on_disk(db_path) == before


async def test_a_thousands_of_digits_number_is_a_4xx_not_a_500(server, phone, store):
    """int() refuses over 4,300 digits; a hostile form must not reach it (review)."""
    event = store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))
    vote = next(a for a in store.activities(event.id) if a.method == "dot_vote")
    store.db["activities"].update(vote.id, {"config": json.dumps(
        {**vote.config, "stacking": True, "max_per_option": 2}, ensure_ascii=False)})
    store.set_activity_state(event.id, vote.id, "open")
    url = f"http://127.0.0.1:{server.port}/e/{event.join_code}"
    async with phone.get(url) as r:
        csrf = csrf_of(await r.text())
    for form in ({"d1": "9" * 5000}, {"d" + "9" * 5000: "1"}):
        async with phone.post(f"{url}/a/{vote.id}", data={"csrf": csrf, "form": "vote", **form},
                              allow_redirects=False) as r:
            assert r.status == 422, await r.text()
    assert store.votes(vote.id) == []
