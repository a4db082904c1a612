"""The projector's address and what the room sees on it (the console's `v`).

The page itself is the server's (`facilitator.web.projector`); the console only shows
where it is, as a QR code to open on the projector's laptop or a phone cast to it, and
sets its mode in the database, where a `serve` in another process reads it too.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.i18n import t
from facilitator.tui.screens.base import Writing
from facilitator.tui.widgets.qr import QRCode
from facilitator.web import projector

#: The choices, in the order the list offers them: (id, catalogue key).
CHOICES = (("join", "show_join"), ("activity", "show_activity"), ("auto", "show_auto"),
           ("freeze", "freeze"), ("starred", "starred"))


#: A choice that sets the workshop: "workshop:ID", or "workshop:all" for the whole event.
WORKSHOP = "workshop:"


def apply(store, event_id: int, choice: str, activity_id: int | None = None
          ) -> projector.Mode:
    """Run one choice of the list (or the palette) on the event's projector; "activity"
    shows `activity_id` (the programme's highlighted one), open or closed."""
    if choice.startswith(WORKSHOP):
        rest = choice.removeprefix(WORKSHOP)
        return projector.set_mode(store, event_id,
                                  workshop=None if rest == "all" else int(rest))
    now = projector.mode(store, event_id)
    if choice == "freeze":
        return projector.set_mode(store, event_id, frozen=not now.frozen)
    if choice == "starred":
        return projector.set_mode(store, event_id, starred=not now.starred)
    return projector.set_mode(store, event_id, show=choice,
                              activity=activity_id if choice == "activity" else None)


def describe(lang: str, mode: projector.Mode, workshops=()) -> str:
    parts = [t(lang, f"tui.projector.now_{mode.show}")]
    named = next((w.name for w in workshops if w.id == mode.workshop), None)
    if named is not None:
        parts.append(t(lang, "tui.projector.now_workshop", name=named))
    if mode.frozen:
        parts.append(t(lang, "tui.projector.now_frozen"))
    if mode.starred:
        parts.append(t(lang, "tui.projector.now_starred"))
    return " · ".join(parts)


class ProjectorDialog(Writing, ModalScreen[None]):
    """The projector's address and QR code, and what the room sees on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="projector_close", show=False,
                tooltip="Close the projector's address."),
    ]

    def __init__(self, event_id: int, url: str, activity_id: int | None = None) -> None:
        super().__init__()
        self._event_id = event_id
        self._url = url
        self._activity_id = activity_id

    def compose(self):
        lang = self.app.lang
        # A cached read (kept until the database changes), as the mode line's is.
        self._workshops = self.app.store.workshops(self._event_id)
        with Horizontal(classes="dialog wide"):
            with Vertical(id="projector-list"):
                yield Static(Content.assemble((t(lang, "tui.projector.title"), "bold")),
                             classes="dialog-title")
                yield Static(Content(self._mode_line()), id="projector-mode")
                options = [Option(Content(t(lang, f"tui.projector.{key}")), id=choice)
                           for choice, key in CHOICES]
                if self._workshops:  # one choice per parallel workshop, and the whole event
                    options += [Option(Content(t(lang, "tui.projector.workshop", name=w.name)),
                                       id=f"{WORKSHOP}{w.id}") for w in self._workshops]
                    options.append(Option(Content(t(lang, "tui.projector.all_workshops")),
                                          id=f"{WORKSHOP}all"))
                yield OptionList(*options, id="projector-choices")
                yield Static(Content(t(lang, "tui.projector.hint")), classes="dialog-hint")
            with Vertical(id="projector-qr-pane"):
                yield QRCode(self._url, id="projector-qr")
                yield Static(Content(self._url), id="projector-url")

    def _mode_line(self) -> str:
        return describe(self.app.lang, projector.mode(self.app.store, self._event_id),
                        self._workshops)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or "auto"

        def done(mode: projector.Mode) -> None:
            line = describe(self.app.lang, mode, self._workshops)
            self.query_one("#projector-mode", Static).update(Content(line))
            self.notify(line, markup=False)

        self.write(lambda store: apply(store, self._event_id, choice, self._activity_id), done)

    def action_close(self) -> None:
        self.dismiss(None)
