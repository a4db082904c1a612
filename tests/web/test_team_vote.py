"""The dot vote per team (`per = "team"`) over real HTTP: the seed's second online round,
where each team votes ("työryhmä äänestää") with the teams of its discussion."""

from __future__ import annotations

import re
import sqlite3

import aiohttp
import pytest

from facilitator import methods, templates
from facilitator.memo import build_memo, render_markdown
from facilitator.templates import TemplateError
from tests.forms import page_forms


class Phone:
    def __init__(self, session, server, event):
        self.session = session
        self.root = f"http://127.0.0.1:{server.port}"
        self.url = f"{self.root}/e/{event.join_code}"

    async def page(self) -> str:
        async with self.session.get(self.url) as r:
            assert r.status == 200
            return await r.text()

    async def form(self, activity, name: str):
        forms = [f for f in page_forms(await self.page())
                 if f.action.endswith(f"/a/{activity.id}") and f.name == name]
        assert forms, name
        return forms[0]

    async def send(self, activity, name: str, pairs) -> tuple[int, str]:
        form = await self.form(activity, name)
        hidden = [(c.name, c.value) for c in form.controls if c.type == "hidden"]
        async with self.session.post(self.root + form.action, data=hidden + pairs) as r:
            return r.status, await r.text()


@pytest.fixture
def round2(store):
    """Verkkokeskustelu 2 as bundled: the discussion and the team vote both open."""
    event = store.create_event(templates.load(templates.resolve("verkkokeskustelu-2")))
    talk, vote = store.activities(event.id)
    assert (talk.method, vote.method, vote.config["per"]) == ("discussion", "dot_vote", "team")
    for activity in (talk, vote):
        store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(talk.id), store.activity(vote.id)


@pytest.fixture
async def phones(server, round2):
    event = round2[0]
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                for _ in range(3)]
    yield [Phone(s, server, event) for s in sessions]
    for s in sessions:
        await s.close()


def section(html: str, activity) -> str:
    return html[html.index(f'id="a{activity.id}"'):]


def ballots_on_disk(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT g.name, v.option, v.dots, v.participant_id FROM votes v"
            " JOIN groups g ON g.id = v.group_id ORDER BY v.id").fetchall()


async def test_one_ballot_per_team_that_any_member_casts_or_changes(
        phones, round2, store, db_path):
    event, talk, vote = round2
    options = vote.config["options"]
    anna, ben, cecilia = phones
    # Anna and Ben are one team from their discussion; Cecilia has no team yet.
    assert (await anna.send(talk, "group", [("name", "Kouvolan lukio")]))[0] == 200
    team = store.groups(talk.id)[0]
    assert (await ben.send(talk, "group", [("group", str(team.id))]))[0] == 200

    page = section(await cecilia.page(), vote)
    assert "äänestää tiimi: valitse ensin tiimisi" in page
    assert "Tallenna tiimin äänet" not in page
    # She names her team from the vote's page: it is a team of the discussion.
    status, _ = await cecilia.send(vote, "group", [("name", "Haminan ammattiopisto")])
    assert status == 200
    assert [g.name for g in store.groups(talk.id)] == ["Kouvolan lukio", "Haminan ammattiopisto"]
    assert store.groups(vote.id) == []

    page = section(await anna.page(), vote)
    assert "Äänestät tiimin Kouvolan lukio puolesta." in page
    assert "Tiimillä on 3 ääntä; niistä on käytetty 0." in page
    status, _ = await anna.send(vote, "vote", [("option", "1"), ("option", "2"), ("option", "3")])
    assert status == 200
    # Ben sees the team's ballot, not an empty one of his own, and changes it.
    form = await ben.form(vote, "vote")
    assert [c.value for c in form.controls if c.type == "checkbox" and c.checked] == ["1", "2", "3"]
    assert "niistä on käytetty 3" in section(await ben.page(), vote)
    status, _ = await ben.send(vote, "vote", [("option", "4"), ("option", "5")])
    assert status == 200
    rows = ballots_on_disk(db_path)
    assert [(name, option, dots) for name, option, dots, _ in rows] == [
        ("Kouvolan lukio", options[3], 1), ("Kouvolan lukio", options[4], 1)]
    assert store.votes(vote.id) and len({who for *_, who in rows}) == 1  # Ben cast it
    assert (await cecilia.send(vote, "vote", [("option", "5")]))[0] == 200
    # Joining another team from the vote is the discussion's to allow, not the vote's.
    status, html = await _join_again(anna, vote)
    assert status == 409 and "Olet jo tiimissä Kouvolan lukio" in html
    assert "aria-invalid" not in html  # nothing typed was wrong: no field is marked

    console = methods.Context(store, store.activity(vote.id), audience="console")
    live = methods.get("dot_vote").live_view(console)
    texts = [b.text for b in live if isinstance(b, methods.Text)]
    assert "Äänestäneitä tiimejä 2 / 2" in texts
    assert "Äänestäneet tiimit: Kouvolan lukio, Haminan ammattiopisto" in texts
    assert methods.get("dot_vote").count(console) == 2

    store.set_activity_state(event.id, vote.id, "closed")
    results = section(await cecilia.page(), vote)
    assert re.search(r"1\.\s+" + re.escape(options[4]), results)  # two teams chose it
    memo = render_markdown(build_memo(store, event.id))
    assert "Äänesti 2 tiimiä (2 tiimistä); ääniä annettiin yhteensä 3." in memo
    assert f"| 1. | {options[4]} | 2 | 2 |" in memo
    assert "| Sija | Vaihtoehto | Ääniä | Tiimejä |" in memo


async def _join_again(phone: Phone, vote) -> tuple[int, str]:
    """Post the vote's team form as a page drawn before joining would have it."""
    page = await phone.page()
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    async with phone.session.post(f"{phone.url}/a/{vote.id}", data={
            "csrf": csrf, "form": "group", "name": "Toinen tiimi"}) as r:
        return r.status, await r.text()


async def test_without_an_earlier_discussion_the_vote_has_its_own_teams(
        server, store, tmp_path):
    path = tmp_path / "tiimit.toml"
    path.write_text(TEMPLATE + 'per = "team"\n', encoding="utf-8")
    event = store.create_event(templates.load(path))
    [vote] = store.activities(event.id)
    store.set_activity_state(event.id, vote.id, "open")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        phone = Phone(s, server, event)
        assert (await phone.send(vote, "group", [("name", "Tiimi 1")]))[0] == 200
        assert [g.name for g in store.groups(vote.id)] == ["Tiimi 1"]
        assert "Äänestät tiimin Tiimi 1 puolesta." in await phone.page()
        assert (await phone.send(vote, "vote", [("option", "2")]))[0] == 200
    assert store.team_votes(vote.id) == [(store.groups(vote.id)[0].id, "Toinen", 1)]


TEMPLATE = """
[event]
title = "Äänestys"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "dot_vote"
title = "Äänestys"
[parts.activities.config]
options = ["Yksi", "Toinen", "Kolmas"]
dots = 1
"""


@pytest.mark.parametrize(("line", "reason"), [
    ('per = "tiimi"', "must be one of participant, team (who holds a ballot), not 'tiimi'"),
    ("per = true", "must be a non-empty text"),
])
def test_a_wrong_per_is_refused_precisely(tmp_path, line, reason):
    path = tmp_path / "vaara.toml"
    path.write_text(TEMPLATE + line + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as refused:
        templates.load(path)
    assert refused.value.field == "parts[0].activities[0].config.per"
    assert refused.value.reason == reason
