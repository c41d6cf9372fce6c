"""FAISS over L2-normalised passage vectors: inner product is cosine.

Exact (flat) while the corpus is small; above ``exact_below`` passages an inverted-file
index whose list count and probe count are chosen from the size. FAISS row i is passage i.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # faiss loads with the index: `search.py --help` does not wait for it
    import faiss

VECTORS = "vectors.npy"
FAISS = "vectors.faiss"


_BATCH = 16  # fewer queries than this are searched on one thread


@contextmanager
def _threads(count: int) -> Iterator[None]:
    """FAISS's OpenMP threads for one search. For a single query they cost more than they
    give: measured here, 25 ms instead of 0.5 ms on 10k vectors, and their spinning slows
    the next query embedding in torch threefold."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


@dataclass(frozen=True)
class IvfShape:
    lists: int
    probes: int


def ivf_shape(n: int) -> IvfShape:
    """About 4·√n lists; probes scale with them so recall@10 stays ≥ 0.95 (benchmarks/scale.py)."""
    lists = max(16, int(4 * math.sqrt(n)))
    return IvfShape(lists=lists, probes=max(8, lists // 16))


class VectorIndex:
    FILES = (VECTORS,)  # and FAISS for an approximate index: the manifest lists it then

    def __init__(self, index: faiss.Index, vectors: np.ndarray):
        self.index_ = index
        self.vectors_ = vectors  # kept for re-scoring candidates and for `similar`

    @property
    def size(self) -> int:
        return int(self.vectors_.shape[0])

    @property
    def exact(self) -> bool:
        import faiss

        return isinstance(self.index_, faiss.IndexFlat)

    @classmethod
    def build(cls, vectors: np.ndarray, exact_below: int) -> VectorIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, dim = vectors.shape
        if n < exact_below:
            index = faiss.IndexFlatIP(dim)
        else:
            shape = ivf_shape(n)
            index = faiss.IndexIVFFlat(
                faiss.IndexFlatIP(dim), dim, shape.lists, faiss.METRIC_INNER_PRODUCT
            )
            sample = vectors[np.random.default_rng(0).permutation(n)[: shape.lists * 64]]
            index.train(sample)
            index.nprobe = shape.probes
        index.add(vectors)
        return cls(index, vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each (len(queries), k'); rows of -1 are padding."""
        k = min(k, self.size)
        if k == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        import faiss

        with _threads(1 if len(queries) < _BATCH else faiss.omp_get_max_threads()):
            return self.index_.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, folder: Path) -> list[str]:
        import faiss

        np.save(folder / VECTORS, self.vectors_)
        if self.exact:
            return [VECTORS]  # a flat index is the vectors themselves: rebuilt on load
        faiss.write_index(self.index_, str(folder / FAISS))
        return [VECTORS, FAISS]

    @classmethod
    def load(cls, folder: Path) -> VectorIndex:
        import faiss

        vectors = np.load(folder / VECTORS, mmap_mode="r")
        if (folder / FAISS).is_file():
            index = faiss.read_index(str(folder / FAISS))
            index.nprobe = ivf_shape(index.ntotal).probes
        else:
            index = faiss.IndexFlatIP(vectors.shape[1])
            index.add(np.ascontiguousarray(vectors))
        return cls(index, vectors)
