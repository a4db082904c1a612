"""A round change in a room of 1,000 phones: how long until every phone has its new page.

A process walk with 10,000 notes over its stations runs in a real `facilitator serve`
process; 1,000 phones (each its own HTTP client, cookie and device, all in this other
process) have joined its groups and hold their event stream open (`GET /e/CODE/stream`,
server-sent events), or poll `/e/CODE/state` where the server has no stream (`--mode
poll`, as a phone without EventSource does). The facilitator moves the room on with the
same call `facilitator next` makes, from another process; the clock starts just before
that commit and stops for each phone when it has read its whole new page.

In the same run the same storm hits a bare aiohttp app that serves a page of the same
size with its own tiny event stream: the ratio says what the facilitator's server costs
over aiohttp itself. Target: every phone within 1 s, at most 3 times the bare app.

    python benchmarks/storm.py [--phones 1000] [--notes 10000] [--mode auto|sse|poll]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BARE_CODE = "BARE"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_file_limit() -> int:
    """Two connections a phone (its stream and its page) and the servers' ends of them:
    far more than the usual soft limit of 1,024 open files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the room ---------------------------------------------------------------------------------


def prepare(db: Path, notes: int, seed: int = 1) -> tuple[int, int]:
    """Seminar 2's process walk open, `notes` notes spread over its stations by its groups."""
    sys.path.insert(0, str(ROOT))
    from facilitator import templates
    from facilitator.storage import Store, open_db

    store = Store(open_db(db))
    event = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "open")
    groups = store.groups(walk.id)
    stations = walk.config["stations"]
    rng = random.Random(seed)
    with store.transaction():
        for n in range(notes):
            group = rng.choice(groups)
            store.add_note(walk.id, f"Havainto {n}: tiedonkulku ja yhteistyö arjessa",
                           rng.choice(stations), group_id=group.id, round=1)
    store.db.conn.close()
    return event.id, walk.id


def next_round(store, activity_id: int) -> None:
    """What `facilitator next` does once it has opened the database: the method's own
    next-round action, committed from another process than the server's."""
    from facilitator import methods

    activity = store.activity(activity_id)
    ctx = methods.Context(store, activity, "fi", audience="console")
    methods.get(activity.method).act(ctx, "next_round", methods.Posted({}))


# -- the bare app -----------------------------------------------------------------------------


def bare_app() -> web.Application:
    """aiohttp alone: the same page's bytes (posted to it first), a state, a stream that
    says when it changes."""
    version = {"n": 1}
    changed = asyncio.Condition()
    page = {"body": b""}

    def state() -> str:
        return json.dumps({"open": [1], "key": f"1.{version['n']}"})

    async def page_handler(request):
        return web.Response(body=page["body"], content_type="text/html")

    async def set_page(request):
        page["body"] = await request.read()
        return web.Response(text="ok")

    async def state_handler(request):
        return web.Response(text=state(), content_type="application/json")

    async def stream(request):
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                               "Cache-Control": "no-cache"})
        await response.prepare(request)
        sent = version["n"]
        with contextlib.suppress(ConnectionError):  # the phone went away: the run ended
            await response.write(f"id: {sent}\nevent: state\ndata: {state()}\n\n".encode())
            while True:
                async with changed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(changed.wait(), 15)
                if version["n"] == sent:
                    await response.write(b": keep-alive\n\n")
                    continue
                sent = version["n"]
                await response.write(
                    f"id: {sent}\nevent: state\ndata: {state()}\n\n".encode())
        return response

    async def bump(request):
        version["n"] += 1
        async with changed:
            changed.notify_all()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get(f"/e/{BARE_CODE}", page_handler)
    app.router.add_get(f"/e/{BARE_CODE}/state", state_handler)
    app.router.add_get(f"/e/{BARE_CODE}/stream", stream)
    app.router.add_post("/bump", bump)
    app.router.add_post("/page", set_page)
    return app


def run_bare(port: int) -> None:
    raise_file_limit()
    web.run_app(bare_app(), host="127.0.0.1", port=port,
                access_log=None, print=lambda *a: print("ready", flush=True), backlog=4096)


# -- the phones -------------------------------------------------------------------------------


