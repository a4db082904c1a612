"""Each seed method under a room: phones fill in its real forms, then everyone reloads.

For every activity of seminaari-2 and verkkokeskustelu-2, a real `facilitator serve`
runs in its own process; PHONES simulated phones (own client, own cookies) join, fill
in each form their page offers (as tests/forms.py does: text in text boxes, the first
or pre-selected choice), and then all reload at once — what happens when the facilitator
moves a round on. Prints, per method, the submissions acknowledged and stored, the page
load latency of that reload, and what the console's live view and the memo section cost
to compute with that much data (one redraw; the console redraws at most 10 times a second).

    python benchmarks/methods.py --phones 150
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.forms

from facilitator import methods
from facilitator.storage import Store, open_db
from tests.forms import page_forms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def phone(url: str, activity_id: int, number: int, ready: asyncio.Barrier
                ) -> tuple[int, float]:
    """Fill every form the page offers for the activity; then one timed reload."""
    acked = 0
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        sent: set[str] = set()
        for _ in range(6):
            async with session.get(url) as r:
                html = await r.text()
            forms = [f for f in page_forms(html)
                     if f.action.endswith(f"/a/{activity_id}") and f.name not in sent]
            if not forms:
                break
            form = forms[0]
            base = url.split("/e/")[0]
            async with session.post(base + form.action, data=form.fill(f"Puhelin {number}"),
                                    allow_redirects=False) as r:
                await r.read()
                acked += r.status == 303
            sent.add(form.name)
        await ready.wait()  # everyone reloads together, as after "next round"
        started = time.perf_counter()
        async with session.get(url) as r:
            await r.read()
        return acked, time.perf_counter() - started


async def room(url: str, activity_id: int, phones: int):
    # Phones fill in their forms at their own pace; the reload waits for all of them.
    ready = asyncio.Barrier(phones)
    results = await asyncio.gather(*(phone(url, activity_id, n, ready) for n in range(phones)))
    return sum(a for a, _ in results), [s for _, s in results]


def cli(db: Path, *args: str) -> str:
    env = {**os.environ, "FACILITATOR_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "facilitator", *args], env=env, check=True,
                          capture_output=True, text=True).stdout


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def run(template: str, phones: int) -> None:
    db = Path(tempfile.mkdtemp()) / "methods.db"
    event = json.loads(cli(db, "new", template, "--json"))
    store = Store(open_db(db))
    for activity in store.activities(event["id"]):
        cli(db, "open", str(event["id"]), str(activity.id))
        server = subprocess.Popen(
            [sys.executable, "-m", "facilitator", "serve", str(event["id"]), "--host",
             "127.0.0.1", "--port", str(free_port())],
            env={**os.environ, "FACILITATOR_DB": str(db)}, stdout=subprocess.PIPE, text=True,
        )
        try:
            url = server.stdout.readline().strip()
            acked, reloads = asyncio.run(room(url, activity.id, phones))
        finally:
            server.terminate()
            server.wait(10)
        cli(db, "close", str(event["id"]), str(activity.id))
        current = store.activity(activity.id)
        method = methods.get(current.method)
        started = time.perf_counter()
        method.live_view(methods.Context(store, current))
        live = time.perf_counter() - started
        started = time.perf_counter()
        method.memo_view(methods.Context(store, current, include_hidden=False))
        memo = time.perf_counter() - started
        stored = store.db.execute("SELECT count(*) FROM notes WHERE activity_id = ?",
                                  [activity.id]).fetchone()[0]
        votes = len(store.votes(activity.id))
        q = statistics.quantiles(reloads, n=100)
        print(f"{current.method:13} phones={phones} acked={acked} notes={stored} "
              f"votes={votes} reload ms p50={ms(q[49])} p95={ms(q[94])} "
              f"max={ms(max(reloads))} live_view ms={ms(live)} memo_view ms={ms(memo)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=150)
    args = parser.parse_args()
    for name in ("seminaari-2", "verkkokeskustelu-2"):
        run(name, args.phones)
