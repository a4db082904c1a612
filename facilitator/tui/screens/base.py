"""What every console screen shares: the console's language."""

from __future__ import annotations

from textual.screen import Screen

from facilitator.i18n import t


class ConsoleScreen(Screen):
    def t(self, key: str, **params) -> str:
        return t(self.app.lang, key, **params)
