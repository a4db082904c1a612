"""Theme suggestions: groups of related notes, their labels and near-duplicate notes.

Pure library code (no I/O, no Textual). Words are reduced to base forms with Voikko where it
is installed (base form plus compound parts) or to Snowball stems where it is not; notes
become TF-IDF vectors over character 3–5-grams of those forms, stop words out; an
average-linkage tree over cosine distances is cut at a threshold that the facilitator's
"more / fewer groups" control moves.

Public API::

    suggest(notes, lang="fi", level=0, *, backend=None) -> Suggestions
        notes: Sequence[tuple[int, str]] (note id, text); level 0 is the default cut,
        +1, +2… more (smaller) groups, −1, −2… fewer (bigger) groups.
        Suggestions.groups: list[SuggestedTheme(label, note_ids)], groups of ≥ 2 notes only;
        .duplicates: list[(id_a, id_b, similarity)]; .backend: "voikko" | "snowball";
        .threshold: the cut distance; .better_with_voikko: show the one-line hint.
    representative(notes, note_ids, k=3, lang="fi") -> list[int]
        the k notes nearest the group's centre, nearest first.
    near_duplicates(notes, lang="fi", min_similarity=0.6) -> list[(id_a, id_b, similarity)]

Voikko (GPL dictionary) is optional and found at run time; `backend="snowball"` or the
environment variable ``FACILITATOR_THEMES_BACKEND=snowball`` forces the fallback.
"""

from facilitator.themes.forms import BACKEND_ENV, Backend
from facilitator.themes.suggest import (
    SuggestedTheme,
    Suggestions,
    near_duplicates,
    representative,
    suggest,
)

__all__ = [
    "BACKEND_ENV",
    "Backend",
    "SuggestedTheme",
    "Suggestions",
    "near_duplicates",
    "representative",
    "suggest",
]
