"""Embedding throughput: Tisser's embedder against a plain sentence-transformers ``encode``.

Same texts (real France PAT action passages), same model folder. Reports passages/s of:
plain ``SentenceTransformer.encode`` in corpus order, Tisser's path (sorted by length,
chunked as the build does), and the same with int8 linear layers, with the cosine of the
int8 vectors to the float ones (the tolerance that decides whether int8 is acceptable).

    python benchmarks/embed_throughput.py [--passages 400]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import require_shared_data  # noqa: E402
from pipeline.embed import (  # noqa: E402
    embedding_input,
    make_embedder,  # noqa: E402
    split_passages,
)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=400)
    args = parser.parse_args()
    import torch
    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(str(e5_small_path()), device="cpu")
    ours = make_embedder(EmbedSettings())
    texts = passages(args.passages, ours)
    print(f"{len(texts)} passages, torch threads {torch.get_num_threads()}")
    reference, plain_rate = timed(
        lambda t: plain.encode(t, prompt_name="passage", normalize_embeddings=True), texts
    )
    float_vectors, ours_rate = timed(tisser_path(ours), texts)
    int8 = make_embedder(EmbedSettings(quantize=True))
    int8_vectors, int8_rate = timed(tisser_path(int8), texts)
    same = np.sum(reference * float_vectors, axis=1)
    close = np.sum(float_vectors * int8_vectors, axis=1)
    print(f"plain encode:         {plain_rate:6.1f} passages/s")
    print(
        f"tisser (float32):     {ours_rate:6.1f} passages/s  ratio {ours_rate / plain_rate:.2f}  "
        f"cosine to plain min {same.min():.5f}"
    )
    print(
        f"tisser (int8 linear): {int8_rate:6.1f} passages/s  ratio {int8_rate / plain_rate:.2f}  "
        f"cosine to float min {close.min():.4f} mean {close.mean():.4f}"
    )


if __name__ == "__main__":
    main()
