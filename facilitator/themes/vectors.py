"""Notes as TF-IDF vectors over character n-grams, and the cosine distances between them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.spatial.distance import squareform

# scikit-learn is imported where it is used: it takes over a second to import, and only
# the theme suggestions need it (every command and server start would pay it).

#: Character n-gram lengths. 3–5 grams over base forms match a compound to its parts and a
#: typo to its word ("kuraatori" shares most 3-grams with "kuraattori").
NGRAMS = (3, 5)


def ngram_vectors(docs: Sequence[str], ngrams: tuple[int, int] = NGRAMS) -> sparse.csr_matrix:
    """TF-IDF over the character n-grams inside words; rows are L2-normalised.

    A document with no n-gram at all (only stop words, or empty) is a zero row. Sublinear
    term frequency keeps a word repeated in one note from outweighing the rest of it.
    """
    if not any(doc.strip() for doc in docs):
        return sparse.csr_matrix((len(docs), 1))
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=ngrams, sublinear_tf=True, lowercase=True
    )
    return vectoriser.fit_transform(docs).tocsr()


def cosine_distances(vectors: sparse.spmatrix | np.ndarray) -> np.ndarray:
    """Condensed cosine distances (as scipy's `pdist` gives them) between the rows.

    Computed as one sparse product (~1.2 s for 5,000 notes, measured), where a dense `pdist`
    over tens of thousands of n-gram columns would need gigabytes. A zero row is at distance
    1 from all.
    """
    if vectors.shape[0] < 2:
        return np.zeros(0)
    from sklearn.preprocessing import normalize

    rows = normalize(vectors)
    similarity = rows @ rows.T
    similarity = similarity.toarray() if sparse.issparse(similarity) else np.asarray(similarity)
    distance = 1.0 - similarity.astype(np.float64, copy=False)
    np.clip(distance, 0.0, 2.0, out=distance)
    np.fill_diagonal(distance, 0.0)
    return squareform(distance, checks=False)
