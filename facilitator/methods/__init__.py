"""Workshop methods and their registry.

Adding a method is adding one module and registering it here; everything else renders from
what the method declares.
"""

from __future__ import annotations

from facilitator.methods.base import (
    MAX_NOTE_CHARS,
    Field,
    InvalidInput,
    Method,
    Results,
    Submission,
)
from facilitator.methods.question import PlannedMethod, QuestionMethod

_REGISTRY: dict[str, Method] = {}


def register(method: Method) -> None:
    _REGISTRY[method.id] = method


def get(method_id: str) -> Method:
    """The method that runs an activity; KeyError for an id no template may use."""
    return _REGISTRY[method_id]


def known() -> list[str]:
    return sorted(_REGISTRY)


register(QuestionMethod())
# The seed's methods, running as open questions until their own modules land.
# The emotion line as a question: the scale positions are the headings, the note the reason.
register(PlannedMethod("emotion_line", {"scale": list, "rounds": list}, "scale"))
register(PlannedMethod("buzz_groups", {"minutes": int, "groups": int}))
register(PlannedMethod("process_walk", {"stations": list, "round_minutes": int}, "stations"))
register(PlannedMethod("treasure_map", {"areas": list}, "areas"))
register(PlannedMethod("open_space", {"slots": int, "spaces": list}))
register(PlannedMethod("dot_vote", {"options": list, "dots": int}, "options"))
register(PlannedMethod("discussion", {"questions": list}, "questions"))

__all__ = [
    "MAX_NOTE_CHARS",
    "Field",
    "InvalidInput",
    "Method",
    "Results",
    "Submission",
    "get",
    "known",
    "register",
]
