"""Server-sent events: the change hub that tells phones and the projector the room moved on.

One hub per server, in its event loop. It learns that the database changed in two ways:
a handler in this process commits and pokes it (`poke`, through the app's `on_change`),
or it notices on its own, by looking every `POLL_SECONDS` at SQLite's `data_version`
(another process committed: the CLI's `facilitator open/next/hide`) and at this
connection's `total_changes` (the console in the same process wrote through the shared
store). That is one PRAGMA for all streams, never one per stream.

Each stream listens to a *channel*: what one kind of reader of one event is shown (the
phones' state, the projector's view). On a change the hub computes each channel's data
once and, if it differs from what was sent, every stream on it writes the same bytes: the
cost of a change is one computation per channel, not one per stream. An idle stream costs
a sleeping coroutine and a keep-alive comment every `KEEPALIVE` seconds.

Never compressed: a compressing encoder holds events back until the stream ends.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable, Hashable

from aiohttp import web

from facilitator.domain import Activity
from facilitator.storage import Store
from facilitator.web import security
from facilitator.web.ratelimit import OneLine

log = logging.getLogger(__name__)

#: Seconds between keep-alive comments on an idle stream: under the 30–60 s after which
#: proxies and phone browsers drop a quiet connection, and a dead phone's stream is found
#: (its write fails) within this time.
KEEPALIVE = 15.0
#: How often the hub looks for a change made by another process or by the console: one
#: PRAGMA (about 2 µs), so a `facilitator next` from another terminal reaches the room
#: within a tenth of a second, as the console's own commits do at once.
POLL_SECONDS = 0.1
#: The least time between two recomputations: a storm of notes (hundreds a second) is
#: one recomputation per this interval, not one per note. A phone still follows within
#: this plus a round trip.
MIN_GAP = 0.1
#: The browser's wait before reconnecting after the stream dropped (the Wi-Fi blinked).
RETRY_MS = 2000

#: A Last-Event-ID we sent: ASCII digits, no more than an id can have. Anything else (a
#: 5,000-digit number, past int()'s limit; "²", a digit to str.isdigit() but not to int())
#: is no id of ours: the stream starts afresh.
_EVENT_ID = re.compile(r"[0-9]{1,20}")
#: Open streams per client address, by default: the server sets its own per-address
#: connection cap (server.py), the same number, since behind one NAT address each phone
#: of a room holds one stream, and behind `--trust-proxy` that connection cap does not
#: hold (the proxy's address is exempt), so this is what bounds one internet client.
MAX_STREAMS_PER_ADDRESS = 2000
#: File descriptors kept back from streams: a quarter of the limit (at least 128) for the
#: pages and posts of the same phones, static files, the database and its log.
FILE_HEADROOM = 128

HUB = web.AppKey("hub", object)
#: Seconds between keep-alives, as an app setting (tests make it short).
KEEPALIVE_SECONDS = web.AppKey("keepalive_seconds", float)


def live_key(activities: list[Activity]) -> str:
    """Changes whenever the phone's page should: an activity opens or closes, or a
    round moves on."""
    return ",".join(f"{a.id}.{a.round}" for a in activities if a.state == "open")


def phone_state(store: Store, event_id: int) -> dict:
    """What `/e/{code}/state` answers and the phone's stream sends: the open activities
    and the key the page compares with its own."""
    running = store.activities(event_id, state="open")
    return {"open": [a.id for a in running], "key": live_key(running)}


def streams_within(file_limit: int) -> int:
    """The most streams open at once for a process that may open `file_limit` files: past
    it a new stream is refused (503) and the phone polls, before accept() runs out."""
    return max(16, file_limit - max(FILE_HEADROOM, file_limit // 4))


def _file_limit() -> int:
    try:
        import resource  # Unix only
    except ImportError:
        return 1024
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Refused(Exception):
    """A stream not opened: the app answers it with its normal error page."""

    def __init__(self, status: int, key: str):
        super().__init__(key)
        self.status, self.key, self.params = status, key, {}


class Channel:
    """What the streams of one reader kind of one event are sent: the latest data, its
    event id, and an `asyncio.Event` each waiting stream awaits (a new one per change)."""

    def __init__(self, compute: Callable[[], str], min_interval: float = 0.0):
        self.compute = compute
        #: The least time between two computations (a costly view: the projector's).
        self.min_interval = min_interval
        self.computed = 0.0  # when, on the loop's clock
        self.stale = False  # the database changed since
        self.streams = 0
        self.id = 0
        self.data = ""
        self.frame = b""
        self._changed = asyncio.Event()

    def publish(self, data: str, event_id: int) -> bool:
        """Take new data; False (and nothing sent) when it is what was sent already."""
        if data == self.data and self.id:
            return False
        self.data, self.id = data, event_id
        self.frame = f"id: {event_id}\nevent: state\ndata: {data}\n\n".encode()
        self.wake()
        return True

    def wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def changed(self) -> asyncio.Event:
        return self._changed


class Hub:
    def __init__(self, store: Store):
        self.store = store
        self.channels: dict[Hashable, Channel] = {}
        # Ids go on across restarts (milliseconds at start, then one more per change), so
        # a phone's Last-Event-ID from before a restart is never taken for the current one.
        self._next_id = int(time.time() * 1000)
        self._version: tuple[int, int] | None = None
        self._poked: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self.closing = False
        #: Open streams, per client address (`request.remote`, the proxy's rewrite) and
        #: in all; ParticipantServer sets the caps from its file limit.
        self.per_address: collections.Counter[str] = collections.Counter()
        self.open = 0
        self.max_per_address = MAX_STREAMS_PER_ADDRESS
        self.max_streams = streams_within(_file_limit())
        self.say = OneLine(log)

    # -- lifecycle (the app's startup and shutdown) ---------------------------------------

    async def start(self, _app: web.Application | None = None) -> None:
        self._poked = asyncio.Event()
        self._version = self._db_version()
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self, _app: web.Application | None = None) -> None:
        """Ends every stream (their handlers return) so the server can shut down."""
        self.closing = True
        for channel in self.channels.values():
            channel.wake()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # -- change detection ------------------------------------------------------------------

    def poke(self) -> None:
        """Something was committed in this process: look now rather than at the next poll."""
        if self._poked is not None:
            self._poked.set()

    def _db_version(self) -> tuple[int, int]:
        return self.store.change_stamp()

    async def _watch(self) -> None:
        assert self._poked is not None
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(POLL_SECONDS):
                    await self._poked.wait()
            self._poked.clear()
            if not self.channels:
                continue
            try:
                version = self._db_version()
                if version == self._version and not any(
                        c.stale for c in self.channels.values()):
                    continue  # nothing new: look again at the next poll
                if version != self._version:
                    self._version = version
                    for channel in self.channels.values():
                        channel.stale = True
                self.refresh()
            except Exception:  # a locked or broken file: say it, keep watching
                log.exception("could not read the changes for the event streams")
            await asyncio.sleep(MIN_GAP)  # after a change, the next one waits its turn

    def refresh(self) -> None:
        """Recompute each stale channel that has a stream, once (a channel with a
        `min_interval` waits for it: a later tick computes it); publish what differs."""
        now = asyncio.get_running_loop().time()
        for key, channel in list(self.channels.items()):
            if not channel.stale or now - channel.computed < channel.min_interval:
                continue
            channel.stale, channel.computed = False, now
            try:
                data = channel.compute()
            except Exception:
                log.exception("could not compute the stream %s", key)
                continue
            if channel.publish(data, self._next_id + 1):
                self._next_id += 1

    # -- streams ---------------------------------------------------------------------------

    def channel(self, key: Hashable, compute: Callable[[], str],
                min_interval: float = 0.0) -> Channel:
        channel = self.channels.get(key)
        if channel is None:
            channel = Channel(compute, min_interval)
            channel.computed = asyncio.get_running_loop().time()
            self._next_id += 1
            channel.publish(compute(), self._next_id)
            self.channels[key] = channel
        elif self._version is not None and self._db_version() != self._version:
            # A change the watcher has not seen yet: the page that opens this stream was
            # drawn after it, so the old data would send it reloading (and again at the
            # next poll). One PRAGMA per stream opened; the change is then everyone's.
            self._version = self._db_version()
            for each in self.channels.values():
                each.stale = True
            self.refresh()
        return channel

    async def serve(self, request: web.Request, key: Hashable, compute: Callable[[], str],
                    min_interval: float = 0.0) -> web.StreamResponse:
        """One stream: the current data at once (unless the client's Last-Event-ID is it),
        then each change, with keep-alives between. Past a cap, `Refused`: EventSource
        gives up on a refused stream for good, and the page polls instead."""
        address = request.remote or "?"
        if self.per_address[address] >= self.max_per_address:
            self.say("streams", f"refused an event stream to {address}: "
                                f"{self.max_per_address} already open from there")
            raise Refused(429, "web.error.too_many_streams")
        if self.open >= self.max_streams:
            self.say("streams full", f"refused an event stream to {address}: "
                                     f"{self.max_streams} open, the most the file limit allows")
            raise Refused(503, "web.error.streams_full")
        channel = self.channel(key, compute, min_interval)
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            # A reverse proxy (nginx, Caddy) must pass each event on at once.
            "X-Accel-Buffering": "no",
        })
        security.add_security_headers(response)
        channel.streams += 1
        self.per_address[address] += 1
        self.open += 1
        try:
            await response.prepare(request)
            if request.method == "HEAD":  # the headers are the answer: no stream to hold
                return response
            await response.write(f"retry: {RETRY_MS}\n\n".encode())
            sent = request.headers.get("Last-Event-ID", "").strip()
            last = int(sent) if _EVENT_ID.fullmatch(sent) else -1
            interval = request.app.get(KEEPALIVE_SECONDS, KEEPALIVE)
            while not self.closing:
                if channel.id != last:
                    last = channel.id
                    await response.write(channel.frame)
                try:
                    async with asyncio.timeout(interval):
                        await channel.changed().wait()
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
        except ConnectionError:
            pass  # the phone went away; nothing to tell anyone
        finally:
            self.open -= 1
            self.per_address[address] -= 1
            if self.per_address[address] <= 0:
                del self.per_address[address]
            channel.streams -= 1
            if channel.streams == 0 and self.channels.get(key) is channel:
                del self.channels[key]
        return response


def dumps(value: object) -> str:
    """One line of JSON (an event's data must not hold a newline), keys in order."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
