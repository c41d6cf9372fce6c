"""A model-free embedder: hashed word counts. For tests and quick trials, not for quality."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from ..text import fold

_WORD = re.compile(r"\w{2,}")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class HashingEmbedder:
    """Each word adds +1 or -1 to one of ``dim`` buckets; rows are L2-normalised."""

    max_tokens = 512

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.model_id = f"hash:{dim}"

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _words(text):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    embed_passages = _embed
    embed_queries = _embed

    def count_tokens(self, text: str) -> int:
        return len(_words(text))
