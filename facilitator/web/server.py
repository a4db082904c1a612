"""Starting and stopping the participant server on a socket bound in advance.

The socket is bound before any UI starts, so a busy port is a clear one-line error and
not a crash inside a running console. The same server runs inside the console's asyncio
loop (`facilitator run`) or alone (`facilitator serve`).
"""

from __future__ import annotations

import asyncio
import collections
import errno
import logging
import signal
import socket
from collections.abc import Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from facilitator.storage import Store
from facilitator.storage.db import Checkpointer
from facilitator.storage.writer import Writer
from facilitator.web import netinfo, stream
from facilitator.web.app import make_app
from facilitator.web.projector import BASE_URLS
from facilitator.web.ratelimit import OneLine

log = logging.getLogger(__name__)

#: A connection that has not sent a whole request within this many seconds of opening
#: (or of its last response) is closed: idle sockets and slow headers do not hold a file
#: descriptor. A phone's next page or poll comes within seconds, reusing it.
IDLE_TIMEOUT = 15.0


def raise_file_limit() -> int:
    """The soft limit on open files raised to the hard one (often 1,024 of 1,048,576 on
    Linux): a room of phones with a few connections each needs more than 1,024."""
    try:
        import resource  # Unix only
    except ImportError:
        return 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class _BadRequests(logging.Filter):
    """Requests aiohttp itself refuses, logged by it with a 30-line traceback each: a
    body it cannot decode, read after the handler answered (its lingering close: junk
    under `Content-Encoding: gzip` or `br` posted where the handler refused before
    reading), or a request its parser rejects (a deflate body cut short, a bad request
    line). Each was answered with a 4xx already: one line instead, rate-limited like
    every refusal."""

    def __init__(self, say: OneLine):
        super().__init__()
        self._say = say

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, (RequestPayloadError, HttpProcessingError)):
            return True
        self._say("bad request", f"refused a request: {' '.join(str(exc).split())}")
        return False


class _Guarded(asyncio.Protocol):
    """Wraps aiohttp's protocol: refuses a connection past the per-address cap by closing
    it at once, before aiohttp reads a byte of it."""

    def __init__(self, inner: asyncio.Protocol, counts: collections.Counter, cap: int,
                 say: OneLine, exempt: frozenset[str] = frozenset()):
        self._inner, self._counts, self._cap, self._say = inner, counts, cap, say
        self._exempt = exempt
        self._peer: str | None = None

    def connection_made(self, transport) -> None:
        peer = transport.get_extra_info("peername")
        address = peer[0] if peer else "?"
        # A trusted reverse proxy carries every phone's connections: it bounds them itself.
        if self._counts[address] >= self._cap and address not in self._exempt:
            self._say("cap", f"refused a connection from {address}: "
                             f"{self._cap} already open from there")
            transport.abort()
            return
        self._peer = address
        self._counts[address] += 1
        self._inner.connection_made(transport)

    def connection_lost(self, exc) -> None:
        if self._peer is None:
            return
        self._counts[self._peer] -= 1
        if self._counts[self._peer] <= 0:
            del self._counts[self._peer]
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self):
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class PortInUse(OSError):
    """The port cannot be bound; the message is one line for the facilitator."""


def bind_socket(host: str = "0.0.0.0", port: int = 8080) -> socket.socket:
    try:
        sock = socket.create_server(
            (host, port),
            family=socket.AF_INET6 if ":" in host else socket.AF_INET,
            reuse_port=False,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"port {port} on {host} is already in use; choose another with --port"
            ) from None
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


class ParticipantServer:
    def __init__(
        self,
        store: Store,
        sock: socket.socket,
        on_change: Callable[[str, object], None] | None = None,
        only_event: int | None = None,
        public_url: str | None = None,
        trusted_proxies: frozenset[str] = frozenset(),
        writer: Writer | None = None,
    ):
        self.sock = sock
        self.store = store
        #: `--public-url`: the address phones reach this server at through a proxy.
        self.public_url = public_url
        self.trusted_proxies = frozenset(trusted_proxies)
        #: The process's writes (the console passes its own, which outlives the server).
        self.writer = writer or Writer(store)
        self._own_writer = writer is None
        self.app = make_app(store, on_change=on_change, only_event=only_event,
                            public_url=public_url, trusted_proxies=self.trusted_proxies,
                            writer=self.writer)
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self._checkpointer: Checkpointer | None = None
        self._say = OneLine(log)
        self._quiet = _BadRequests(self._say)
        #: Open connections per address; the cap leaves a room behind one NAT address
        #: (300 phones, a connection or two each) in, and half the descriptors to others.
        self.connections: collections.Counter[str] = collections.Counter()
        file_limit = raise_file_limit()
        self.max_per_address = max(64, min(2000, file_limit // 2))
        # Streams: as many per client address as connections (behind --trust-proxy the
        # connection cap exempts the proxy, so this bounds one client), and in all what
        # the file limit leaves (stream.py); refusals logged as one line like the rest.
        hub = self.app[stream.HUB]
        hub.max_per_address = self.max_per_address
        hub.max_streams = stream.streams_within(file_limit)
        hub.say = self._say
        self.idle_timeout = IDLE_TIMEOUT

    @property
    def host(self) -> str:
        return self.sock.getsockname()[0]

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def base_urls(self, addresses: Callable[[], list[str]] | None = None) -> list[str]:
        """Where phones reach this server, the QR code's first: the public URL when given,
        else this machine's addresses as they are now (ask again after a network change)."""
        return netinfo.base_urls(self.host, self.port, self.public_url,
                                 addresses or netinfo.lan_addresses)

    async def start(self) -> None:
        if self.store.path:  # the log is moved into the file off the loop (see Checkpointer)
            self.writer.configure("PRAGMA wal_autocheckpoint = 0")  # it commits the notes
            self._checkpointer = Checkpointer(self.store.path)
            self._checkpointer.start()
        # access_log off: a room of phones would flood the terminal the console draws on.
        self._runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=2.0,
            keepalive_timeout=self.idle_timeout,
        )
        await self._runner.setup()
        logging.getLogger("aiohttp.server").addFilter(self._quiet)
        if not self.app[BASE_URLS]:  # the projector's QR code; the console may set its own
            self.app[BASE_URLS][:] = self.base_urls()
        loop = asyncio.get_running_loop()
        if loop.get_exception_handler() is None:
            loop.set_exception_handler(self._loop_error)
        handler = self._runner.server
        self._listener = await loop.create_server(
            lambda: _Guarded(handler(), self.connections, self.max_per_address, self._say,
                             self.trusted_proxies),
            sock=self.sock, backlog=1024,
        )

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        """What asyncio would print with a traceback, such as accept() failing when the
        file descriptors run out (retried every second): one line, at most once a second."""
        exc = context.get("exception")
        detail = f": {exc}" if exc else ""
        self._say(context.get("message", "error"), f"{context.get('message', 'error')}{detail}")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        logging.getLogger("aiohttp.server").removeFilter(self._quiet)
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
            self.writer.configure("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default
        if self._own_writer:
            self.writer.stop()
        self.sock.close()


async def serve_until_stopped(server: ParticipantServer, ready: Callable[[], None]) -> None:
    """Run until SIGINT or SIGTERM, then close connections and the socket cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    ready()
    try:
        await stop.wait()
    finally:
        await server.stop()
