"""The footer: the keys that apply now, named in the console's language.

Textual's Footer shows each binding's `description`, which is fixed when the class is
defined, before the console knows its language. This bar reads the same public
`Screen.active_bindings` and names each key from the catalogue by the binding's `id`
(`tui.key.<id>`, tooltip `tui.key.<id>_tip`), so bindings stay declared on their classes
and remappable by id with a keymap.

One line of text, not a widget per key: the keys change with every move between a note
and no note, and mounting a row of widgets each time relaid the whole screen.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from facilitator.i18n import t


def key_label(lang: str, binding: Binding) -> str:
    """A binding's name in `lang`: its catalogue entry, else its description."""
    if binding.id:
        key = f"tui.key.{binding.id}"
        text = t(lang, key)
        if text != key:
            return text
    return binding.description


def key_tip(lang: str, binding: Binding) -> str:
    if binding.id:
        key = f"tui.key.{binding.id}_tip"
        text = t(lang, key)
        if text != key:
            return text
    return binding.tooltip or ""


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 1fr; background: $footer-background;
             color: $footer-foreground; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple = ()
        #: (first cell, last cell, key, tooltip) of each key on the line.
        self._spans: list[tuple[int, int, str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def entries(self) -> list[tuple[str, str, str, bool, str]]:
        """(key, key as shown, name, enabled, tooltip) of each key shown now."""
        lang = self.app.lang
        out = []
        seen = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((key, self.app.get_key_display(binding), key_label(lang, binding),
                        active.enabled, key_tip(lang, binding)))
        # Help first: on a narrow terminal the line is cut, and "?" leads to all the rest.
        out.sort(key=lambda entry: entry[0] not in ("question_mark", "f1"))
        return out

    def _bindings_changed(self, screen) -> None:
        entries = tuple(self.entries())
        if entries == self._shown:
            return
        self._shown = entries
        pieces: list = []
        self._spans = []
        at = 0
        for key, display, label, enabled, tip in entries:
            shown = f" {display} "
            pieces.append((shown, "bold reverse" if enabled else "reverse dim"))
            pieces.append((f" {label} ", "" if enabled else "dim"))
            width = len(shown) + len(label) + 2
            self._spans.append((at, at + width, key, tip))
            at += width
        self.update(Content.assemble(*pieces), layout=False)

    def _key_at(self, x: int) -> tuple[str, str] | None:
        for start, end, key, tip in self._spans:
            if start <= x < end:
                return key, tip
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._key_at(event.x)
        self.tooltip = found[1] if found else None

    def on_click(self, event: events.Click) -> None:
        found = self._key_at(event.x)
        if found:
            self.app.simulate_key(found[0])
