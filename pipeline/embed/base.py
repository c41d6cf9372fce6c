"""What every embedder offers: L2-normalised float32 vectors for passages and queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    model_id: str  # recorded in the index manifest; a different id means a rebuild
    dim: int
    max_tokens: int  # longest input the model reads, in its own tokens

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""

    def count_tokens(self, text: str) -> int:
        """Tokens the model would read for ``text`` (prompt and specials excluded)."""
