"""Porinaryhmät (buzz groups) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class BuzzGroups(QuestionMethod):
    id = "buzz_groups"
    headings_key = ""
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "minutes": ConfigKey("int", 1, 240),
        "groups": ConfigKey("int", 1, 50),
    }


METHOD = BuzzGroups()
