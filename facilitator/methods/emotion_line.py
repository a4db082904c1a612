"""Tunnerivi (emotion line) — runs as an open question,
until its own module is built (issue 3).

Its sub-headings are the activity's `headings` or else the config's `scale` list.
"""

from __future__ import annotations

from typing import ClassVar

from facilitator.methods.base import ConfigKey
from facilitator.methods.question import QuestionMethod


class EmotionLine(QuestionMethod):
    id = "emotion_line"
    headings_key = "scale"
    config_schema: ClassVar[dict[str, ConfigKey]] = {
        "scale": ConfigKey("texts", 2, 11),
        "rounds": ConfigKey("texts", 1, 5),
    }


METHOD = EmotionLine()
