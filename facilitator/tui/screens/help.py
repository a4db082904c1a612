"""The help screen (? and F1): the keys of what has focus and of the screen, by name."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from facilitator.i18n import t
from facilitator.tui.widgets.keybar import key_label, key_tip


def _declared(node) -> list[Binding]:
    """The bindings a widget's class declares (its own and inherited), named ones only."""
    found: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.append(binding)
    return found


def key_rows(app, screen: Screen) -> list[tuple[str, str, str]]:
    """(key, name, what it does) of every named key of what has focus, then of the
    screen: those that do nothing right now too (marked), so the help is a full list."""
    rows, seen = [], set()
    active = {a.binding.id for a in screen.active_bindings.values() if a.enabled}
    lang = app.lang
    nodes = [n for n in (screen.focused, screen, app) if n is not None]
    for node in nodes:
        for binding in _declared(node):
            if binding.id in seen:
                continue
            seen.add(binding.id)
            tip = key_tip(lang, binding)
            if binding.id not in active:
                tip = f"{tip} ({t(lang, 'tui.help.not_now')})"
            rows.append((app.get_key_display(binding), key_label(lang, binding), tip))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "close", "Close", id="help_close", show=False,
                tooltip="Close the list of keys."),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], focus_name: str) -> None:
        super().__init__()
        self._rows = rows
        self._focus_name = focus_name

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog wide", id="help"):
            yield Static(Content.assemble((t(lang, "tui.help.title"), "bold")),
                         classes="dialog-title")
            if self._focus_name:
                yield Static(Content(t(lang, "tui.help.focus", name=self._focus_name)),
                             classes="dialog-hint")
            with VerticalScroll(classes="dialog-fields"):
                width = max((len(key) for key, _, _ in self._rows), default=4)
                for key, name, tip in self._rows:
                    yield Static(Content.assemble((key.ljust(width), "bold $text-accent"), "  ",
                                                  (name, "bold"), "  ", (tip, "$text-muted")))
            yield Static(Content(t(lang, "tui.help.hint")), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
