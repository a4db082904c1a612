"""Theme suggestions: groups of related notes, their labels and near-duplicate notes.

Pure library code (no I/O, no Textual). Words are reduced to base forms with Voikko where it
is installed (base form plus compound parts) or to Snowball stems where it is not; notes
become TF-IDF vectors over character 3–5-grams of those forms, stop words out; an
average-linkage tree over cosine distances is cut at a threshold that the facilitator's
"more / fewer groups" control moves.

Public API::

    suggest(notes, lang="fi", level=0, *, backend=None, threshold=0.9) -> Suggestions
        notes: Sequence[tuple[int, str]] (note id, text); level 0 is the default cut,
        +1, +2… more (smaller) groups, −1, −2… fewer (bigger) groups: each step goes to the
        nearest cut that shows strictly more (fewer) groups, and stays once there is none.
        Suggestions.groups: list[SuggestedTheme(label, note_ids)], groups of ≥ 2 notes only,
        largest first; .duplicates: list[(id_a, id_b, similarity)], most similar first;
        .backend: "voikko" | "snowball"; .threshold: the cut distance used;
        .better_with_voikko: show the one-line hint; .can_more / .can_fewer: whether the
        next level changes anything (grey the control when not).
    representative(notes, note_ids, k=3, lang="fi") -> list[int]
        the k notes nearest the group's centre, nearest first.
    near_duplicates(notes, lang="fi", min_similarity=0.6) -> list[(id_a, id_b, similarity)]

The default cut (0.9) and the duplicate similarity (0.6) were chosen on a development set of
its own topics, never on the evaluation set; `benchmarks/themes.py` prints the figures.

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
