"""The console's screens; they read the store and coordinate the widgets."""

from facilitator.tui.screens.event import EventScreen
from facilitator.tui.screens.home import HomeScreen

__all__ = ["EventScreen", "HomeScreen"]
