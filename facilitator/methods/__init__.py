"""Workshop methods and their registry.

Adding a method is adding one module (with a `METHOD`) and listing it here; the web page,
the console and the memo render from what the method declares.
"""

from __future__ import annotations

from facilitator.methods import (
    buzz_groups,
    discussion,
    dot_vote,
    emotion_line,
    open_space,
    process_walk,
    treasure_map,
)
from facilitator.methods.base import (
    MAX_NOTE_CHARS,
    PHONE_LIST_LIMIT,
    Action,
    Audience,
    Bars,
    Block,
    Context,
    Countdown,
    Field,
    Form,
    Heading,
    InvalidInput,
    Item,
    Items,
    Method,
    NoteList,
    Posted,
    Receipt,
    Table,
    Text,
    View,
    clock,
    resolve,
    seconds_left,
)
from facilitator.methods.question import QuestionMethod

_REGISTRY: dict[str, Method] = {}


def register(method: Method) -> None:
    _REGISTRY[method.id] = method


def get(method_id: str) -> Method:
    """The method that runs an activity; KeyError for an id no template may use."""
    return _REGISTRY[method_id]


def known() -> list[str]:
    return sorted(_REGISTRY)


register(QuestionMethod())
for _module in (emotion_line, buzz_groups, process_walk, treasure_map, open_space, dot_vote,
                discussion):
    register(_module.METHOD)

__all__ = [
    "MAX_NOTE_CHARS",
    "PHONE_LIST_LIMIT",
    "Action",
    "Audience",
    "Bars",
    "Block",
    "Context",
    "Countdown",
    "Field",
    "Form",
    "Heading",
    "InvalidInput",
    "Item",
    "Items",
    "Method",
    "NoteList",
    "Posted",
    "Receipt",
    "Table",
    "Text",
    "View",
    "clock",
    "get",
    "known",
    "register",
    "resolve",
    "seconds_left",
]
