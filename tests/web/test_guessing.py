"""Guessing join codes: every join attempt from an address counts, a throttled address gets
no code in, right or wrong, and a room behind one NAT address still joins."""

from __future__ import annotations

import asyncio

import aiohttp

from facilitator.web.app import GUESS_LIMIT, WRONG_CODES
from tests.conftest import csrf_of
from tests.web.test_participant_http import base


def fresh():
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def status_of(session, url):
    async with session.get(url, allow_redirects=False) as r:
        await r.read()
        return r.status


async def test_a_guesser_is_throttled_and_then_even_the_right_code_is_refused(
    server, demo
):
    event, _ = demo
    room = fresh()
    async with room:  # a phone that opened the event before the guessing started
        assert await status_of(room, f"{base(server)}/e/{event.join_code}") == 200
        async with fresh() as guesser:
            statuses = [await status_of(guesser, f"{base(server)}/e/ZZZ{n:02d}")
                        for n in range(33)]
            assert statuses[:30] == [404] * 30 and set(statuses[30:]) == {429}
            # While throttled, the right code gets the same answer as a wrong one,
            # by the event page and by the code form alike.
            assert await status_of(guesser, f"{base(server)}/e/{event.join_code}") == 429
            async with guesser.get(f"{base(server)}/join",
                                   params={"code": event.join_code.lower()}) as r:
                assert r.status == 429
                assert "liian monta väärää koodia" in await r.text()
        async with fresh() as newcomer:  # the same address: the same answer
            assert await status_of(newcomer, f"{base(server)}/e/{event.join_code}") == 429
        # The phone that holds the event's pass is not guessing: it keeps working.
        assert await status_of(room, f"{base(server)}/e/{event.join_code}") == 200
        assert await status_of(room, f"{base(server)}/e/{event.join_code}/state") == 200
    # Once the address's bucket has refilled, the right code works again.
    limit = server.app[GUESS_LIMIT]
    limit.per_second = 1000.0
    async with fresh() as later:
        assert await status_of(later, f"{base(server)}/e/{event.join_code}") == 200


async def test_the_global_ceiling_holds_back_guessers_not_the_room(server, demo):
    event, _ = demo
    ceiling = server.app[WRONG_CODES]
    ceiling.burst, ceiling.per_second = 3, 0.001  # the real one is 300; the same rule
    ceiling._buckets.clear()
    async with fresh() as guesser:
        statuses = [await status_of(guesser, f"{base(server)}/e/ZZZ{n:02d}") for n in range(5)]
        assert statuses == [404, 404, 404, 429, 429]
        assert await status_of(guesser, f"{base(server)}/e/{event.join_code}") == 429
    # An address that has not guessed wrong is not held back by the others' guessing.
    server.app[GUESS_LIMIT]._buckets.clear()
    async with fresh() as phone:
        assert await status_of(phone, f"{base(server)}/e/{event.join_code}") == 200


async def test_a_room_of_300_behind_one_address_joins_and_posts(server, demo, store):
    """Everyone from 127.0.0.1, as a room behind one NAT address: 300 phones open the
    event within seconds, 20 mistype the code first, and every one of them posts."""
    event, activity = demo
    url = f"{base(server)}/e/{event.join_code}"

    async def phone(n: int) -> int:
        async with fresh() as session:
            if n % 15 == 0:
                assert await status_of(session, f"{base(server)}/e/{event.join_code}X") == 404
            async with session.get(url) as r:
                assert r.status == 200
                csrf = csrf_of(await r.text())
            form = {"csrf": csrf, "text": f"puhelin {n}", "heading": activity.headings[0]}
            async with session.post(f"{url}/a/{activity.id}", data=form,
                                    allow_redirects=False) as r:
                return r.status

    statuses = await asyncio.gather(*(phone(n) for n in range(300)))
    assert statuses == [303] * 300
    assert store.participant_count(event.id) == 300
