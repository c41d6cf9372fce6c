"""The passage table: row i is row i of the vector index and of the lexical index.

Each passage names its document row, where it lies in the document's text, and the digest
that decides whether its stored embedding can be reused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..embed.passages import Passage


@dataclass(frozen=True)
class PassageTable:
    doc: np.ndarray  # int32, document row of each passage
    start: np.ndarray  # int32 character offsets in the document text
    end: np.ndarray
    digest: np.ndarray  # str, embedding cache key (see Passage.digest)

    def __len__(self) -> int:
        return int(self.doc.shape[0])

    @classmethod
    def from_passages(cls, passages: list[Passage], digests: list[str]) -> PassageTable:
        return cls(
            doc=np.array([p.doc for p in passages], dtype=np.int32),
            start=np.array([p.start for p in passages], dtype=np.int32),
            end=np.array([p.end for p in passages], dtype=np.int32),
            digest=np.array(digests, dtype="U32"),
        )

    def rows_of(self, doc_rows: np.ndarray) -> np.ndarray:
        """Passage rows belonging to any of ``doc_rows``."""
        return np.flatnonzero(np.isin(self.doc, doc_rows))
