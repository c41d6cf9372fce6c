"""How a dense and a lexical score become one: z-scores over the candidates, weighted."""

from __future__ import annotations

import numpy as np


def zscores(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def fuse(dense: np.ndarray, lexical: np.ndarray, dense_weight: float) -> np.ndarray:
    """Weighted sum of the two z-scores; a query with no known term ranks by dense alone."""
    if not np.any(lexical):
        return zscores(dense)
    return dense_weight * zscores(dense) + (1.0 - dense_weight) * zscores(lexical)


def best_per_document(
    doc_of_row: np.ndarray, rows: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(documents, their best score, the passage row that gave it), best first."""
    order = np.argsort(-scores, kind="stable")
    docs = doc_of_row[rows[order]]
    _, first = np.unique(docs, return_index=True)
    first = np.sort(first)  # keep the score order
    return docs[first], scores[order][first], rows[order][first]
