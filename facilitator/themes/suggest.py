"""Suggested themes, representative notes and near-duplicates for a set of notes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial.distance import squareform

from facilitator.themes.clustering import DEFAULT_THRESHOLD, Tree
from facilitator.themes.forms import Backend, NoteForms, forms_for
from facilitator.themes.labels import label
from facilitator.themes.vectors import cosine_distances, ngram_vectors

#: Two notes at least this similar (cosine over the n-gram vectors) are merge candidates.
#: On the development pairs (`tests/data/themes/dev_fi_pairs.tsv`) every cut from 0.5 to 0.7
#: found all duplicates and no hard negative, with either backend; 0.6 is the middle.
DUPLICATE_SIMILARITY = 0.6

Notes = Sequence[tuple[int, str]]


@dataclass(frozen=True)
class SuggestedTheme:
    """A group of at least two related notes and a label drawn from their shared words."""

    label: str
    note_ids: tuple[int, ...]


@dataclass(frozen=True)
class Suggestions:
    """What `suggest` proposes; the facilitator accepts, edits or rejects each part.

    `backend` says how words were reduced ("voikko" base forms or "snowball" stems);
    `better_with_voikko` is true when a Finnish event ran without Voikko, so the console can
    say in one line that suggestions are better with it installed. `threshold` is the cosine
    distance the tree was cut at for this `level`; `can_more` / `can_fewer` say whether the
    next level up / down shows a different number of groups (grey the control when not).
    """

    groups: list[SuggestedTheme]
    duplicates: list[tuple[int, int, float]]
    backend: Backend
    threshold: float
    level: int = 0
    better_with_voikko: bool = False
    can_more: bool = False
    can_fewer: bool = False


@dataclass(frozen=True)
class Space:
    """Notes as vectors: their ids, their forms and their pairwise distances."""

    ids: tuple[int, ...]
    forms: tuple[NoteForms, ...]
    vectors: sparse.csr_matrix  # rows L2-normalised
    condensed: np.ndarray
    backend: Backend

    @classmethod
    def of(cls, notes: Notes, lang: str = "fi", backend: Backend | None = None) -> Space:
        """Reduce each note to its forms and vectorise them."""
        reducer = forms_for(lang, backend)
        forms = tuple(reducer.note(text) for _, text in notes)
        vectors = ngram_vectors([" ".join(f.forms) for f in forms])
        ids = tuple(note_id for note_id, _ in notes)
        return cls(ids, forms, vectors, cosine_distances(vectors), reducer.backend)


def groups_of(assignment: np.ndarray) -> list[list[int]]:
    """Row indices by cluster, groups of two or more only, largest first (then earliest)."""
    members: dict[int, list[int]] = {}
    for row, cluster in enumerate(assignment):
        members.setdefault(int(cluster), []).append(row)
    groups = [rows for rows in members.values() if len(rows) >= 2]
    return sorted(groups, key=lambda rows: (-len(rows), rows[0]))


def suggest(
    notes: Notes,
    lang: str = "fi",
    level: int = 0,
    *,
    backend: Backend | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Suggestions:
    """Suggest themes for `notes` (pairs of note id and text) in the event's language.

    `level` 0 is the default cut; +1, +2… give more, smaller groups and −1, −2… fewer,
    bigger ones. Notes left alone are not suggested as groups. `backend` forces "snowball"
    (or asks for "voikko") instead of the best one installed; `threshold` is the level-0 cut
    (cosine distance), for experiments.
    """
    space = Space.of(notes, lang, backend)
    tree = Tree.build(space.condensed, len(space.ids))
    cut = tree.level_cut(level, threshold)
    corpus: Counter[str] = Counter()
    for note in space.forms:
        corpus.update(set(note.forms))
    groups = [
        SuggestedTheme(
            label([space.forms[r] for r in rows], corpus),
            tuple(space.ids[r] for r in rows),
        )
        for rows in groups_of(tree.cut(cut))
    ]
    return Suggestions(
        groups=groups,
        duplicates=_duplicates(space, DUPLICATE_SIMILARITY),
        backend=space.backend,
        threshold=cut,
        level=level,
        better_with_voikko=lang == "fi" and space.backend != "voikko",
        can_more=tree.level_cut(level + 1, threshold) != cut,
        can_fewer=tree.level_cut(level - 1, threshold) != cut,
    )


def near_duplicates(
    notes: Notes,
    lang: str = "fi",
    min_similarity: float = DUPLICATE_SIMILARITY,
    *,
    backend: Backend | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs of notes that make the same point, most similar first: (id_a, id_b, similarity).

    Similarity is the cosine between the notes' n-gram vectors (1 is the same forms).
    """
    return _duplicates(Space.of(notes, lang, backend), min_similarity)


def _duplicates(space: Space, min_similarity: float) -> list[tuple[int, int, float]]:
    if len(space.ids) < 2:
        return []
    similarity = 1.0 - squareform(space.condensed, checks=False)
    rows, cols = np.nonzero(np.triu(similarity >= min_similarity, k=1))
    pairs = [
        (space.ids[r], space.ids[c], round(float(similarity[r, c]), 3))
        for r, c in zip(rows, cols, strict=True)
    ]
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))


def representative(
    notes: Notes,
    note_ids: Sequence[int],
    k: int = 3,
    lang: str = "fi",
    *,
    backend: Backend | None = None,
) -> list[int]:
    """The `k` notes of a group nearest its centre (as Polis picks them), nearest first.

    A first draft of a group's results: the notes that say what most of the group says.
    Vectors are weighted over all `notes`, so words common to the whole event count less.
    """
    wanted = set(note_ids)
    space = Space.of(notes, lang, backend)
    rows = [r for r, note_id in enumerate(space.ids) if note_id in wanted]
    if not rows:
        return []
    members = space.vectors[rows]
    centre = np.asarray(members.mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    closeness = members @ (centre / norm) if norm else np.zeros(len(rows))
    order = sorted(range(len(rows)), key=lambda i: (-float(closeness[i]), rows[i]))
    return [space.ids[rows[i]] for i in order[:k]]
