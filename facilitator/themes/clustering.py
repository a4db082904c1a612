"""Agglomerative clustering (cosine, average linkage) and the cut that the control moves.

The tree is built once; the facilitator's "more / fewer groups" control only moves where it
is cut, so pressing it is instant.

The default cut is a fixed cosine distance chosen on the development set
(`tests/data/themes/dev_fi.tsv`, six topics of its own) with `benchmarks/themes.py --dev`,
never on the evaluation set. A relative rule (a quantile of the nearest-neighbour distances)
scored the same on the development set but merged unrelated notes into small boards, where
most notes have no near neighbour and the quantile lands close to 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

#: The cut at level 0. On the development set the Voikko pipeline's ARI was 0.19 at 0.80,
#: 0.21 at 0.85, 0.28 at 0.90 and 0.26 at 0.95.
DEFAULT_THRESHOLD = 0.9


@dataclass(frozen=True)
class Tree:
    """The average-linkage merge tree of `size` notes.

    "More / fewer groups" counts the groups the facilitator sees (two notes or more): cutting
    lower splits groups but also drops pairs back to lone notes, so a plain step in distance
    can show *fewer* groups for "more" (measured on the development set: 12 groups at 0.90,
    13 at 0.85, 11 at 0.775). Each level therefore goes to the nearest
    cut that shows strictly more (or fewer) groups, and stops where none does.
    """

    merges: np.ndarray | None  # scipy's linkage matrix; None for fewer than two notes
    size: int
    # groups[k]: how many groups of two or more notes there are after the first k merges
    groups: tuple[int, ...] = ()

    @classmethod
    def build(cls, condensed: np.ndarray, size: int) -> Tree:
        """The tree over condensed cosine distances between `size` notes."""
        if size < 2:
            return cls(None, size, (0,))
        merges = linkage(condensed, method="average")
        sizes = [1] * size
        counts = [0]
        for a, b, _, _ in merges:
            sa, sb = sizes[int(a)], sizes[int(b)]
            sizes.append(sa + sb)
            counts.append(counts[-1] + 1 - (sa >= 2) - (sb >= 2))
        return cls(merges, size, tuple(counts))

    def level_cut(self, level: int = 0, base: float = DEFAULT_THRESHOLD) -> float:
        """The cut distance for a level: +1, +2… more (smaller) groups, −1, −2… fewer, bigger.

        Level 0 is `base`; each step moves to the nearest cut with a different number of
        groups in the asked direction, and stays put once there is none.
        """
        if self.merges is None:
            return base
        heights = self.merges[:, 2]
        start = done = int(np.searchsorted(heights, base, side="right"))  # merges ≤ base
        # a cut lies between distinct heights: after k merges, where the k-th height differs
        last = len(heights)
        valid = [k for k in range(last + 1) if k in (0, last) or heights[k - 1] < heights[k]]
        for _ in range(abs(level)):
            if level > 0:
                below = [k for k in valid if k < done and self.groups[k] > self.groups[done]]
                if not below:
                    break
                done = max(below)
            else:
                above = [k for k in valid if k > done and self.groups[k] < self.groups[done]]
                if not above:
                    break
                done = min(above)
        if done == start:
            return base
        if done == 0:
            return float(heights[0]) / 2
        if done == last:
            return float(heights[-1])
        return float(heights[done - 1] + heights[done]) / 2

    def cut(self, threshold: float) -> np.ndarray:
        """A cluster number for each note: notes merged at distances at or below `threshold`."""
        if self.merges is None:
            return np.arange(1, self.size + 1)
        return fcluster(self.merges, t=threshold, criterion="distance")
