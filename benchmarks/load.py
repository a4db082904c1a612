"""A room of phones against a real `facilitator serve` process.

Each simulated phone has its own HTTP client and cookie jar (a shared client would be the
bottleneck, not the server), joins by the join URL, and sends a few notes. Prints
throughput, latency percentiles and whether every acknowledged note is on disk.

    python benchmarks/load.py --phones 300 --notes 5 [--reloads 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def phone(url: str, activity_id: int, heading: str, notes: int, latencies: list[float],
                reloads: int = 0, page_latencies: list[float] | None = None):
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(url) as r:
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', await r.text()).group(1)
        acked = 0
        for i in range(notes):
            text = f"Ajatus {i}: yhteistyö ja tiedonkulku"
            form = {"csrf": csrf, "text": text, "heading": heading}
            started = time.perf_counter()
            async with session.post(f"{url}/a/{activity_id}", data=form,
                                    allow_redirects=False) as r:
                await r.read()
                if r.status == 303:
                    acked += 1
                    latencies.append(time.perf_counter() - started)
        for _ in range(reloads):  # a phone left open on the page, reloaded
            started = time.perf_counter()
            async with session.get(url) as r:
                await r.read()
            page_latencies.append(time.perf_counter() - started)
        return acked


def prepare(db: Path) -> tuple[str, int]:
    """A demo event with its headed activity open, made with the CLI as a user would."""
    env = {**os.environ, "FACILITATOR_DB": str(db)}

    def cli(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "facilitator", *args], env=env,
                              check=True, capture_output=True, text=True).stdout

    event_id = str(json.loads(cli("new", "demo", "--json"))["id"])
    activity_id = json.loads(cli("list", "--json"))[0]["activities"][1]["id"]
    cli("open", event_id, str(activity_id))
    return event_id, activity_id


async def load(url: str, activity_id: int, phones: int, notes: int, reloads: int = 0):
    latencies: list[float] = []
    pages: list[float] = []
    started = time.perf_counter()
    acked = await asyncio.gather(
        *(phone(url, activity_id, "Mikä toimii?", notes, latencies, reloads, pages)
          for _ in range(phones))
    )
    elapsed = time.perf_counter() - started
    if pages:
        q = statistics.quantiles(pages, n=100)
        print(f"page loads={len(pages)} ms: p50={q[49] * 1000:.1f} p95={q[94] * 1000:.1f} "
              f"max={max(pages) * 1000:.1f}")
    return sum(acked), elapsed, latencies


def report(total: int, stored: int | None, elapsed: float, latencies: list[float],
           phones: int, notes: int) -> None:
    q = statistics.quantiles(latencies, n=100)
    lost = "" if stored is None else f" stored={stored} lost={total - stored}"
    print(f"phones={phones} notes/phone={notes} acknowledged={total}{lost}")
    print(f"wall={elapsed:.2f}s throughput={total / elapsed:.0f} notes/s "
          f"(joins and page loads included)")
    print(f"post latency ms: p50={q[49] * 1000:.1f} p95={q[94] * 1000:.1f} "
          f"max={max(latencies) * 1000:.1f}")


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the server process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(phones: int, notes: int, reloads: int = 0) -> None:
    db = Path(tempfile.mkdtemp()) / "load.db"
    event_id, activity_id = prepare(db)
    server = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", event_id, "--host", "127.0.0.1",
         "--port", str(free_port())],
        env={**os.environ, "FACILITATOR_DB": str(db)}, stdout=subprocess.PIPE, text=True,
    )
    try:
        url = server.stdout.readline().strip()
        total, elapsed, latencies = asyncio.run(load(url, activity_id, phones, notes, reloads))
        cpu = server_cpu_seconds(server.pid)
        if cpu is not None:  # on a busy machine a steadier figure than the wall clock
            print(f"server cpu={cpu:.2f}s ({cpu * 1000 / (total + phones * (1 + reloads)):.2f} ms "
                  f"per request)")
    finally:
        server.terminate()
        server.wait(10)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    report(total, stored, elapsed, latencies, phones, notes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--notes", type=int, default=5)
    parser.add_argument("--reloads", type=int, default=0,
                        help="then each phone reloads the event page this many times")
    parser.add_argument("--url", help="an already running event page (/e/CODE): only the phones")
    parser.add_argument("--activity", type=int, help="with --url: the open activity's id")
    args = parser.parse_args()
    if args.url:
        total, elapsed, latencies = asyncio.run(
            load(args.url, args.activity, args.phones, args.notes, args.reloads)
        )
        report(total, None, elapsed, latencies, args.phones, args.notes)
    else:
        main(args.phones, args.notes, args.reloads)
