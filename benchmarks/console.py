"""The real console in a real terminal: how soon a key shows on screen while a room floods it.

Runs `python -m facilitator run` in a pseudo-terminal of a fixed size, with 10,000 notes
already on the open activity, and reads everything it draws into a terminal emulator
(pyte). Presses keys that move the programme's highlight and times each until the
programme's cells (characters and attributes) change: first idle, then while phones in
another process post notes at a steady rate. Prints key-to-screen p50/p99/max, the console
process's CPU and the rate of acknowledged notes, and checks every acknowledged note is on
disk.

    pip install -e '.[bench]'
    python benchmarks/console.py --notes 10000 --rate 200 --seconds 30 --idle 10

`--region` and `--keys` probe another part of the screen, e.g. the board. Linux only
(/proc). On the default programme, `down` moves to an empty activity and `up` back to
the full one, so the per-key figures separate the two board redraws.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import math
import os
import queue
import random
import re
import select
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections import Counter
from pathlib import Path

import aiohttp

HERE = Path(__file__).parent
ROOT = HERE.parent

#: What a key sends from an xterm in normal cursor mode (Textual reads both CSI and SS3).
KEYS = {"up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
        "home": b"\x1b[H", "end": b"\x1b[F", "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~",
        "tab": b"\t", "shift+tab": b"\x1b[Z", "enter": b"\r", "space": b" "}
CTRL_Q = b"\x11"
#: Wait after each probe before the next, so probes do not queue up behind each other.
GAP = (0.25, 0.4)
#: Phones stay under the server's 1 note/s per device; the headroom absorbs jitter.
PER_PHONE_RATE = 0.8
#: Seconds past the end a phone still posts what it is behind with; then it gives up.
LATE = 15

# -- notes that read like a Finnish room's ---------------------------------------------------

SUBJECTS = ["Tiedonkulku", "Yhteistyö kuntien kanssa", "Viikkopalaveri", "Asiakaspalvelu",
            "Uusi toimintamalli", "Perehdytys", "Työnjako", "Yhteinen kalenteri",
            "Hankkeen raportointi", "Etätyö", "Johdon viestintä", "Tiimien välinen apu",
            "Palautteen kerääminen", "Sähköinen asiointi", "Vapaaehtoisten koordinointi"]
VERBS = ["toimii hyvin", "sujuu paremmin kuin ennen", "takkuaa vielä", "vaatii selkeyttä",
         "on parantunut selvästi", "kuormittaa liikaa", "jää usein puolitiehen",
         "on liian hajallaan", "tarvitsee lisää aikaa", "on innostanut monia"]
REASONS = ["koska kaikki tietävät, kuka vastaa mistäkin",
           "mutta tieto ei aina kulje kentälle asti",
           "kun sovimme asiat kirjallisesti", "vaikka resurssit ovat tiukalla",
           "etenkin pienissä kunnissa", "jos muistamme kysyä toisiltamme ajoissa",
           "varsinkin kiireisinä viikkoina", "sillä välineitä on liian monta"]
WISHES = ["Toivoisin yhteisen paikan dokumenteille.", "Lisää aikaa kysymyksille.",
          "Voisimmeko kokeilla lyhyempiä kokouksia?", "Selkeä vastuuhenkilö jokaiselle asialle.",
          "Kiitos kaikille hyvästä yhteistyöstä!", "Tästä kannattaa jatkaa ensi vuonna.",
          "Asiakkaan ääni pitäisi kuulua enemmän.", "Pienetkin onnistumiset näkyviin."]


def sentence(rng: random.Random) -> str:
    """One to four sentences, so notes are as uneven in length as a room's."""
    parts = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}"
             + (f", {rng.choice(REASONS)}." if rng.random() < 0.7 else ".")]
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        parts.append(rng.choice(WISHES) if rng.random() < 0.5 else
                     f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}.")
    return " ".join(parts)


