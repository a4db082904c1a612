"""Aarrekartta (treasure map) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `areas` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class TreasureMap(QuestionMethod):
    id = "treasure_map"
    headings_key = "areas"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "areas": ConfigKey("texts", 1, 12),
    }


METHOD = TreasureMap()
