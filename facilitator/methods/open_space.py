"""Open space — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class OpenSpace(QuestionMethod):
    id = "open_space"
    headings_key = ""
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "slots": ConfigKey("int", 1, 12),
        "spaces": ConfigKey("texts", 1, 30),
    }


METHOD = OpenSpace()
