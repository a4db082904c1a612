"""Äänestys (dot vote) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `options` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class DotVote(QuestionMethod):
    id = "dot_vote"
    headings_key = "options"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "options": ConfigKey("texts", 2, 50),
        "dots": ConfigKey("int", 1, 50),
    }


METHOD = DotVote()
