"""The facilitator's console: a thin Textual app around the store and the participant server.

The app owns what lives as long as the process does (the server, the change detection,
signal handling); the screens decide what to show.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
from collections.abc import Callable
from typing import ClassVar

from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette

from facilitator import i18n
from facilitator.storage import EventNotFound, Store
from facilitator.tui.commands import EventCommands
from facilitator.tui.messages import AddressesChanged, StoreChanged
from facilitator.tui.screens import EventScreen, HomeScreen
from facilitator.web import ParticipantServer, netinfo
from facilitator.web.projector import BASE_URLS

#: Redraws per second at most, however fast notes arrive: drawing costs far more than
#: receiving and storing a note. Measured with benchmarks/console.py (10,000 notes, 200
#: notes/s): at 10 a second the redraws alone took about 0.4 of a core; at 5, half that,
#: and a note is still on the board within a fifth of a second.
REFRESH_HZ = 5
#: How often to look for changes made by other processes (the CLI, a `serve`).
POLL_SECONDS = 0.5
#: How often to look at the network interfaces again: the laptop moves from wired to the
#: venue Wi-Fi, or a VPN comes up, and the QR code follows. One look is a getifaddrs()
#: (about 0.5 ms), done in a thread.
NETWORK_SECONDS = 3.0


class FacilitatorApp(App[int]):
    CSS_PATH = "facilitator.tcss"
    # ctrl+p: the console's own commands, in its language (Textual's are in English).
    COMMANDS: ClassVar = {EventCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Close the console and the participant page."),
    ]

    def __init__(
        self,
        store: Store,
        sock: socket.socket | None = None,
        bind_host: str = "0.0.0.0",
        event_id: int | str | None = None,
        lang: str = "fi",
        base_urls: list[str] | None = None,
        public_url: str | None = None,
        trusted_proxies: frozenset[str] = frozenset(),
        addresses: Callable[[], list[str]] = netinfo.lan_addresses,
    ) -> None:
        super().__init__()
        self.store = store
        self.lang = i18n.pick(lang)
        self.server: ParticipantServer | None = None
        #: Where phones reach the server; the first goes into the QR code.
        self.base_urls: list[str] = list(base_urls or [])
        self._fixed_urls = base_urls is not None
        #: `--public-url` (see `web.app.public_base_url`): then the only address shown.
        self.public_url = public_url
        self._trusted_proxies = trusted_proxies
        #: Where this machine's addresses come from (a test gives its own).
        self._addresses = addresses
        self._sock = sock
        self._bind_host = bind_host
        self._start_event = event_id
        self._dirty = False
        self._data_version = 0
        self._signals: list[int] = []
        self.title = i18n.t(self.lang, "tui.app.title")

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    async def on_mount(self) -> None:
        self._install_signal_handlers()
        if self._sock is not None:
            # A plain await, not a worker: Textual cancels workers before on_unmount, and
            # the server must outlive the screens so it can be stopped cleanly there.
            # `facilitator run EVENT` serves that event only: a code of another event in
            # the same file is no way in (design: a device reaches only its event).
            only = None
            if self._start_event is not None:
                with contextlib.suppress(EventNotFound):
                    only = self.store.find_event(self._start_event).id
            self.server = ParticipantServer(self.store, self._sock, on_change=self.server_changed,
                                            only_event=only, public_url=self.public_url,
                                            trusted_proxies=self._trusted_proxies)
            await self.server.start()
            if not self._fixed_urls:
                self.base_urls = self._detect_urls()
                if not self.public_url and self._bind_host in netinfo.WILDCARDS:
                    self.set_interval(NETWORK_SECONDS, self._check_network)
            # The projector's join screen shows the same address as the console's QR code.
            self.server.app[BASE_URLS][:] = self.base_urls
        self._data_version = self.store.data_version()
        # What start-up made lives as long as the console: kept out of the collector's
        # full passes, which otherwise walk it all and stall a key press (measured in
        # benchmarks/console.py: idle key-to-screen p99 110 -> see the closing note).
        self.call_after_refresh(gc.freeze)
        self.set_interval(1 / REFRESH_HZ, self._flush_changes)
        self.set_interval(POLL_SECONDS, self._poll_database)
        self._open_start_event()

    async def on_unmount(self) -> None:
        self._remove_signal_handlers()
        if self.server is not None:
            await self.server.stop()
            self.server = None
        elif self._sock is not None:
            self._sock.close()

    def _open_start_event(self) -> None:
        ref = self._start_event
        if ref is None:
            events = self.store.events()
            if len(events) == 1:
                self.push_screen(EventScreen(events[0].id))
            return
        try:
            event = self.store.find_event(ref)
        except EventNotFound:
            self.notify(i18n.t(self.lang, "tui.app.no_event", ref=ref),
                        severity="error", markup=False)
            return
        self.push_screen(EventScreen(event.id))

    # -- change detection ---------------------------------------------------------------------

    def _detect_urls(self) -> list[str]:
        port = self.server.port if self.server else 0
        return netinfo.base_urls(self._bind_host, port, self.public_url, self._addresses)

    async def _check_network(self) -> None:
        """Look at the interfaces again (off the loop); when the addresses changed, every
        screen showing them redraws (the join panel's QR code, a group's link)."""
        urls = await asyncio.to_thread(self._detect_urls)
        if urls == self.base_urls:
            return
        self.base_urls = urls
        if self.server:  # the projector's join screen follows too
            self.server.app[BASE_URLS][:] = urls
        for screen in self.screen_stack:
            screen.post_message(AddressesChanged(list(urls)))

    def server_changed(self, kind: str, payload: object) -> None:
        """What the participant server calls in this loop after each commit (a note, a
        join, an error): only marks the screen stale, never draws."""
        if kind == "error":  # a page failed for a phone: the facilitator should know
            self.notify(i18n.t(self.lang, "tui.app.server_error", detail=str(payload)),
                        severity="error", markup=False)
        self._dirty = True

    def _poll_database(self) -> None:
        version = self.store.data_version()
        if version != self._data_version:
            self._data_version = version
            self._dirty = True

    def _flush_changes(self) -> None:
        if not self._dirty:
            return
        try:
            screen = self.screen
        except ScreenStackError:  # shutting down
            return
        self._dirty = False
        screen.post_message(StoreChanged())

    # -- lifecycle --------------------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        # Textual does not handle these; without a handler the terminal is left raw.
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or not supported on this platform
            self._signals.append(sig)

    @property
    def handled_signals(self) -> tuple[int, ...]:
        """The signals the console restores the terminal on (SIGTERM, SIGHUP)."""
        return tuple(self._signals)

    def _remove_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals.clear()

    def get_system_commands(self, screen):
        """The palette's built-in entries, in the console's language: just quitting."""
        yield SystemCommand(i18n.t(self.lang, "tui.command.quit"),
                            i18n.t(self.lang, "tui.key.quit_tip"), self.exit)

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(
                placeholder=i18n.t(self.lang, "tui.command.placeholder"),
                id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify(i18n.t(self.lang, "tui.app.help_quit"))


def run_console(
    store: Store,
    sock: socket.socket,
    bind_host: str,
    event_id: int | str | None = None,
    lang: str = "fi",
    public_url: str | None = None,
    trusted_proxies: frozenset[str] = frozenset(),
) -> int:
    """Run the console until the facilitator quits; the exit code for `sys.exit`."""
    app = FacilitatorApp(store, sock=sock, bind_host=bind_host, event_id=event_id, lang=lang,
                         public_url=public_url, trusted_proxies=trusted_proxies)
    app.run()
    return app.return_code or 0
