"""Agglomerative clustering (cosine, average linkage) and the threshold rule that cuts it.

The tree is built once; the facilitator's "more / fewer groups" control only moves where it
is cut, so pressing it is instant.

The threshold rule is relative, not a fixed distance: the cut is the `quantile` of the notes'
nearest-neighbour distances, over the notes that have a neighbour at all (a note sharing no
n-gram with any other is at distance 1 from all and stays alone at any cut). Distances from
different vectors (stems, raw words, sentence embeddings) live on different scales, and the
rule lets one rule serve them all. Each level of "more / fewer" multiplies the gap between
the cut and distance 1 by `LEVEL_FACTOR` (or divides it), so the cut moves strictly with the
level and never reaches 1, where everything would merge.

The default quantile was chosen on the development set (`tests/data/themes/dev_fi.tsv`, its
own six topics) by `benchmarks/themes.py --dev`, never on the evaluation set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

#: The share of notes whose nearest neighbour is nearer than the cut, at level 0. On the
#: development set the Voikko pipeline's ARI rose from 0.07 at 0.3 to 0.28 at 0.95 and
#: fell at 1.0 (`benchmarks/themes.py --dev`).
DEFAULT_QUANTILE = 0.95
#: One step of "more groups" widens the gap between the cut and distance 1 by this factor.
LEVEL_FACTOR = 1.5


@dataclass(frozen=True)
class Tree:
    """The merge tree of n notes and each note's distance to its nearest neighbour."""

    merges: np.ndarray | None  # scipy linkage matrix, None for fewer than two notes
    nearest: np.ndarray
    size: int

    @classmethod
    def build(cls, condensed: np.ndarray, size: int) -> Tree:
        """Average-linkage tree over condensed cosine distances between `size` notes."""
        if size < 2:
            return cls(None, np.zeros(size), size)
        square = squareform(condensed, checks=False)
        np.fill_diagonal(square, np.inf)
        nearest = square.min(axis=1)
        return cls(linkage(condensed, method="average"), nearest, size)

    def threshold(self, level: int = 0, quantile: float = DEFAULT_QUANTILE) -> float:
        """The cut distance for a level: +1, +2… cut lower (more, smaller groups), −1… higher."""
        related = self.nearest[self.nearest < 1.0 - 1e-9]
        if len(related) == 0:
            return 0.0
        base = float(np.quantile(related, quantile))
        return max(0.0, 1.0 - (1.0 - base) * LEVEL_FACTOR**level)

    def cut(self, threshold: float) -> np.ndarray:
        """A cluster number for each note: notes merged at distances at or below `threshold`."""
        if self.merges is None:
            return np.arange(1, self.size + 1)
        return fcluster(self.merges, t=threshold, criterion="distance")
