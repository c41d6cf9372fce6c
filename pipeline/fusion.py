"""How a dense and a lexical score become one: z-scores over the candidates, weighted."""

from __future__ import annotations

import numpy as np


def zscores(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def fuse(
    dense: np.ndarray, lexical: np.ndarray, dense_weight: float, coverage: float = 1.0
) -> np.ndarray:
    """Weighted sum of the two z-scores, squashed into (0, 1) for display (order unchanged).

    The lexical weight shrinks with ``coverage``, the share of the query's terms the corpus
    knows: an English query on a French corpus matches only cognates ("local", "rural"),
    which say little. A query with no known term ranks by the dense score alone.
    """
    lexical_weight = (1.0 - dense_weight) * coverage
    if not np.any(lexical) or lexical_weight <= 0:
        fused = zscores(dense)
    else:
        fused = (dense_weight * zscores(dense) + lexical_weight * zscores(lexical)) / (
            dense_weight + lexical_weight
        )
    return 1.0 / (1.0 + np.exp(-fused))


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
