"""The vector index at scale: query latency, memory and recall of the approximate index.

Vectors are real passage embeddings of France PAT actions (from the index that
benchmarks/search_pat.py builds) repeated with Gaussian noise up to each size. Latency is
measured end to end for a query (query embedding + FAISS search + fusion re-scoring of the
candidates is not included: the lexical part needs real texts; see search_pat.py).

    python benchmarks/scale.py [--sizes 10000 100000 1000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, peak_memory_mb, percentile  # noqa: E402
from pipeline.embed import make_embedder  # noqa: E402
from pipeline.index import snapshots  # noqa: E402
from pipeline.index.vectors import VectorIndex, ivf_shape  # noqa: E402
from pipeline.settings import Settings  # noqa: E402


def real_vectors() -> np.ndarray:
    index_dir = OUT / "pat-actions-multilingual-e5-small"
    if not snapshots.has_index(index_dir):
        print(f"skipped: run benchmarks/search_pat.py first (it builds {index_dir})")
        sys.exit(0)
    return np.load(snapshots.snapshot(index_dir) / "vectors.npy")


def grow(base: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` vectors: the real ones, then noisy copies of them (σ=0.02 a dimension)."""
    picks = rng.integers(0, len(base), size)
    vectors = base[picks] + rng.normal(scale=0.02, size=(size, base.shape[1])).astype(np.float32)
    vectors[: min(size, len(base))] = base[: min(size, len(base))]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def measure(
    vectors: np.ndarray, queries: np.ndarray, query_texts: list[str], embedder, threshold: int
) -> dict:
    started = time.perf_counter()
    index = VectorIndex.build(vectors, exact_below=threshold)
    built = time.perf_counter() - started
    exact = VectorIndex.build(vectors, exact_below=len(vectors) + 1)
    _, truth = exact.search(queries, 10)
    _, found = index.search(queries, 10)
    recall = float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)]))
    latencies = []
    for text in query_texts:
        t0 = time.perf_counter()
        vector = embedder.embed_queries([text])
        index.search(vector, 200)  # the candidates a fused query takes
        latencies.append((time.perf_counter() - t0) * 1000)
    return {
        "build_s": built,
        "recall": recall,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "exact": index.exact,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    base = real_vectors()
    settings = Settings()
    embedder = make_embedder(settings.embed)
    texts = [
        f"projet alimentaire territorial numéro {i}: cantine, circuits courts, maraîchage"
        for i in range(args.queries)
    ]
    query_vectors = embedder.embed_queries(texts[:100])
    print(f"{len(base)} real vectors; exact below {settings.index.exact_below} passages")
    print("size       index        lists/probes  build s  recall@10  p50 ms  p95 ms  peak MB")
    for size in args.sizes:
        vectors = grow(base, size, rng)
        row = measure(vectors, query_vectors, texts, embedder, settings.index.exact_below)
        shape = ivf_shape(size)
        kind = "flat" if row["exact"] else "ivf-flat"
        probes = "-" if row["exact"] else f"{shape.lists}/{shape.probes}"
        print(
            f"{size:<10} {kind:12} {probes:13} {row['build_s']:7.1f}  {row['recall']:.3f}    "
            f"{row['p50']:6.1f}  {row['p95']:6.1f}  {peak_memory_mb():7.0f}"
        )
        del vectors


if __name__ == "__main__":
    main()
