"""How a dense and a lexical score become one: z-scores over the candidates, weighted."""

from __future__ import annotations

import numpy as np


def zscores(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def fuse(dense: np.ndarray, lexical: np.ndarray, dense_weight: float) -> np.ndarray:
    """Weighted sum of the two z-scores, squashed into (0, 1) for display (order unchanged).

    A query with no known term ranks by the dense score alone.
    """
    if not np.any(lexical):
        fused = zscores(dense)
    else:
        fused = dense_weight * zscores(dense) + (1.0 - dense_weight) * zscores(lexical)
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
