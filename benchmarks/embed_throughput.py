"""Embedding throughput: Tisser's embedders against a plain sentence-transformers ``encode``.

Same texts (real France PAT action passages), same model folder, one table of passages/s: plain
``SentenceTransformer.encode``; the torch path builds took before issue 15 (sentence-transformers,
length-sorted chunks as the build makes them) and its int8 option; the onnxruntime paths, float32
(the same vectors) and int8 (``quantize``). Each path runs once per repeat, back to back, and the
median rate is shown, with its ratio to plain encode and the cosine of its vectors to plain's.

    python benchmarks/embed_throughput.py [--passages 200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import require_shared_data  # noqa: E402
from pipeline.embed import embedding_input, make_embedder, split_passages  # noqa: E402
from pipeline.embed.e5_convert import e5_small_path  # noqa: E402
from pipeline.settings import EmbedSettings  # noqa: E402
from pipeline.sources.france_pat import iter_actions  # noqa: E402


def passages(count: int, embedder) -> list[str]:
    texts = []
    for action in iter_actions(require_shared_data() / "pat"):
        if hasattr(action, "text"):
            for p in split_passages(0, action.text, embedder.count_tokens, 200):
                texts.append(embedding_input(action.title, p.text))
        if len(texts) >= count:
            return texts[:count]
    return texts


def timed(fn, texts) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = fn(texts)
    return vectors, len(texts) / (time.perf_counter() - started)


def tisser_path(embedder):
    def run(texts):  # as pipeline.build._embeddings does: length-sorted chunks of 256
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        for start in range(0, len(order), 256):
            chunk = order[start : start + 256]
            out[chunk] = embedder.embed_passages([texts[i] for i in chunk])
        return out

    return run


FLOAT32 = EmbedSettings(quantize=False)  # the default is int8 since issue 15: name each path


def paths(texts: list[str]) -> dict[str, object]:
    """Each path's embedding function, by its name in the table."""
    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(str(e5_small_path()), device="cpu")
    made = {
        "torch (before)": make_embedder(FLOAT32, runtime="torch"),
        "torch int8 (option)": make_embedder(EmbedSettings(quantize=True), runtime="torch"),
        "onnxruntime float32": make_embedder(FLOAT32),
        "onnxruntime int8": make_embedder(EmbedSettings(quantize=True)),
    }
    out = {
        "plain encode": lambda t: plain.encode(t, prompt_name="passage", normalize_embeddings=True)
    }
    return out | {name: tisser_path(embedder) for name, embedder in made.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import torch

    texts = passages(args.passages, make_embedder(EmbedSettings()))
    runs = paths(texts)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for name, run in runs.items():
            vectors[name], rate = timed(run, texts)
            rates[name].append(rate)
    print(f"{len(texts)} passages, {args.repeats} repeats, torch threads {torch.get_num_threads()}")
    plain = statistics.median(rates["plain encode"])
    print(f"  {'path':22} {'passages/s':>10} {'x plain':>8} {'cosine to plain min/mean':>25}")
    for name, measured in rates.items():
        cosines = np.sum(vectors["plain encode"] * vectors[name], axis=1)
        rate = statistics.median(measured)
        print(
            f"  {name:22} {rate:10.1f} {rate / plain:8.2f} "
            f"{cosines.min():16.5f} / {cosines.mean():.5f}"
        )


if __name__ == "__main__":
    main()
