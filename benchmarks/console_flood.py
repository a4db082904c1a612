"""The console under a flood of phones: is it still responsive, and how soon do notes show?

Runs the real console headless (Textual's run_test) with the real participant server on
127.0.0.1, and floods it from a separate process of phones (benchmarks/load.py --url), so
the phones' own work does not run in the console's loop. Prints the loop's lag (how late a
20 ms timer fires), how many board refreshes ran, and how long after the last
acknowledged note it was on the board.

    python benchmarks/console_flood.py --phones 300 --notes 5
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from facilitator import templates
from facilitator.storage import Store, open_db
from facilitator.tui import FacilitatorApp
from facilitator.tui.messages import StoreChanged
from facilitator.web import bind_socket

HERE = Path(__file__).parent


async def flood(phones: int, notes: int) -> None:
    store = Store(open_db(Path(tempfile.mkdtemp()) / "flood.db"))
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/e/{event.join_code}"
    refreshes = []
    app = FacilitatorApp(store, sock=sock, bind_host="127.0.0.1")

    def hook(message):
        if isinstance(message, StoreChanged):
            refreshes.append(time.perf_counter())

    changes = []
    server_changed = app._web_changed

    def record_change(kind, payload):
        changes.append(time.perf_counter())
        server_changed(kind, payload)

    app._web_changed = record_change  # the server's callback, timed: when notes committed

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        lags: list[float] = []
        stop = False

        async def probe():
            while not stop:
                planned = time.perf_counter() + 0.02
                await asyncio.sleep(0.02)
                lags.append(time.perf_counter() - planned)

        prober = asyncio.create_task(probe())
        started = time.perf_counter()
        client = await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "load.py"), "--url", url, "--activity",
            str(activity.id), "--phones", str(phones), "--notes", str(notes),
            stdout=asyncio.subprocess.PIPE,
        )
        output, _ = await client.communicate()
        sent_done = time.perf_counter()
        last_commit = changes[-1]
        # The board is current once a refresh has run after the last commit.
        while not refreshes or refreshes[-1] < last_commit:  # noqa: ASYNC110 - polls a list
            await asyncio.sleep(0.005)
        shown = refreshes[-1]
        stop = True
        await prober
        elapsed = sent_done - started

    print(output.decode().rstrip())
    q = statistics.quantiles(lags, n=100)
    print(f"console loop lag ms: p50={q[49] * 1000:.1f} p95={q[94] * 1000:.1f} "
          f"max={max(lags) * 1000:.1f}")
    print(f"board refreshes={len(refreshes)} over {elapsed:.2f}s "
          f"({len(refreshes) / elapsed:.1f}/s); the board caught up "
          f"{(shown - last_commit) * 1000:.0f} ms after the last commit")
    print(f"notes stored={store.note_count(activity.id)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--notes", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(flood(args.phones, args.notes))
