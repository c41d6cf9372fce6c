"""Search quality on another corpus than the one the profile head learned from: Transiscope.

The default ranking adds an action profile learned from France PAT actions (food projects,
pipeline/embed/heads.py) where the build measured that it helps (pipeline/search/gate.py). This
checks what the gate decides on a corpus the head never saw, and what the head does there: the
600 local alternatives of the Transiscope export, each filed by its mappers under categories
(nourriture, habitat, energie, 0dechet, mobilite...). Every item with a category is a query
(its own text); printed is the share of the top 10 results that share a category with it,
for each scorer. Nothing here is learned from these categories but the gate's in-or-out
decision, which the build measures with them (each item's `similar` neighbours, not these
queries).

    python benchmarks/search_transiscope.py [--quantize]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, require_shared_data  # noqa: E402
from benchmarks.search_pat import scorers  # noqa: E402
from pipeline.documents import Document  # noqa: E402
from pipeline.embed import make_embedder  # noqa: E402
from pipeline.index import commit  # noqa: E402
from pipeline.search import Filters, Searcher  # noqa: E402
from pipeline.search.gate import gate_of_build  # noqa: E402
from pipeline.search.render import describe_gate  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.sources import iter_records  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quantize", action=argparse.BooleanOptionalAction, default=Settings().embed.quantize
    )
    args = parser.parse_args()
    data = require_shared_data()
    settings = Settings().with_section("embed", quantize=args.quantize)
    embedder = make_embedder(settings.embed)
    items = [r for r in iter_records([data / "transiscope"]) if isinstance(r, Document)]
    index_dir = OUT / f"transiscope-{embedder.model_id.replace('/', '_')}"
    report = commit(items, index_dir, settings, embedder, annotate=False, gate=gate_of_build)
    searcher = Searcher.open(index_dir, embedder=embedder)
    docs = searcher.store.documents
    rows = [i for i, d in enumerate(docs) if d.meta.get("categories")]
    texts = [docs[r].text for r in rows]
    vectors = embedder.embed_queries(texts)
    queries = [(vectors[i], searcher.lexical.query(t)) for i, t in enumerate(texts)]
    print(
        f"{len(docs)} items, {report.passages} passages, model {embedder.model_id}; "
        f"{len(rows)} queries with a category"
    )
    corpus, fusion = searcher.corpus_profiles(), settings.fusion
    if corpus is not None:
        used = "used" if corpus.takes_part(fusion.profile_min_fit) else "left out"
        rule = f"threshold {fusion.profile_min_fit}" if corpus.gains is None else "measured"
        print(f"profile {fusion.profile}: fit {corpus.fit:.2f}, {used} ({rule})")
        if report.profile.gate:
            print(f"  the build's gate: {describe_gate(report.profile.gate)}")
    print("share of the top 10 that share a category with the query item:")
    for name, fusion in scorers().items():
        searcher.settings = settings.with_section("fusion", **fusion)
        hits = total = 0
        for row, (dense, lexical) in zip(rows, queries, strict=True):
            own = set(docs[row].meta["categories"])
            for d, _, _ in searcher.rank(dense, lexical, 10, Filters(), exclude=row):
                hits += bool(own & set(docs[d].meta.get("categories") or ()))
                total += 1
        print(f"  {name:20} {hits / max(total, 1):.3f}")


if __name__ == "__main__":
    main()
