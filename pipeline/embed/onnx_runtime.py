"""The default model run by onnxruntime, from the ONNX files of ``e5_onnx``: no torch.

Texts go in as sentence-transformers gives them to the model: the prompt of the folder's
``config_sentence_transformers.json`` prepended, tokenised by the folder's own ``tokenizer.json``
with ``<s>``/``</s>``, cut to the folder's ``max_seq_length``; a batch is padded with the pad
token and masked. The graph pools and normalises.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelError


class OnnxEmbedder:
    def __init__(
        self,
        model_folder: Path,
        onnx_file: Path,
        model_id: str,
        batch_size: int = 32,
        query_prompt: str | None = "query",
        passage_prompt: str | None = "passage",
    ):
        folder = Path(model_folder)
        self.model_id = model_id
        self.batch_size = batch_size
        prompts = _read_json(folder / "config_sentence_transformers.json").get("prompts") or {}
        # A prompt the folder does not define is no prompt, as in SentenceTransformerEmbedder.
        self.query_prompt = prompts.get(query_prompt, "") if query_prompt else ""
        self.passage_prompt = prompts.get(passage_prompt, "") if passage_prompt else ""
        max_length = int(_read_json(folder / "sentence_bert_config.json")["max_seq_length"])
        self.max_tokens = max_length - 2  # <s> and </s>
        config = _read_json(folder / "config.json")
        self.dim = int(config["hidden_size"])
        self.tokenizer = _tokenizer(folder / "tokenizer.json")
        self.bos, self.eos = self.tokenizer.encode("", add_special_tokens=True).ids
        self.pad = int(config["pad_token_id"])
        self.session = _session(onnx_file)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.passage_prompt + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.query_prompt + t for t in texts])

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        ids = [self._ids(e.ids) for e in encoded]
        # Texts of like length batched together: less padding, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([ids[i] for i in rows])
        return out

    def _ids(self, content: list[int]) -> list[int]:
        return [self.bos, *content[: self.max_tokens], self.eos]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        input_ids = np.full((len(batch), width), self.pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        return np.asarray(self.session.run(None, feed)[0], dtype=np.float32)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path} ({exc}): remove its folder to convert again") from exc


def _tokenizer(path: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()  # cut by hand: counting tokens needs the whole text
    tokenizer.no_padding()
    return tokenizer


def _session(onnx_file: Path):
    try:
        import onnxruntime
    except ImportError as exc:
        raise ModelError("the ONNX path needs onnxruntime: pip install -e . again") from exc
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings about unused initialisers are not the user's
    try:
        return onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own kinds; all mean "cannot load"
        raise ModelError(f"cannot load {onnx_file} ({exc}): remove its folder to redo it") from exc
