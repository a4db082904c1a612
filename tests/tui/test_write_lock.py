"""The console while another process holds the database's write lock: keys answer within
200 ms, a step waits on the writer thread, and past the bound it is not taken and one
line says the database is busy. Lock and bound are shorter than the issue's 10 s and
the shipped 8 s, to keep the tests fast."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from facilitator import templates
from facilitator.storage.writer import Writer
from facilitator.tui import FacilitatorApp
from facilitator.web import bind_socket
from tests.conftest import csrf_of
from tests.tui.test_console import SIZE, rendered
from tests.web.test_write_lock import hold_lock, post, reads_while_locked


async def keys_while_waiting(pilot, seconds: float) -> list[float]:
    """Move up and down the programme (each key re-reads and redraws the board)."""
    times = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        for key in ("down", "up"):
            start = time.perf_counter()
            await pilot.press(key)
            times.append(time.perf_counter() - start)
    return times


def answered_in_time(times: list[float]) -> None:
    """Typically within 200 ms, and none near the lock's length. A Pilot key press also
    waits for the whole app to go idle, which on a loaded 2-core machine alone took
    0.1-0.3 s now and then; a loop waiting on the lock would take the lock's 1-2.5 s."""
    times = sorted(times)
    assert times[len(times) // 2] < 0.2, times
    assert times[-1] < 1.0, times


def toasts(app) -> str:
    return " ".join(rendered(t) for t in app.screen.query("Toast"))


async def test_a_step_past_the_bound_is_one_line_and_keys_keep_working(store, db_path):
    event = store.create_event(templates.load(templates.resolve("demo")))
    first = store.activities(event.id)[0]
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    app.writer = Writer(store, bound=1.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        locker = await hold_lock(db_path, 2.5)
        await pilot.press("o")  # open the first activity: waits for the lock
        times = await keys_while_waiting(pilot, 1.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Tietokanta on varattu" in toasts(app)
        assert store.activity(first.id).state == "draft"  # the step was not taken
        answered_in_time(times)
        start = time.perf_counter()
        await pilot.press("escape")  # the key the issue saw ignored for 18 s
        assert time.perf_counter() - start < 1.0
        await locker.wait()
        assert app.is_running


async def test_a_step_waits_for_the_lock_and_is_taken_when_it_goes(store, db_path):
    event = store.create_event(templates.load(templates.resolve("demo")))
    first = store.activities(event.id)[0]
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    app.writer = Writer(store, bound=4.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        locker = await hold_lock(db_path, 1.2)
        await pilot.press("o")
        times = await keys_while_waiting(pilot, 0.8)
        assert store.activity(first.id).state == "draft"  # still waiting for the lock
        await app.workers.wait_for_complete()
        await locker.wait()
        await pilot.pause()
        assert store.activity(first.id).state == "open"
        assert "Tietokanta on varattu" not in toasts(app)
        answered_in_time(times)


async def test_console_and_server_in_one_process_share_the_writer_under_a_lock(
    store, db_path
):
    """`facilitator run` as one process: while another process holds the lock, the
    console's keys, a page and the stylesheet answer; a phone's post and the console's
    step wait in the same queue, and past the bound both are refused, the post with its
    text."""
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    app = FacilitatorApp(store, sock=bind_socket("127.0.0.1", 0),
                         base_urls=["http://192.168.1.20:8080"])
    app.writer = Writer(store, bound=1.5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        base = f"http://127.0.0.1:{app.server.port}"
        url = f"{base}/e/{event.join_code}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(url) as r:
                csrf = csrf_of(await r.text())
            form = {"csrf": csrf, "text": "Samassa jonossa", "heading": activity.headings[0]}
            locker = await hold_lock(db_path, 2.5)
            sent = asyncio.create_task(post(phone, f"{url}/a/{activity.id}", form))
            await pilot.press("c")  # close the open activity: queued behind the post
            keys = await keys_while_waiting(pilot, 0.8)
            reads = await reads_while_locked(base, url, time.monotonic() + 0.6)
            status, page, _ = await sent
            await app.workers.wait_for_complete()
            await pilot.pause()
            await locker.wait()
        assert status == 503 and "Samassa jonossa" in page
        assert "Tietokanta on varattu" in toasts(app)
        assert store.activity(activity.id).state == "open"
        assert store.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
        answered_in_time(keys)
        assert max(reads) < 0.2, reads
