"""The footer: the keys that apply now, named in the console's language.

Textual's Footer shows each binding's `description`, which is fixed when the class is
defined, before the console knows its language. This bar reads the same public
`Screen.active_bindings` and names each key from the catalogue by the binding's `id`
(`tui.key.<id>`, tooltip `tui.key.<id>_tip`), so bindings stay declared on their classes
and remappable by id with a keymap.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll
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


class KeyLabel(Static):
    """One key and its name; clicking it presses the key."""

    def __init__(self, key: str, display: str, label: str, enabled: bool, tip: str) -> None:
        super().__init__(Content.assemble((f" {display} ", "bold reverse"), f" {label} "),
                         classes="key" if enabled else "key -disabled")
        self.key = key
        self.tooltip = tip or None

    def on_click(self) -> None:
        self.app.simulate_key(self.key)


class KeyBar(HorizontalScroll):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; scrollbar-size: 0 0; }
    KeyBar > KeyLabel { width: auto; height: 1; color: $footer-foreground; }
    KeyBar > KeyLabel.-disabled { text-opacity: 50%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple = ()

    def compose(self) -> ComposeResult:
        return []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

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
            display = self.app.get_key_display(binding)
            out.append((key, display, key_label(lang, binding), active.enabled,
                        key_tip(lang, binding)))
        return out

    async def _bindings_changed(self, screen) -> None:
        entries = tuple(self.entries())
        if entries == self._shown or not self.is_attached:
            return
        self._shown = entries
        await self.remove_children()
        await self.mount_all([KeyLabel(*entry) for entry in entries])
