"""How participants join: the QR code of the join URL, the URL and code as text, the count."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.i18n import t
from facilitator.tui.widgets.qr import QRCode
from facilitator.web.netinfo import join_url


class JoinPanel(VerticalScroll, can_focus=False):
    """The first URL is in the QR code; the others are listed for when it is the wrong
    network (a laptop on both wired and Wi-Fi has two addresses). Scrolls rather than
    squeezing the code when the terminal is short; never takes the keyboard (Tab goes
    between the programme and the board)."""

    def __init__(self, base_urls: list[str], code: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.base_urls = list(base_urls)
        self.code = code
        self._count: int | None = None
        self._workshops: list[tuple[str, int]] = []

    def compose(self):
        lang = self.app.lang
        yield Static(Content(t(lang, "tui.event.join")), classes="pane-title")
        if self.base_urls:
            url = join_url(self.base_urls[0], self.code)
            yield QRCode(url, id="join-qr")
            yield Static(Content(url), id="join-url")
        else:
            yield Static(Content(t(lang, "tui.event.no_server")), id="join-url")
        yield Static(
            Content.assemble(t(lang, "tui.event.code"), " ", (self.code, "bold $text-accent")),
            id="join-code",
        )
        yield Static(self._participants_text(), id="participants")
        phones = Static(self._workshops_text(), id="workshop-phones")
        phones.display = bool(self._workshops)  # no empty line for an event without
        yield phones
        if len(self.base_urls) > 1:
            others = [join_url(base, self.code) for base in self.base_urls[1:]]
            yield Static(
                Content.assemble(
                    (t(lang, "tui.event.other_urls"), "$text-muted"), "\n", "\n".join(others)
                ),
                id="join-others",
            )

    async def set_base_urls(self, base_urls: list[str]) -> None:
        """Another network: the QR code and the addresses drawn again (rare, so whole)."""
        if base_urls == self.base_urls:
            return
        self.base_urls = list(base_urls)
        await self.recompose()

    def _participants_text(self) -> Content:
        if self._count is None:
            return Content("")
        label = t(self.app.lang, "tui.event.participants")
        return Content.assemble(label, " ", (str(self._count), "bold"))

    def set_participants(self, count: int) -> None:
        if count == self._count:
            return  # asked on every refresh; redrawn only when it changes
        self._count = count
        self.query_one("#participants", Static).update(self._participants_text(), layout=False)

    def _workshops_text(self) -> Content:
        lines: list = [t(self.app.lang, "workshops.tui.phones")] if self._workshops else []
        for name, count in self._workshops:
            lines += ["\n", f"{name}: ", (str(count), "bold")]
        return Content.assemble(*lines)

    def set_workshops(self, counts: list[tuple[str, int]]) -> None:
        """Phones in each parallel workshop, a line each; nothing (not even an empty
        line) for an event without workshops."""
        if counts == self._workshops:
            return
        resized = len(counts) != len(self._workshops)
        self._workshops = list(counts)
        static = self.query_one("#workshop-phones", Static)
        static.display = bool(counts)
        # A layout only when lines come or go: new counts alone keep the height.
        static.update(self._workshops_text(), layout=resized)
