"""A document's vector: the L2-normalised mean of its passages' vectors.

The one way Tisser turns passages into a document vector: search (``similar``, a new text's
neighbours), the profile head, the supervised theme tagger and the catalogue's sub-groups
read documents through it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .passages import split_passages


def mean_vectors(vectors: np.ndarray, doc: np.ndarray, count: int) -> np.ndarray:
    """(count, dim): the L2-normalised mean of the rows of ``vectors`` that ``doc`` (the
    document row of each) gives to each document; zeros for a document without any."""
    from scipy import sparse

    members = sparse.csr_matrix(
        (np.ones(doc.size, dtype=np.float32), (doc, np.arange(doc.size))), shape=(count, doc.size)
    )
    sums = members @ np.asarray(vectors, dtype=np.float32)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The document vector of one document's passage ``vectors``."""
    return mean_vectors(vectors, np.zeros(len(vectors), dtype=np.int64), 1)[0]


def passages_of(embedder, text: str, max_tokens: int) -> list[str]:
    """``text`` cut at sentence boundaries into passages the model reads whole."""
    limit = min(max_tokens, embedder.max_tokens)
    cut = [p.text for p in split_passages(0, text, embedder.count_tokens, limit, 0)]
    return cut or [text]


def passage_vectors(
    embedder, texts: Sequence[str], max_tokens: int
) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Each text's passages (``passages_of``), all their vectors embedded at once, and the
    text each row of vectors belongs to."""
    cuts = [passages_of(embedder, t, max_tokens) for t in texts]
    flat = [p for ps in cuts for p in ps]
    matrix = embedder.embed_passages(flat) if flat else np.zeros((0, embedder.dim), np.float32)
    return cuts, matrix, np.repeat(np.arange(len(texts)), [len(ps) for ps in cuts])


def document_vectors(embedder, texts: Sequence[str], max_tokens: int) -> np.ndarray:
    """One vector per text, from its passages of at most ``max_tokens`` tokens, so that a long
    text is read whole rather than truncated by the model."""
    _, matrix, doc = passage_vectors(embedder, texts, max_tokens)
    return mean_vectors(matrix, doc, len(texts))
