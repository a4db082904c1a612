"""Messages the console's widgets and app send up to the screens that coordinate them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """The database changed: a note or a join arrived, or another process wrote to it.

    Sent at most ten times a second however fast the room types; the screen re-reads
    what it shows.
    """


@dataclass
class ActivityHighlighted(Message):
    """The facilitator moved the programme's cursor; None when it is on no activity."""

    activity_id: int | None
