"""The facilitator's console (Textual). The core never imports this package."""

from facilitator.tui.app import FacilitatorApp, run_console

__all__ = ["FacilitatorApp", "run_console"]
