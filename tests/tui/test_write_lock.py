"""The console while another process holds the database's write lock: keys answer within
200 ms, a step waits on the writer thread, and past the bound it is not taken and one
line says the database is busy. Lock and bound are shorter than the issue's 10 s and
the shipped 8 s, to keep the tests fast."""

from __future__ import annotations

import time

from facilitator import templates
from facilitator.storage.writer import Writer
from facilitator.tui import FacilitatorApp
from tests.tui.test_console import SIZE, rendered
from tests.web.test_write_lock import hold_lock


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
