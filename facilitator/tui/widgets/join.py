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
        yield Static(id="participants")
        yield Static(id="workshop-phones")
        if len(self.base_urls) > 1:
            others = [join_url(base, self.code) for base in self.base_urls[1:]]
            yield Static(
                Content.assemble(
                    (t(lang, "tui.event.other_urls"), "$text-muted"), "\n", "\n".join(others)
                ),
                id="join-others",
            )

    def set_participants(self, count: int) -> None:
        if count == getattr(self, "_count", None):
            return  # asked on every refresh; redrawn only when it changes
        self._count = count
        label = t(self.app.lang, "tui.event.participants")
        self.query_one("#participants", Static).update(
            Content.assemble(label, " ", (str(count), "bold")), layout=False)

    def set_workshops(self, counts: list[tuple[str, int]]) -> None:
        """Phones in each parallel workshop, a line each; nothing (not even an empty
        line) for an event without workshops."""
        if counts == getattr(self, "_workshops", None):
            return
        resized = len(counts) != len(getattr(self, "_workshops", None) or [None])
        self._workshops = counts
        lines: list = [t(self.app.lang, "workshops.tui.phones")] if counts else []
        for name, count in counts:
            lines += ["\n", f"{name}: ", (str(count), "bold")]
        static = self.query_one("#workshop-phones", Static)
        static.display = bool(counts)
        # A layout only when lines come or go: new counts alone keep the height.
        static.update(Content.assemble(*lines), layout=resized)
