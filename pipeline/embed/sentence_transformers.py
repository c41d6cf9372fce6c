"""Any sentence-transformers model, by hub name (already cached) or by folder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelError


class SentenceTransformerEmbedder:
    def __init__(
        self,
        name_or_path: str,
        model_id: str | None = None,
        batch_size: int = 32,
        query_prompt: str | None = "query",
        passage_prompt: str | None = "passage",
        quantize: bool = False,
    ):
        self.model = _load(name_or_path)
        self.model_id = model_id or name_or_path
        if quantize:
            self.model = _int8(self.model)
            self.model_id += "+int8"  # TORCH_INT8_SUFFIX: other vectors, the index says so
        self.dim = int(self.model.get_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length) - 2  # <s> and </s>
        self.batch_size = batch_size
        prompts = self.model.prompts or {}
        # A model without these prompts (most English ones) embeds text as it is.
        self.query_prompt = query_prompt if query_prompt in prompts else None
        self.passage_prompt = passage_prompt if passage_prompt in prompts else None

    def _encode(self, texts: Sequence[str], prompt: str | None) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            prompt_name=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prompt)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=False)["input_ids"])


def _int8(model):
    """Linear layers in int8 (dynamic quantisation): faster on CPU, cosine ≥ 0.99 to float
    (benchmarks/embed_throughput.py measures both)."""
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _load(name_or_path: str):
    # Offline unless the user allows downloads: a hub name must already be in the local cache.
    if not Path(name_or_path).exists() and os.environ.get("TISSER_ALLOW_DOWNLOAD") != "1":
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # no per-load progress bars on stderr
        transformers_logging.disable_progress_bar()

        return SentenceTransformer(name_or_path, device="cpu")
    except Exception as exc:  # the library raises many kinds; all mean "cannot load"
        raise ModelError(
            f"cannot load embedding model {name_or_path!r} ({type(exc).__name__}): give a "
            "sentence-transformers folder, or a hub name already in the local cache"
        ) from exc
