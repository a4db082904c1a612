"""The bundled templates changed for a test's purpose."""

from __future__ import annotations

from dataclasses import replace

from facilitator.domain import Event


def per_phone(event: Event) -> Event:
    """The template with its dot votes per participant: the bundled second online round
    votes per team (`per = "team"`, as the seed's teams do); tests of one phone's own
    ballot use this."""
    parts = tuple(
        replace(part, activities=tuple(
            replace(a, config={k: v for k, v in a.config.items() if k != "per"})
            if a.method == "dot_vote" else a
            for a in part.activities))
        for part in event.parts)
    return replace(event, parts=parts)
