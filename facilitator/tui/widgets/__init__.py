"""Widgets of the facilitator's console: they display what screens give them."""

from facilitator.tui.widgets.board import Board
from facilitator.tui.widgets.join import JoinPanel
from facilitator.tui.widgets.keybar import KeyBar
from facilitator.tui.widgets.programme import Programme
from facilitator.tui.widgets.qr import QRCode

__all__ = ["Board", "JoinPanel", "KeyBar", "Programme", "QRCode"]
