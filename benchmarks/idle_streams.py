"""What open event streams cost a real `facilitator serve` process: N phones with their
stream open (one client each, in this process), idle for a while, then one change
(`facilitator open` from another process) fanned out to all of them.

Prints the server's CPU while idle (its own /proc figures, not this process's) and the
time from the change until every stream has the new state.

    python benchmarks/idle_streams.py --streams 1000 --idle 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from facilitator.storage import Store, open_db

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cli(env, *args) -> str:
    return subprocess.run([sys.executable, "-m", "facilitator", *args], env=env, check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout


async def stream(session: aiohttp.ClientSession, url: str, ready: asyncio.Event,
                 opened: list, arrived: list, want: int) -> None:
    async with session.get(url) as r:
        seen = 0
        async for line in r.content:
            if line.startswith(b"data:"):
                seen += 1
                if seen == 1:
                    opened.append(1)
                    if len(opened) == want:
                        ready.set()
                elif '"open":[' in line.decode() and b'"open":[]' not in line:
                    arrived.append(time.perf_counter())
                    return


async def main(streams: int, idle: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FACILITATOR_DB": str(Path(tmp) / "bench.db"),
               "PYTHONPATH": str(ROOT)}
        cli(env, "new", "demo")
        port = free_port()
        server = subprocess.Popen(  # noqa: ASYNC220 (started once, before any stream)
            [sys.executable, "-m", "facilitator", "serve", "1", "--host", "127.0.0.1",
             "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            join = server.stdout.readline().strip()
            server.stdout.readline()  # the projector's address
            base = join.rsplit("/e/", 1)[0]
            code = join.rsplit("/", 1)[1]
            ready, opened, arrived = asyncio.Event(), [], []
            sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                        for _ in range(streams)]
            for session in sessions:  # the pass first, as a phone's page gives it
                async with session.get(join) as r:
                    await r.read()
            tasks = [asyncio.create_task(stream(s, f"{base}/e/{code}/stream", ready,
                                                opened, arrived, streams))
                     for s in sessions]
            await asyncio.wait_for(ready.wait(), 120)
            await asyncio.sleep(1.0)
            before, started = cpu_seconds(server.pid), time.monotonic()
            await asyncio.sleep(idle)
            used = (cpu_seconds(server.pid) - before) / (time.monotonic() - started)
            print(f"{streams} idle streams for {idle:.0f} s: server CPU {used * 100:.2f} % "
                  f"of a core")
            # The change from another process, as `facilitator open` makes it (the CLI's
            # own start-up, seconds on a busy machine, left out of the figure).
            store = Store(open_db(Path(tmp) / "bench.db"))
            activity = store.activities(1)[0]
            store.set_activity_state(1, activity.id, "open")
            committed = time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*tasks), 60)
            lags = sorted(t - committed for t in arrived)
            print(f"one change (committed by another process) to {len(lags)} streams: "
                  f"p50 {statistics.median(lags) * 1000:.0f} ms, "
                  f"p99 {lags[int(len(lags) * 0.99) - 1] * 1000:.0f} ms, "
                  f"all {lags[-1] * 1000:.0f} ms")
            for session in sessions:
                await session.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(main(args.streams, args.idle))
