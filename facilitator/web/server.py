"""Starting and stopping the participant server on a socket bound in advance.

The socket is bound before any UI starts, so a busy port is a clear one-line error and
not a crash inside a running console. The same server runs inside the console's asyncio
loop (`facilitator run`) or alone (`facilitator serve`).
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from collections.abc import Callable

from aiohttp import web

from facilitator.storage import Store
from facilitator.storage.db import Checkpointer
from facilitator.web.app import make_app


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
    ):
        self.sock = sock
        self.store = store
        self.app = make_app(store, on_change=on_change, only_event=only_event)
        self._runner: web.AppRunner | None = None
        self._checkpointer: Checkpointer | None = None

    @property
    def host(self) -> str:
        return self.sock.getsockname()[0]

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    async def start(self) -> None:
        if self.store.path:  # the log is moved into the file off the loop (see Checkpointer)
            self.store.db.execute("PRAGMA wal_autocheckpoint = 0")
            self._checkpointer = Checkpointer(self.store.path)
            self._checkpointer.start()
        # access_log off: a room of phones would flood the terminal the console draws on.
        self._runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=2.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, self.sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
            self.store.db.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default
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
