"""Re-rankings of a whole document-to-document score matrix, for benchmarks/similar_reranking.py.

Each takes an (n, n) score matrix between all the documents of an index (row: the query
document, column: a candidate; higher is closer; the diagonal is the document itself and never
a result) and returns another. All are unsupervised and their parameters are fixed here, a
priori, with the values their papers use, never tuned on a corpus:

- ``row_z``: each row as z-scores over the other documents (the scale one fusion needs);
- ``mutual_z``: ``z(q, d) + z(d, q)``: a candidate close to everything (a hub) is not close to
  the query in its own row; local scaling / mutual proximity in their simplest form;
- ``csls``: 2 s(q, d) - r(q) - r(d), r the mean score of a document's ``k`` nearest (Conneau
  et al. 2018, k = 10);
- ``query_expansion``: each row averaged with the rows of the query's ``m`` nearest (average
  query expansion, Chum et al. 2007: Rocchio with the neighbours' vectors, done on scores);
- ``database_augmentation``: each column averaged with those of the candidate's ``m``
  nearest (each document stands with its neighbours, Arandjelovic & Zisserman 2012);
- ``reciprocal``: the Jaccard overlap of the two documents' k-reciprocal neighbour sets
  (Zhong et al. 2017, k = 20) added to the z-scored score.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def without_self(scores: np.ndarray) -> np.ndarray:
    out = np.array(scores, dtype=np.float32)
    np.fill_diagonal(out, -np.inf)
    return out


def row_z(scores: np.ndarray) -> np.ndarray:
    """z-scores of each row over the other documents; the diagonal stays -inf."""
    finite = np.where(np.isfinite(scores), scores, np.nan)
    mean = np.nanmean(finite, axis=1, keepdims=True)
    spread = np.maximum(np.nanstd(finite, axis=1, keepdims=True), 1e-9)
    return without_self((np.nan_to_num(finite) - mean) / spread)


def fused(dense: np.ndarray, lexical: np.ndarray, dense_weight: float = 0.4) -> np.ndarray:
    """Tisser's weighting (dense 0.4), the z-scores taken over the whole corpus."""
    return dense_weight * row_z(dense) + (1 - dense_weight) * row_z(lexical)


def mutual_z(scores: np.ndarray) -> np.ndarray:
    z = row_z(scores)
    return without_self(z + z.T)


def nearest(scores: np.ndarray, k: int) -> np.ndarray:
    """(n, k): each row's ``k`` best columns (never itself)."""
    return np.argpartition(-without_self(scores), k, axis=1)[:, :k]


def radii(scores: np.ndarray, k: int = 10) -> np.ndarray:
    near = nearest(scores, k)
    return np.take_along_axis(scores, near, axis=1).mean(axis=1)


def csls(scores: np.ndarray, k: int = 10) -> np.ndarray:
    r = radii(without_self(scores), k)
    return without_self(2 * scores - r[:, None] - r[None, :])


def _averaging(scores: np.ndarray, m: int) -> sparse.csr_matrix:
    """(n, n): row i averages document i with its ``m`` nearest, equal weights."""
    n = len(scores)
    near = nearest(scores, m)
    rows = np.repeat(np.arange(n), m + 1)
    cols = np.concatenate([np.arange(n)[:, None], near], axis=1).ravel()
    return sparse.csr_matrix((np.full(rows.size, 1 / (m + 1), np.float32), (rows, cols)), (n, n))


def query_expansion(scores: np.ndarray, m: int = 5) -> np.ndarray:
    z = np.nan_to_num(row_z(scores), neginf=0.0)
    return without_self(_averaging(scores, m) @ z)


def database_augmentation(scores: np.ndarray, m: int = 5) -> np.ndarray:
    z = np.nan_to_num(row_z(scores), neginf=0.0)
    return without_self((_averaging(scores, m) @ z.T).T)


def reciprocal(scores: np.ndarray, k: int = 20) -> np.ndarray:
    n = len(scores)
    near = nearest(scores, k)
    member = np.zeros((n, n), dtype=bool)
    member[np.repeat(np.arange(n), k), near.ravel()] = True
    mutual = member & member.T
    np.fill_diagonal(mutual, True)
    sets = sparse.csr_matrix(mutual.astype(np.float32))
    shared = (sets @ sets.T).toarray()
    sizes = mutual.sum(axis=1)
    jaccard = shared / np.maximum(sizes[:, None] + sizes[None, :] - shared, 1)
    return without_self(row_z(scores) + row_z(jaccard))
