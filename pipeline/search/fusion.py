"""How a dense and a lexical score become one: z-scores over the candidates, weighted."""

from __future__ import annotations

import numpy as np


def zscores(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def fuse(
    dense: np.ndarray,
    lexical: np.ndarray,
    dense_weight: float,
    coverage: float = 1.0,
    profile: np.ndarray | None = None,
    profile_weight: float = 0.0,
) -> np.ndarray:
    """Weighted sum of the z-scores, squashed into (0, 1) for display (order unchanged).

    Dense and lexical share ``1 - profile_weight`` as ``dense_weight`` says; ``profile`` (the
    chance two texts carry the same label, see pipeline/embed/heads.py) takes ``profile_weight``
    (in [0, 1]).
    The lexical weight shrinks with ``coverage``, the share of the query's terms the corpus
    knows: an English query on a French corpus matches only cognates ("local", "rural"),
    which say little. A query with no known term ranks by the other scores alone.
    """
    if profile is None or not np.any(profile):
        profile_weight = 0.0
    rest = 1.0 - profile_weight
    weights = [dense_weight * rest, (1.0 - dense_weight) * rest * coverage, profile_weight]
    scores = [dense, lexical, profile]
    if not np.any(lexical):
        weights[1] = 0.0
    total = sum(w for w in weights if w > 0)
    if total <= 0:  # a lexical-only blend and a query the corpus has no word of
        weights, total = [1.0, 0.0, 0.0], 1.0
    fused = sum(w * zscores(s) for w, s in zip(weights, scores, strict=True) if w > 0)
    return 1.0 / (1.0 + np.exp(-fused / total))


def best_per_document(
    docs: np.ndarray, rows: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(documents, their best score, the passage row that gave it), best first.

    ``docs[i]`` is the document that passage ``rows[i]`` counts for, with ``scores[i]``.
    """
    order = np.argsort(-scores, kind="stable")
    docs = docs[order]
    _, first = np.unique(docs, return_index=True)
    first = np.sort(first)  # keep the score order
    return docs[first], scores[order][first], rows[order][first]
