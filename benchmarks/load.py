"""A room of phones against a real `facilitator serve` process, and against a bare
aiohttp + SQLite app doing the same steps, in the same run.

Each simulated phone has its own HTTP client and cookie jar (a shared client would be the
bottleneck, not the server), comes from one of a few loopback addresses (a room's Wi-Fi
gives each phone its own; the server's limits count per address) and, as a browser does,
posts a note and then loads the page the answer sends it to. The rate limiter runs as
shipped. Every acknowledged note is checked to be on disk.

The bare app does what a note costs at least: parse the form, insert, commit, answer
303, then render a page of the same size (Jinja, the note read back from SQLite). Its
throughput beside ours says what the facilitator's own code costs; target: at least 0.8.

    python benchmarks/load.py --phones 300 --notes 5 [--repeats 3]
    python benchmarks/load.py --paced [--phones 1000 --rate 200 --seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storm import ROOT, cpu_seconds, free_port, raise_file_limit

HEADING = "Mikä toimii?"
BARE_CODE = "BARE"


# -- the phones -------------------------------------------------------------------------------


class Phone:
    def __init__(self, url: str, activity_id: int, address: str):
        self.url, self.activity_id = url, activity_id
        self.root = url.split("/e/")[0]
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=2),
            cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""
        self.sent = 0

    async def open(self) -> None:
        async with self.session.get(self.url) as r:
            self.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', await r.text()).group(1)

    async def note(self, timings: Timings) -> None:
        """Post a note, then load the page the answer points to (as a browser does)."""
        self.sent += 1
        form = {"csrf": self.csrf, "form": "note", "heading": HEADING,
                "text": f"Ajatus {self.sent}: yhteistyö ja tiedonkulku toimivat"}
        started = time.perf_counter()
        try:
            async with self.session.post(f"{self.url}/a/{self.activity_id}", data=form,
                                         allow_redirects=False) as r:
                await r.read()
                location = r.headers.get("Location", "")
            posted = time.perf_counter()
            if r.status != 303:
                timings.refused[r.status] = timings.refused.get(r.status, 0) + 1
                return
            timings.acked += 1
            timings.posts.append(posted - started)
            async with self.session.get(self.root + location) as r:
                body = await r.read()
            timings.pages.append(time.perf_counter() - posted)
            timings.page_bytes = len(body)
        except aiohttp.ClientError:
            timings.refused["error"] = timings.refused.get("error", 0) + 1

    async def close(self) -> None:
        await self.session.close()


class Timings:
    def __init__(self):
        self.posts: list[float] = []
        self.pages: list[float] = []
        self.acked = 0
        self.refused: dict = {}
        self.page_bytes = 0
        self.wall = 0.0
        self.cpu = 0.0


async def room(url: str, activity_id: int, phones: int, addresses: int) -> list[Phone]:
    room = [Phone(url, activity_id, f"127.0.0.{2 + i % addresses}") for i in range(phones)]
    gate = asyncio.Semaphore(50)  # a room opening its pages, not one instant

    async def open_page(phone: Phone):
        async with gate:
            await phone.open()

    await asyncio.gather(*(open_page(p) for p in room))
    return room


async def burst(phones: list[Phone], notes: int, pid: int) -> Timings:
    """Every phone sends its notes one after another, all phones at once."""
    timings = Timings()

    async def one(phone: Phone):
        for _ in range(notes):
            await phone.note(timings)

    before, started = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(one(p) for p in phones))
    timings.wall, timings.cpu = time.perf_counter() - started, cpu_seconds(pid) - before
    return timings


async def paced(phones: list[Phone], rate: float, seconds: float, pid: int) -> Timings:
    """`rate` notes a second for `seconds`, the phones taking turns (1,000 phones at 200
    a second: each phone every 5 s, inside its own limit of about one a second)."""
    timings = Timings()
    total = int(rate * seconds)
    tasks = []
    before, started = cpu_seconds(pid), time.perf_counter()
    for n in range(total):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(phones[n % len(phones)].note(timings)))
    await asyncio.gather(*tasks)
    timings.wall, timings.cpu = time.perf_counter() - started, cpu_seconds(pid) - before
    return timings


def ms(values: list[float], p: int) -> str:
    if len(values) < 2:
        return "-"
    return f"{statistics.quantiles(values, n=100)[p - 1] * 1000:.1f}"


def line(name: str, t: Timings) -> str:
    refused = f" refused={t.refused}" if t.refused else ""
    per = t.cpu * 1000 / t.acked if t.acked else 0.0
    return (f"{name}: acknowledged={t.acked}{refused} wall={t.wall:.2f}s "
            f"throughput={t.acked / t.wall:.0f} notes/s (each a post and the page after it)"
            f" | post ms p50={ms(t.posts, 50)} p99={ms(t.posts, 99)}"
            f" | page after ms p50={ms(t.pages, 50)} p99={ms(t.pages, 99)}"
            f" | server cpu={t.cpu:.2f}s ({per:.2f} ms/note,"
            f" {t.cpu / t.wall * 100:.0f}% of a core)")


# -- the two servers ----------------------------------------------------------------------


def prepare(db: Path) -> tuple[str, int]:
    """A demo event with its headed activity open, made with the CLI as a user would."""
    env = {**os.environ, "FACILITATOR_DB": str(db), "PYTHONPATH": str(ROOT)}

    def cli(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "facilitator", *args], env=env,
                              check=True, capture_output=True, text=True, cwd=ROOT).stdout

    event_id = str(json.loads(cli("new", "demo", "--json"))["id"])
    activity_id = json.loads(cli("list", "--json"))[0]["activities"][1]["id"]
    cli("open", event_id, str(activity_id))
    return event_id, activity_id


def start_ours(db: Path, event_id: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", event_id, "--host", "127.0.0.1",
         "--port", str(port)],
        env={**os.environ, "FACILITATOR_DB": str(db), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    code = server.stdout.readline().strip().split("/e/")[1]
    return server, f"http://127.0.0.1:{port}/e/{code}"


def start_bare(db: Path, page_bytes: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--bare-server", str(port), str(db), str(page_bytes)],
        stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    return server, f"http://127.0.0.1:{port}/e/{BARE_CODE}"


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(10)


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM notes").fetchone()[0]


BARE_PAGE = """<!doctype html><html lang="fi"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main>
<form method="post" action="/e/{{ code }}/a/1"><input type="hidden" name="csrf" value="{{ csrf }}">
<textarea name="text"></textarea><button>Lähetä</button></form>
{% if sent %}<blockquote><strong>{{ sent[0] }}</strong><br>{{ sent[1] }}</blockquote>{% endif %}
<!-- {{ padding }} --></main></body></html>"""


def bare_app(db: Path, page_bytes: int) -> web.Application:
    """aiohttp + SQLite alone: parse the form, insert, commit, answer 303; a page of
    `page_bytes` with the note read back. WAL and NORMAL sync, as ours."""
    import secrets

    import jinja2

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, activity_id INT,"
                 " heading TEXT, text TEXT, created_at TEXT)")
    template = jinja2.Environment(autoescape=True).from_string(BARE_PAGE)
    padding = {"n": 0}

    def render(sent) -> str:
        return template.render(title="Bare", code=BARE_CODE, csrf="0" * 64, sent=sent,
                               padding="x" * padding["n"])

    # Padded to the size of our page after a post (a note as long as the phones send).
    typical = render((HEADING, "Ajatus 1: yhteistyö ja tiedonkulku toimivat"))
    padding["n"] = max(0, page_bytes - len(typical.encode()))

    async def page(request):
        sent = None
        if request.query.get("sent", "").isdigit():
            sent = conn.execute("SELECT heading, text FROM notes WHERE id = ?",
                                [int(request.query["sent"])]).fetchone()
        response = web.Response(text=render(sent), content_type="text/html")
        if "d" not in request.cookies:
            response.set_cookie("d", secrets.token_hex(16), httponly=True, samesite="Lax")
        return response

    async def post(request):
        form = await request.post()
        conn.execute("BEGIN IMMEDIATE")
        note_id = conn.execute(
            "INSERT INTO notes (activity_id, heading, text, created_at) VALUES (?, ?, ?,"
            " datetime('now'))",
            [int(request.match_info["activity"]), form.get("heading", ""), form["text"]],
        ).lastrowid
        conn.execute("COMMIT")
        raise web.HTTPSeeOther(f"/e/{BARE_CODE}?sent={note_id}")

    app = web.Application()
    app.router.add_get(f"/e/{BARE_CODE}", page)
    app.router.add_post(f"/e/{BARE_CODE}/a/{{activity}}", post)
    return app


def run_bare(port: int, db: Path, page_bytes: int) -> None:
    raise_file_limit()
    web.run_app(bare_app(db, page_bytes), host="127.0.0.1", port=port, access_log=None,
                print=lambda *a: print("ready", flush=True), backlog=4096)


# -- the run ------------------------------------------------------------------------------


async def against(url: str, activity_id: int, pid: int, args) -> Timings:
    phones = await room(url, activity_id, args.phones, args.addresses)
    try:
        if args.paced:
            return await paced(phones, args.rate, args.seconds, pid)
        return await burst(phones, args.notes, pid)
    finally:
        await asyncio.gather(*(p.close() for p in phones))


def main(args) -> None:
    raise_file_limit()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "load.db"
    event_id, activity_id = prepare(db)
    what = (f"paced: {args.phones} phones, {args.rate:g} notes/s for {args.seconds:g} s"
            if args.paced else f"burst: {args.phones} phones x {args.notes} notes")
    print(f"{what}, from {args.addresses} loopback addresses, rate limits as shipped")
    ratios = []
    page_bytes = 0
    for n in range(1, args.repeats + 1):
        server, url = start_ours(db, event_id)
        before = stored(db)
        try:
            ours = asyncio.run(against(url, activity_id, server.pid, args))
        finally:
            stop(server)
        lost = ours.acked - (stored(db) - before)
        print(line(f"run {n} facilitator", ours) + f" | stored={stored(db) - before} lost={lost}")
        page_bytes = page_bytes or ours.page_bytes
        if args.no_bare:
            continue
        bare_db = tmp / f"bare{n}.db"
        server, url = start_bare(bare_db, page_bytes)
        try:
            bare = asyncio.run(against(url, 1, server.pid, args))
        finally:
            stop(server)
        print(line(f"run {n} bare aiohttp+sqlite", bare) + f" | page={bare.page_bytes} bytes"
              f" (ours {ours.page_bytes})")
        ratios.append((ours.acked / ours.wall) / (bare.acked / bare.wall))
        cpu = (ours.cpu / ours.acked) / (bare.cpu / bare.acked) if ours.acked and bare.acked else 0
        print(f"run {n} throughput facilitator/bare = {ratios[-1]:.2f}"
              f" (cpu per note {cpu:.2f}x)")
    if ratios:
        print(f"throughput facilitator/bare over {len(ratios)} runs: median "
              f"{statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f});"
              f" target at least 0.8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=None,
                        help="default 300, or 1,000 with --paced")
    parser.add_argument("--notes", type=int, default=5, help="per phone, in a burst")
    parser.add_argument("--paced", action="store_true",
                        help="a steady rate instead of a burst (p50/p99 at that rate)")
    parser.add_argument("--rate", type=float, default=200.0, help="notes/s, with --paced")
    parser.add_argument("--seconds", type=float, default=30.0, help="with --paced")
    parser.add_argument("--repeats", type=int, default=1,
                        help="runs, each ours then the bare app's (paired on a busy machine)")
    parser.add_argument("--addresses", type=int, default=10,
                        help="loopback addresses the phones come from")
    parser.add_argument("--no-bare", action="store_true", help="only the facilitator's server")
    parser.add_argument("--url", help="an already running event page (/e/CODE): only the phones")
    parser.add_argument("--activity", type=int, help="with --url: the open activity's id")
    parser.add_argument("--pid", type=int, help="with --url: the server's process, for its CPU")
    parser.add_argument("--bare-server", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.phones = args.phones or (1000 if args.paced else 300)
    if args.bare_server:
        port, db, size = args.bare_server
        run_bare(int(port), Path(db), int(size))
    elif args.url:
        raise_file_limit()
        print(line("phones", asyncio.run(against(args.url, args.activity,
                                                 args.pid or os.getpid(), args))))
    else:
        main(args)
