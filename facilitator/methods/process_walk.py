"""Prosessikävely (process walk) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `stations` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class ProcessWalk(QuestionMethod):
    id = "process_walk"
    headings_key = "stations"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "stations": ConfigKey("texts", 1, 12),
        "round_minutes": ConfigKey("int", 1, 240),
    }


METHOD = ProcessWalk()
