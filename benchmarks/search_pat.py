"""Search on the real France PAT actions: build speed, query latency, memory, and quality.

Quality: for 500 actions (fixed random sample), query with the action's text and count, among
the top 10 results from *other* PATs, the share that are actions of the same sub-category
(and of the same axis), as labelled by the PAT teams. Lexical, dense, fused (dense + lexical)
and the default (fused + the action profile of pipeline/embed/heads.py, which takes part where
the build's gate lets it in, as it does here) are measured. The fusion weight is chosen on PATs
with an even id; the profile head learned from even ids and its weight chosen by
scripts/train_profile.py. Figures are reported on odd ids; the even-id figures with the profile
are flattered (those actions taught the head) and shown only as such. "Odd-id results only"
counts only results from odd-id PATs: neither query nor result taught anything.

    python benchmarks/search_pat.py [--sample 500] [--model multilingual-e5-small] [--quantize]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, peak_memory_mb, percentile, require_shared_data  # noqa: E402
from pipeline.documents import Document  # noqa: E402
from pipeline.embed import make_embedder  # noqa: E402
from pipeline.index import commit  # noqa: E402
from pipeline.search import Filters, Searcher  # noqa: E402
from pipeline.search.gate import gate_of_build  # noqa: E402
from pipeline.search.render import describe_gate  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.sources.france_pat import iter_actions  # noqa: E402

WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def load_actions(folder: Path, min_chars: int = 100) -> list[Document]:
    return [a for a in iter_actions(folder) if isinstance(a, Document) and len(a.text) > min_chars]


def sample(actions: list[Document], parity: int, size: int) -> list[int]:
    rows = [i for i, a in enumerate(actions) if int(a.meta["pat_id"]) % 2 == parity]
    return sorted(random.Random(20250710).sample(rows, min(size, len(rows))))


def precision_at_10(searcher: Searcher, rows: list[int], queries, fusion: dict):
    """(sub-category, axis) shares of same-label results among the top 10 of other PATs, and
    the same among the top 10 of other odd-id PATs, from one ranking per query."""
    before = searcher.settings
    searcher.settings = searcher.settings.with_section("fusion", **fusion)
    docs = searcher.store.documents
    counts = {"all": np.zeros(3), "odd": np.zeros(3)}  # sub-category hits, axis hits, results
    for row, (dense, lexical) in zip(rows, queries):
        own = docs[row].meta
        ranked = searcher.rank(dense, lexical, 100, Filters(), exclude=row)
        others = [docs[d].meta for d, _, _ in ranked if docs[d].meta["pat_id"] != own["pat_id"]]
        odd = [meta for meta in others if int(meta["pat_id"]) % 2 == 1]
        for key, metas in (("all", others[:10]), ("odd", odd[:10])):
            for meta in metas:
                same = (meta["subcategory"] == own["subcategory"], meta["axis"] == own["axis"])
                counts[key] += (*same, 1)
    searcher.settings = before
    return {key: (c[0] / max(c[2], 1), c[1] / max(c[2], 1)) for key, c in counts.items()}


def scorers() -> dict[str, dict]:
    """Fusion settings of each scorer compared: lexical, dense and their blends without a
    profile; the default (with the shipped profile head where the build's gate lets it in); and
    the head used whatever the fit (``build --profile france-pat-subcategories``)."""
    plain = {"profile": None}
    out = {
        "lexical": plain | {"dense_weight": 0.0},
        "dense": plain | {"enabled": False},
    }
    for w in WEIGHTS[1:-1]:
        out[f"fused w={w}"] = plain | {"dense_weight": w}
    out["default"] = Settings().fusion.__dict__
    out["--profile (any fit)"] = out["default"] | {"profile_min_fit": 0.0}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--model", default=Settings().embed.model)
    parser.add_argument(
        "--quantize", action=argparse.BooleanOptionalAction, default=Settings().embed.quantize
    )
    args = parser.parse_args()
    data = require_shared_data()

    settings = Settings().with_section("embed", model=args.model, quantize=args.quantize)
    embedder = make_embedder(settings.embed)
    actions = load_actions(data / "pat")
    index_dir = OUT / f"pat-actions-{embedder.model_id.replace('/', '_')}"
    report = commit(actions, index_dir, settings, embedder, gate=gate_of_build)
    print(f"actions: {len(actions)} documents, {report.passages} passages")
    print(
        f"build: {report.seconds:.1f}s, {report.embedded} passages embedded "
        f"({report.embedded / report.seconds:.1f} passages/s), {report.reused} reused"
    )

    searcher = Searcher.open(index_dir, embedder=embedder)
    latencies = []
    for doc in actions[:: max(1, len(actions) // 200)][:200]:
        started = time.perf_counter()
        searcher.query(doc.title, k=10)
        latencies.append((time.perf_counter() - started) * 1000)
    print(
        f"query latency (embedding included): p50 {percentile(latencies, 50):.1f} ms, "
        f"p95 {percentile(latencies, 95):.1f} ms over {len(latencies)} queries"
    )

    splits = {
        "even (tuning)": sample(actions, 0, args.sample),
        "odd (reported)": sample(actions, 1, args.sample),
    }
    table = {}
    for name, rows in splits.items():
        texts = [actions[r].text for r in rows]
        dense = embedder.embed_queries(texts)
        queries = [(dense[i], searcher.lexical.query(t)) for i, t in enumerate(texts)]
        measured = {k: precision_at_10(searcher, rows, queries, f) for k, f in scorers().items()}
        table[name] = {k: m["all"] for k, m in measured.items()}
        if name.startswith("odd"):
            for k in (f"fused w={Settings().fusion.dense_weight}", "default"):
                table[name][f"{k}, odd-id results only"] = measured[k]["odd"]
    fused = [k for k in table["even (tuning)"] if k.startswith("fused")]
    best = max(fused, key=lambda k: table["even (tuning)"][k][0])
    fusion = Settings().fusion
    print(
        f"\nsame sub-category / same axis among the top 10 from other PATs "
        f"({args.sample} actions per split, model {embedder.model_id}; default: dense weight "
        f"{fusion.dense_weight}, + {fusion.profile} at weight {fusion.profile_weight} "
        f"where the build's gate lets it in):"
    )
    _print_fit(searcher, actions)
    if report.profile and report.profile.gate:
        print(f"  the build's gate: {describe_gate(report.profile.gate)}")
    for name, rows in table.items():
        for scorer, (sub, axis) in rows.items():
            mark = "  <- best on even ids" if scorer == best else ""
            if name.startswith("even") and scorer in ("default", "--profile (any fit)"):
                mark = "  (flattered: these actions taught the profile head)"
            print(f"  {name:15} {scorer:32} sub-category {sub:.3f}  axis {axis:.3f}{mark}")
    print(f"\npeak memory: {peak_memory_mb():.0f} MB")


def _print_fit(searcher: Searcher, actions: list[Document]) -> None:
    corpus = searcher.corpus_profiles()
    if corpus is None:
        print("  (no profile head for this model)")
        return
    odd = [i for i, a in enumerate(actions) if int(a.meta["pat_id"]) % 2 == 1]
    print(
        f"  profile fit: {corpus.fit:.2f} over all actions, "
        f"{corpus.head.fit_to(corpus.profiles[odd]):.2f} over odd-id actions (unseen by the head); "
        f"used at {Settings().fusion.profile_min_fit} and above"
    )


if __name__ == "__main__":
    main()
