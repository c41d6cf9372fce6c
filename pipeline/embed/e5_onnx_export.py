"""Writing the ONNX files of ``e5_onnx``: needs torch, sentence-transformers, onnx and
onnxruntime's quantisation tools, and runs once per model folder."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .onnx_runtime import OnnxEmbedder
from .sentence_transformers import SentenceTransformerEmbedder

_OPSET = 17


def export_float(model_folder: Path, out: Path, data_name: str) -> SentenceTransformerEmbedder:
    """The encoder, mean pooling and normalisation as one float32 graph at ``out``, its weights
    in ``data_name`` beside it; returns the sentence-transformers model it came from."""
    import onnx
    import torch

    st = SentenceTransformerEmbedder(str(model_folder))
    bert = st.model[0].auto_model.eval()
    bert.set_attn_implementation("eager")  # a plain graph: onnxruntime fuses it on load
    pooled = _pooled(bert).eval()
    example = st.model.tokenizer(["query: deux textes", "passage: un"], padding=True)
    inputs = tuple(torch.tensor(example[key]) for key in ("input_ids", "attention_mask"))
    whole = out.with_suffix(".whole")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about constants that hold here
        torch.onnx.export(
            pooled,
            inputs,
            str(whole),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
            },
            opset_version=_OPSET,
            dynamo=False,  # the TorchScript exporter needs no onnxscript
        )
    model = onnx.load(str(whole))
    # Weights in a side file: onnxruntime maps it, so a session opens in a fraction of a second.
    onnx.save_model(model, str(out), save_as_external_data=True, location=data_name)
    whole.unlink()
    return st


def _pooled(bert):
    """BERT, then the mean over the tokens the mask keeps, then L2 normalisation: what the
    sentence-transformers folder of e5_folder.py computes."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled()


def quantise(float_file: Path, out: Path) -> None:
    """Linear layers in int8, one scale per output channel (per tensor loses twice as much
    cosine: 0.981 against 0.995 at worst on France PAT passages)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # its advice to pre-process is for image models
    try:
        quantize_dynamic(str(float_file), str(out), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)


def check(
    st: SentenceTransformerEmbedder,
    model_folder: Path,
    onnx_file: Path,
    samples: Sequence[str],
    minimum: float,
) -> dict:
    """Cosines of the ONNX vectors to sentence-transformers' on ``samples`` as passages and as
    queries, embedded together (padded) and one by one."""
    ours = OnnxEmbedder(model_folder, onnx_file, model_id="check")
    cosines = []
    for embed_st, embed_ours in (
        (st.embed_passages, ours.embed_passages),
        (st.embed_queries, ours.embed_queries),
    ):
        reference = embed_st(samples)
        together = embed_ours(samples)
        alone = np.vstack([embed_ours([text]) for text in samples])
        cosines += [np.sum(reference * together, axis=1), np.sum(reference * alone, axis=1)]
    worst = float(np.min(np.concatenate(cosines)))
    return {"min_cosine": round(worst, 6), "minimum": minimum, "passed": worst >= minimum}
