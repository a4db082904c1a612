"""Messages the console's widgets and app send up to the screens that coordinate them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message, bubble=False):
    """The database changed: a note or a join arrived, or another process wrote to it.

    Sent by the app to the active screen (so it does not bubble back up), at most ten
    times a second however fast the room types; the screen re-reads what it shows.
    """


@dataclass
class ActivityHighlighted(Message):
    """The facilitator moved the programme's cursor; None when it is on no activity."""

    activity_id: int | None


@dataclass
class AddressesChanged(Message, bubble=False):
    """The laptop's addresses changed (another network, a VPN up or down): what phones
    should scan is now `base_urls[0]`. Sent by the app to every screen on the stack."""

    base_urls: list[str]
