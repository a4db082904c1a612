"""Join codes: short, typed on a phone, read aloud in a noisy room.

Only letters that cannot be mistaken for digits or each other (no I, L, O, Q) and no
Finnish-only letters, so any phone keyboard has them. Case-insensitive.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPRSTUVWXYZ"
#: In a room: 22^5 = 5.2 million codes, typed in seconds; guessing is throttled (web.app).
LENGTH = 5
#: On the internet (`new --online`, `serve`): 22^10 = 2.7e13, years for a thousand addresses.
ONLINE_LENGTH = 10


def new_join_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_join_code(text: str) -> str:
    """What the participant typed, as stored: upper case, no spaces or dashes."""
    # split(): the same whitespace as str.isspace, without a step per character (every
    # request's code goes through here).
    return "".join(text.upper().split()).replace("-", "")