class Storm:
    """One round change: when it started, and when each phone had its new page."""

    def __init__(self, phones: int, marker: str):
        self.t0 = 0.0
        self.marker = marker
        self.times: list[float] = []
        self.wrong = 0
        self.errors = 0
        self.phones = phones
        self.done = asyncio.Event()

    def record(self, ok: bool) -> None:
        self.times.append(time.perf_counter() - self.t0)
        self.wrong += not ok
        if len(self.times) >= self.phones:
            self.done.set()


class Phone:
    def __init__(self, base: str, code: str, address: str):
        self.base, self.code = base, code
        connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=4)
        self.session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30))
        self.key: str | None = None
        self.storm: Storm | None = None
        self.ready = asyncio.Event()

    async def join(self, path: str) -> None:
        async with self.session.get(f"{self.base}{path}") as r:
            await r.read()
            if r.status != 200:
                raise RuntimeError(f"joining {path}: HTTP {r.status}")

    async def fetch_page(self) -> None:
        storm = self.storm
        try:
            async with self.session.get(f"{self.base}/e/{self.code}") as r:
                body = await r.text()
            ok = r.status == 200 and storm.marker in body
        except aiohttp.ClientError:
            ok = False
            storm.errors += 1
        storm.record(ok)

    def _changed(self, key: str) -> bool:
        if self.key is None:
            self.key = key
            self.ready.set()
            return False
        if key == self.key:
            return False
        self.key = key
        return True

    async def follow_stream(self) -> None:
        """The page's EventSource: the state at once, then an event on each change."""
        headers = {"Accept": "text/event-stream"}
        async with self.session.get(f"{self.base}/e/{self.code}/stream", headers=headers) as r:
            if r.status != 200:
                raise RuntimeError(f"stream: HTTP {r.status}")
            event, data = "", []
            async for raw in r.content:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif not line:
                    if event in ("state", "") and data and self._changed(
                            json.loads("\n".join(data))["key"]):
                        await self.fetch_page()
                    event, data = "", []

    async def follow_polls(self, every: float) -> None:
        """A phone without EventSource: the state every `every` seconds."""
        await asyncio.sleep(random.random() * every)
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with self.session.get(f"{self.base}/e/{self.code}/state") as r:
                    key = (await r.json())["key"]
                if self._changed(key):
                    await self.fetch_page()
            await asyncio.sleep(every)


async def has_stream(base: str, code: str) -> bool:
    async with aiohttp.ClientSession() as session, session.get(
            f"{base}/e/{code}/stream", headers={"Accept": "text/event-stream"}) as r:
        return r.status == 200 and r.headers.get("Content-Type", "").startswith(
            "text/event-stream")


async def room(base: str, code: str, joins: list[str], args, mode: str) -> list[Phone]:
    """The phones joined (a few at a time, as a room scans its QR codes) and following."""
    phones = [Phone(base, code, f"127.0.0.{2 + i % args.addresses}")
              for i in range(len(joins))]
    gate = asyncio.Semaphore(50)

    async def join(phone: Phone, path: str):
        async with gate:
            await phone.join(path)

    await asyncio.gather(*(join(p, path) for p, path in zip(phones, joins, strict=True)))
    for phone in phones:
        follow = phone.follow_stream() if mode == "sse" else phone.follow_polls(args.poll)
        phone.task = asyncio.ensure_future(follow)
    await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in phones)), 120)
    return phones


async def storm(phones: list[Phone], marker: str, change, wait: float) -> Storm:
    await asyncio.sleep(1.0)  # every stream settled
    s = Storm(len(phones), marker)
    for phone in phones:
        phone.storm = s
    s.t0 = time.perf_counter()
    await change()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(s.done.wait(), wait)
    return s


def line(name: str, s: Storm, cpu: float) -> str:
    if len(s.times) < 2:
        return f"{name}: only {len(s.times)} of {s.phones} phones had their new page"
    q = statistics.quantiles(s.times, n=100)
    missing = s.phones - len(s.times)
    return (f"{name}: phones={s.phones} new page p50={q[49] * 1000:.0f} ms "
            f"p99={q[98] * 1000:.0f} ms all={max(s.times) * 1000:.0f} ms"
            f"{f' MISSING={missing}' if missing else ''}"
            f"{f' wrong={s.wrong}' if s.wrong else ''}{f' errors={s.errors}' if s.errors else ''}"
            f" server cpu={cpu:.2f} s")