def prepare(db: Path, notes: int, participants: int, rng: random.Random):
    """The demo event, its headed activity open and full of notes; the others stay draft."""
    from facilitator import templates
    from facilitator.storage import Store, open_db

    store = Store(open_db(db))
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = next(a for a in store.activities(event.id) if a.headings)
    store.set_activity_state(event.id, activity.id, "open")
    with store.transaction():  # set-up, not what is measured: one commit for all
        people = [store.join(event.id, f"bench-{i}").id for i in range(participants)]
        for _ in range(notes):
            store.add_note(activity.id, sentence(rng), rng.choice(activity.headings),
                           rng.choice(people))
    last_id = store.db.execute("SELECT max(id) FROM notes").fetchone()[0] or 0
    store.db.conn.close()
    return event, activity, last_id


# -- the console in a pseudo-terminal, read by an emulator ----------------------------------

class Probe:
    def __init__(self, before, sent: float):
        self.before = before
        self.sent = sent
        self.changed_at: float | None = None
        self.done = threading.Event()


class Terminal:
    """A child process in a pty whose output is continuously fed into a pyte screen.

    One thread only reads (so the child never blocks on a full pty buffer, and each chunk
    carries the time it arrived); another parses, and marks a pending probe done at the
    arrival time of the first chunk after the key that changed the region.
    """

    def __init__(self, cmd: list[str], cols: int, rows: int, region, env: dict, cwd: Path):
        import pyte

        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self.region = region
        self._lock = threading.Lock()
        self._chunks: queue.Queue = queue.Queue()
        self._probe: Probe | None = None
        self.bytes_read = 0
        self.last_output = time.perf_counter()
        self.parse_lags: list[float] = []
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            start_new_session=True, close_fds=True,
            # the pty becomes the console's controlling terminal, as in a real one; safe
            # here: the reader threads start only after the fork
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # noqa: PLW1509
        )
        os.close(slave)
        self._threads = [threading.Thread(target=self._read, daemon=True),
                         threading.Thread(target=self._parse, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child has closed the terminal
                data = b""
            self._chunks.put((time.perf_counter(), data))
            if not data:
                return

    def _parse(self) -> None:
        rows = set(range(self.region[1], self.region[3]))
        while True:
            arrived, data = self._chunks.get()
            if not data:
                return
            with self._lock:
                self.bytes_read += len(data)
                self.last_output = arrived
                self._stream.feed(data)
                probe = self._probe
                if probe is not None and self.screen.dirty & rows:
                    now = self.snapshot()
                    if arrived < probe.sent:  # drawn before the key: the new baseline
                        probe.before = now
                    elif now != probe.before:
                        probe.changed_at = arrived
                        self._probe = None
                        probe.done.set()
                self.screen.dirty.clear()
            self.parse_lags.append(time.perf_counter() - arrived)

    def snapshot(self) -> tuple:
        """The region's cells: characters with colours and attributes."""
        x0, y0, x1, y1 = self.region
        buffer = self.screen.buffer
        return tuple(tuple(buffer[y][x] for x in range(x0, x1)) for y in range(y0, y1))

    def region_text(self) -> str:
        x0, y0, x1, y1 = self.region
        return "\n".join(self.screen.display[y][x0:x1].rstrip() for y in range(y0, y1))

    def press(self, key: bytes, timeout: float) -> float | None:
        """Seconds from sending the key to the region changing; None past the timeout."""
        with self._lock:
            probe = Probe(self.snapshot(), time.perf_counter())
            self._probe = probe
            os.write(self.master, key)
        if not probe.done.wait(timeout):
            with self._lock:
                self._probe = None
            return None
        return probe.changed_at - probe.sent

    def settle(self, quiet: float, timeout: float) -> bool:
        """Wait until the screen shows something and the child has drawn nothing for `quiet`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self.proc.poll() is None:
            with self._lock:
                drawn = any(line.strip() for line in self.screen.display)
                idle = time.perf_counter() - self.last_output
            if drawn and idle >= quiet and self._chunks.empty():
                return True
            time.sleep(0.05)
        return False

    def hold_still(self, still: float, timeout: float) -> None:
        """Wait until the region has not changed for `still` (after a probe timed out, so
        its late drawing is not taken for the next key's)."""
        deadline = time.perf_counter() + timeout
        last, since = self.snapshot(), time.perf_counter()
        while time.perf_counter() < deadline and time.perf_counter() - since < still:
            time.sleep(0.05)
            with self._lock:
                now = self.snapshot()
            if now != last:
                last, since = now, time.perf_counter()

    def close(self) -> int | None:
        """Quit as a facilitator would (ctrl+q), then SIGTERM, then SIGKILL."""
        for action, wait in ((lambda: os.write(self.master, CTRL_Q), 10),
                             (lambda: self.proc.send_signal(signal.SIGTERM), 5),
                             (self.proc.kill, 5)):
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError):
                action()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(wait)
        self._threads[0].join(2)
        self._threads[1].join(5)
        os.close(self.master)
        return self.proc.returncode


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process; the leader's /proc stat sums all its threads."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def host_busy() -> float:
    """CPU seconds the whole machine has been busy: other work shows as noise."""
    with open("/proc/stat") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def probe_phase(term: Terminal, keys: list[bytes], first: int, running, timeout: float,
                rng: random.Random) -> dict:
    """Key probes until `running()` is false; the phase's delays, CPU and output."""
    delays: list[float] = []
    by_key: dict[int, list[float]] = {}
    timeouts = 0
    index = first
    cpu0, bytes0, t0 = cpu_seconds(term.proc.pid), term.bytes_read, time.perf_counter()
    own0, lags0, host0 = time.process_time(), len(term.parse_lags), host_busy()
    while running() and term.proc.poll() is None:
        delay = term.press(keys[index % len(keys)], timeout)
        if delay is None:  # counted as slower than any answer, so p99 cannot hide it
            timeouts += 1
            delay = math.inf
            term.hold_still(1.0, timeout)
        delays.append(delay)
        by_key.setdefault(index % len(keys), []).append(delay)
        index += 1
        time.sleep(rng.uniform(*GAP))
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(term.proc.pid) - cpu0 if term.proc.poll() is None else math.nan
    return {"delays": delays, "by_key": by_key, "timeouts": timeouts, "next": index,
            "seconds": elapsed,
            "cores": cpu / elapsed, "kb_s": (term.bytes_read - bytes0) / 1024 / elapsed,
            "own_cores": (time.process_time() - own0) / elapsed,
            "host_cores": (host_busy() - host0) / elapsed,
            "parse_lags": term.parse_lags[lags0:]}


# -- the room: phones in their own process ---------------------------------------------------

async def join(session, url: str) -> str:
    async with session.get(url) as r:
        page = await r.text()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    if found is None:
        raise RuntimeError(f"no form on {url} (HTTP {r.status})")
    return found.group(1)


async def phone(session, csrf: str, post_url: str, headings: list[str], slots: list[float],
                give_up: float, rng: random.Random, out: dict) -> None:
    loop = asyncio.get_running_loop()
    for n, slot in enumerate(slots):
        if loop.time() > give_up:  # the server is this far behind: stop, so the run ends
            out["statuses"]["not sent"] += len(slots) - n
            return
        await asyncio.sleep(max(0.0, slot - loop.time()))
        form = {"csrf": csrf, "text": sentence(rng)}
        if headings:
            form["heading"] = rng.choice(headings)
        started = loop.time()
        try:
            async with session.post(post_url, data=form, allow_redirects=False) as r:
                await r.read()
                status = r.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            status = type(exc).__name__
        out["statuses"][str(status)] += 1
        if status == 303:
            out["acked"].append(form["text"])
            out["latencies"].append(loop.time() - started)
        out["last"] = max(out["last"], loop.time())


async def room(url: str, activity_id: int, headings: list[str], rate: float, seconds: float,
               phones: int, seed: int) -> dict:
    """Each phone its own client and cookie jar; posts are paced to `rate` in total."""
    rng = random.Random(seed)
    out: dict = {"statuses": Counter(), "acked": [], "latencies": [], "last": 0.0}
    timeout = aiohttp.ClientTimeout(total=15)
    async with contextlib.AsyncExitStack() as stack:
        sessions = [await stack.enter_async_context(aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=timeout)) for _ in range(phones)]
        csrfs = await asyncio.gather(*(join(s, url) for s in sessions))
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.1
        total = int(rate * seconds)
        # Slot k is at start + k/rate; phone i takes slots i, i+phones, ..., each moved by up
        # to a tenth of the phone's own period, so a phone is never near the device limit.
        period = phones / rate
        slots = [[start + k / rate + rng.uniform(-0.1, 0.1) * period
                  for k in range(i, total, phones)] for i in range(phones)]
        give_up = start + seconds + LATE
        await asyncio.gather(*(
            phone(s, c, f"{url}/a/{activity_id}", headings, sl, give_up, random.Random(seed + i),
                  out)
            for i, (s, c, sl) in enumerate(zip(sessions, csrfs, slots, strict=True))
        ))
    out["seconds"] = out["last"] - start
    out["cpu"] = time.process_time()
    return out


# -- the run ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: with 90 probes p99 is the slowest but one, never interpolated."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return "timeout" if seconds == math.inf else f"{seconds * 1000:.1f}"


def phase_line(name: str, phase: dict, rate: str) -> str:
    d = phase["delays"]
    return (f"{name:<5} probes={len(d):<4} timeouts={phase['timeouts']:<3} "
            f"key-to-screen ms p50={ms(percentile(d, 50))} "
            f"p99={ms(percentile(d, 99))} max={ms(max(d, default=math.nan))}  "
            f"console CPU={phase['cores']:.2f} cores  output={phase['kb_s']:.0f} KB/s  "
            f"notes/s acked={rate}")


def keys_line(name: str, phase: dict, names: list[str]) -> str:
    """Per key: on the programme, down goes to an empty activity and up back to the full one."""
    return f"{name:<5} by key: " + "  ".join(
        f"{names[i]} p50={ms(percentile(d, 50))} p99={ms(percentile(d, 99))}"
        for i, d in sorted(phase["by_key"].items()))


def reader_line(name: str, phase: dict, phones: float = 0.0) -> str:
    """The benchmark's own cost, and what else ran: the console shares the CPUs with both."""
    lags = phase["parse_lags"]
    others = phase["host_cores"] - phase["cores"] - phase["own_cores"] - phones
    return (f"{name:<5} emulator CPU={phase['own_cores']:.2f} cores, other processes "
            f"~{max(0.0, others):.2f} of {os.cpu_count()} cores, parse lag ms "
            f"p99={percentile(lags, 99) * 1000:.1f} max={max(lags, default=0) * 1000:.1f}")


def wait_line(proc: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline().decode().strip() if ready else ""


def run(args, tmp: Path) -> int:
    try:
        import pyte  # noqa: F401 - only checked here, used by Terminal
    except ImportError:
        print("benchmarks/console.py reads the screen with pyte: pip install -e '.[bench]'")
        return 2
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    region = tuple(int(v) for v in args.region.split(",")) if args.region else (0, 1, 40, rows - 1)
    keys = [KEYS.get(k, k.encode()) for k in args.keys.split(",")]
    phones = args.phones or max(1, math.ceil(args.rate / PER_PHONE_RATE))
    rng = random.Random(args.seed)
    db, results = tmp / "console.db", tmp / "phones.json"
    event, activity, preloaded_to = prepare(db, args.notes, args.participants, rng)
    port = free_port()
    url = f"http://127.0.0.1:{port}/e/{event.join_code}"
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor",
           "PYTHONPATH": str(ROOT)}
    for name in ("LINES", "COLUMNS", "TEXTUAL", "TEXTUAL_DRIVER"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "facilitator", "run", str(event.id), "--host", "127.0.0.1",
           "--port", str(port), "--db", str(db)]
    print(f"console {cols}x{rows} on {os.cpu_count()} CPUs; {args.notes} notes on "
          f"{activity.title!r}; probing region {','.join(map(str, region))} with {args.keys}")
    term = Terminal(cmd, cols, rows, region, env, ROOT)
    room_proc = None
    try:
        started = time.perf_counter()
        if not term.settle(quiet=1.0, timeout=args.startup):
            print(f"the console did not settle within {args.startup:.0f}s "
                  f"(exit code {term.proc.poll()}); the screen:\n" + "\n".join(term.screen.display))
            return 1
        print(f"startup: drawn and then quiet for 1s, {time.perf_counter() - started:.1f}s "
              f"after launch")
        first = term.press(keys[0], args.timeout)
        if first is None:
            print(f"pressing {args.keys.split(',')[0]} did not change region {region} within "
                  f"{args.timeout}s; it shows:\n{term.region_text()}")
            return 1
        time.sleep(GAP[1])
        until = time.perf_counter() + args.idle
        idle = probe_phase(term, keys, 1, lambda: time.perf_counter() < until, args.timeout, rng)
        names = args.keys.split(",")
        print(phase_line("idle", idle, "-"))
        print(keys_line("idle", idle, names), flush=True)

        room_proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--room", url,
             "--activity", str(activity.id), "--headings", json.dumps(activity.headings),
             "--rate", str(args.rate), "--seconds", str(args.seconds),
             "--phones", str(phones), "--seed", str(args.seed), "--out", str(results)],
            stdout=subprocess.PIPE,  # only "ready"; the results, too big for a pipe, in a file
        )
        if wait_line(room_proc, 60) != "ready":
            print("the phones could not join within 60s")
            return 1
        hard_stop = time.perf_counter() + args.seconds + LATE + 45
        load = probe_phase(term, keys, idle["next"],
                           lambda: room_proc.poll() is None and time.perf_counter() < hard_stop,
                           args.timeout, rng)
        room_proc.wait(30)
        result = json.loads(results.read_text(encoding="utf-8"))
        acked = len(result["acked"])
        print(phase_line("load", load, f"{acked / result['seconds']:.0f}"))
        print(keys_line("load", load, names))
        lat = result["latencies"]
        print(f"phones={phones} posts={sum(result['statuses'].values())} acknowledged={acked} "
              f"statuses={dict(result['statuses'])} over {result['seconds']:.1f}s; post latency "
              f"ms p50={percentile(lat, 50) * 1000:.0f} p99={percentile(lat, 99) * 1000:.0f}")
        print(reader_line("idle", idle))
        phones_cores = result["cpu"] / result["seconds"]
        print(f"phones' process CPU={phones_cores:.2f} cores")
        print(reader_line("load", load, phones_cores))
        p99, cores = percentile(load["delays"], 99), load["cores"]
        shown = "a timeout" if p99 == math.inf else f"{p99 * 1000:.1f} ms"
        print(f"target: load p99 < 100 ms: {'yes' if p99 < 0.1 else 'NO'} ({shown}; "
              f"{load['timeouts']} probes past {args.timeout:g}s); "
              f"load CPU < 0.5 core: {'yes' if cores < 0.5 else 'NO'} ({cores:.2f})")
    finally:
        if room_proc is not None and room_proc.poll() is None:
            room_proc.kill()
            room_proc.wait()
        code = term.close()
    print(f"console exit code={code}")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        total = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        stored = Counter(t for (t,) in conn.execute(
            "SELECT text FROM notes WHERE activity_id = ? AND id > ?",
            [activity.id, preloaded_to]))
    missing = Counter(result["acked"]) - stored
    print(f"notes in db={total} (preloaded {args.notes} + {sum(stored.values())} from phones); "
          f"acknowledged but missing={sum(missing.values())}")
    return 1 if missing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10000, help="notes before the console starts")
    parser.add_argument("--participants", type=int, default=150)
    parser.add_argument("--rate", type=float, default=200, help="notes/s from all phones")
    parser.add_argument("--seconds", type=float, default=30, help="how long the phones post")
    parser.add_argument("--idle", type=float, default=10, help="seconds of probes before load")
    parser.add_argument("--size", default="160x48", help="terminal COLSxROWS")
    parser.add_argument("--region", help="x0,y0,x1,y1 cells (end exclusive); default the "
                        "programme: 0,1,40,ROWS-1")
    parser.add_argument("--keys", default="down,up",
                        help=f"keys sent in turn: {', '.join(KEYS)} or a character")
    parser.add_argument("--timeout", type=float, default=5, help="seconds a probe may wait")
    parser.add_argument("--startup", type=float, default=90, help="seconds to settle at start")
    parser.add_argument("--phones", type=int, default=0,
                        help=f"default: enough for {PER_PHONE_RATE} notes/s each")
    parser.add_argument("--seed", type=int, default=1)
    # the phones' own process (run by the benchmark itself)
    parser.add_argument("--room", help=argparse.SUPPRESS)
    parser.add_argument("--activity", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--headings", default="[]", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.room:
        result = asyncio.run(room(args.room, args.activity, json.loads(args.headings),
                                  args.rate, args.seconds, args.phones, args.seed))
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        code = run(args, Path(tmp))
    sys.exit(code)


if __name__ == "__main__":
    main()
