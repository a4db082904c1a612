"""What every console screen shares: key labels in the console's language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen

from facilitator.i18n import t


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Footer labels and tooltips from `tui.key.<id>` and `tui.key.<id>_tip`.

    Bindings are declared on the class (so `id=` keeps them remappable with a keymap),
    but the language is only known per app; the node's own copy is relabelled.
    """
    relabelled = {
        key: [
            replace(
                b,
                description=t(lang, f"tui.key.{b.id}"),
                tooltip=t(lang, f"tui.key.{b.id}_tip"),
            )
            if b.id
            else b
            for b in bindings
        ]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(relabelled)


class ConsoleScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app.lang)

    def t(self, key: str, **params) -> str:
        return t(self.app.lang, key, **params)
