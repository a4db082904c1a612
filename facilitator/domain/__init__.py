"""Dataclasses and pure rules of a seminar. No I/O here."""

from facilitator.domain.codes import new_join_code, normalise_join_code
from facilitator.domain.models import (
    ACTIVITY_STATES,
    ActionItem,
    Activity,
    Event,
    Group,
    Note,
    Part,
    Participant,
    Theme,
    Workshop,
    theme_key,
)

__all__ = [
    "ACTIVITY_STATES",
    "ActionItem",
    "Activity",
    "Event",
    "Group",
    "Note",
    "Part",
    "Participant",
    "Theme",
    "Workshop",
    "new_join_code",
    "normalise_join_code",
    "theme_key",
]
