"""Verkkokeskustelu (online discussion) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `questions` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class Discussion(QuestionMethod):
    id = "discussion"
    headings_key = "questions"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "questions": ConfigKey("texts", 1, 12),
    }


METHOD = Discussion()