async def close(phones: list[Phone]) -> None:
    for phone in phones:
        phone.task.cancel()
    await asyncio.gather(*(p.task for p in phones), return_exceptions=True)
    await asyncio.gather(*(p.session.close() for p in phones))


def bench(args, tmp: Path) -> None:
    db = tmp / "storm.db"
    started = time.perf_counter()
    event_id, walk_id = prepare(db, args.notes)
    print(f"prepared {args.notes} notes in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "FACILITATOR_DB": str(db), "PYTHONPATH": str(ROOT)}
    port, bare_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", str(event_id), "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, cwd=ROOT)
    bare = subprocess.Popen([sys.executable, __file__, "--bare-server", str(bare_port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        code = server.stdout.readline().strip().split("/e/")[1]
        bare.stdout.readline()
        asyncio.run(storms(args, db, walk_id, (f"http://127.0.0.1:{port}", code, server.pid),
                           (f"http://127.0.0.1:{bare_port}", bare.pid)))
    finally:
        for proc in (server, bare):
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)


async def storms(args, db: Path, walk_id: int, ours: tuple[str, str, int],
                 bare: tuple[str, int]) -> None:
    from facilitator.storage import Store, open_db

    (base, code, server_pid), (bare_base, bare_pid) = ours, bare
    store = Store(open_db(db))
    groups = store.groups(walk_id)
    rounds = len(store.activity(walk_id).config["stations"])
    mode = args.mode
    if mode == "auto":
        mode = "sse" if await has_stream(base, code) else "poll"
    print(f"mode={mode}{f' (polls every {args.poll:g} s)' if mode == 'poll' else ''}")
    joins = [f"/e/{code}/g/{groups[i % len(groups)].id}" for i in range(args.phones)]
    phones = await room(base, code, joins, args, mode)
    control = aiohttp.ClientSession()
    bare_phones: list[Phone] = []
    try:
        # The page one phone sees is the bare app's page: the same bytes, the same size.
        async with phones[0].session.get(f"{base}/e/{code}") as r:
            page = await r.read()
        async with control.post(f"{bare_base}/page", data=page) as r:
            await r.read()
        print(f"{len(phones)} phones joined and following; a page is {len(page):,} bytes")
        bare_phones = await room(bare_base, BARE_CODE, [f"/e/{BARE_CODE}"] * args.phones,
                                 args, mode)

        async def bare_change():
            async with control.post(f"{bare_base}/bump") as r:
                await r.read()

        async def change():
            next_round(store, walk_id)

        ratios = []
        for n in range(1, min(args.storms, rounds - 1) + 1):
            before = cpu_seconds(server_pid)
            theirs_ours = await storm(phones, f"Kierros {n + 1}/", change, args.timeout)
            cpu = cpu_seconds(server_pid) - before
            print(line(f"storm {n} facilitator ({mode}, round {n + 1})", theirs_ours, cpu))
            before = cpu_seconds(bare_pid)
            theirs = await storm(bare_phones, "", bare_change, args.timeout)
            cpu = cpu_seconds(bare_pid) - before
            print(line(f"storm {n} bare aiohttp ({mode})", theirs, cpu))
            if theirs.times and len(theirs_ours.times) == theirs_ours.phones:
                ratios.append(max(theirs_ours.times) / max(theirs.times))
                print(f"storm {n} ratio facilitator/bare (all phones): {ratios[-1]:.1f}x")
        if ratios:
            print(f"ratio median over {len(ratios)} storms: {statistics.median(ratios):.1f}x "
                  f"(target: all within 1 s, at most 3x)")
    finally:
        await control.close()
        await close(phones + bare_phones)
        store.db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--mode", choices=("auto", "sse", "poll"), default="auto",
                        help="follow by the event stream, by polling, or the stream if there")
    parser.add_argument("--poll", type=float, default=5.0,
                        help="seconds between a polling phone's checks (the page's script: 5)")
    parser.add_argument("--storms", type=int, default=2,
                        help="round changes (at most the walk's rounds - 1)")
    parser.add_argument("--addresses", type=int, default=10,
                        help="loopback addresses the phones come from (a room's Wi-Fi has "
                             "one per phone; the server caps connections per address)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        run_bare(args.bare_server)
        return
    print(f"open files allowed: {raise_file_limit()}")
    with tempfile.TemporaryDirectory() as tmp:
        bench(args, Path(tmp))


if __name__ == "__main__":
    main()
