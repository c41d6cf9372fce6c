"""A PAT repeating its own action's hit, measured for benchmarks/similar_corpora.py.

In an index of PATs and their actions (`build ../shared/data/pat`), an action's passages used
to count for its PAT too: when an action came back, its PAT often came right after it, on the
very same passage and score (same sub-category share 0.210 before, 0.400 once those repeats
were dropped). A parent is now ranked by its own text (pipeline/search/ranking.py). For the
odd-id action queries of France PAT, with results from other PATs: the share of the 10 nearest
that are actions of the same sub-category (a PAT counts as a miss: it has no sub-category),
that are PATs, and that are PATs found through an action listed above them (none, now); then
the same ranking with such repeats dropped, which must read the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.embed import mean_vector
from pipeline.search import Filters, Searcher

DEPTH = 100


def parent_repeats(index_dir: Path, queries) -> None:
    searcher = Searcher.open(index_dir)
    docs, passage_doc = searcher.store.documents, searcher.store.passages.doc
    counts = {"before": np.zeros(4), "without repeats": np.zeros(4)}
    for q in queries.queries:
        row = searcher.store.row_of[queries.searcher.store.documents[q].id]
        dense = mean_vector(searcher.vectors.vectors_[passage_doc == row])
        words = searcher.lexical.query(f"{docs[row].title}\n{docs[row].text}")
        ranked = searcher.rank(dense, words, DEPTH, Filters(), exclude=row)
        own = _pat(docs[row])
        ranked = [(d, int(passage_doc[p])) for d, _, p in ranked if _pat(docs[d]) != own]
        for name, kept in (("before", ranked), ("without repeats", _without_repeats(ranked))):
            top = kept[:10]
            listed = {d for d, _ in top}
            counts[name] += (
                sum(
                    docs[d].meta.get("subcategory") == docs[row].meta["subcategory"] for d, _ in top
                ),
                sum("parent" not in docs[d].meta for d, _ in top),
                sum(d != via and via in listed for d, via in top),
                len(top),
            )
    corpus = searcher.corpus_profiles()
    fit = f"head fit {corpus.fit:.2f}" if corpus else "no head"
    print(
        f"\nFrance PAT, PATs and actions in one index ({len(docs)} documents; {fit}), "
        f"{len(queries.queries)} odd-id action queries, results from other PATs, top 10:"
    )
    for name, (same, pats, repeats, total) in counts.items():
        print(
            f"  {name:16} same sub-category {same / total:.3f}  PATs {pats / total:.3f}  "
            f"PATs repeating an action listed above {repeats / total:.3f}"
        )


def _pat(doc) -> str:
    return doc.meta.get("pat_id") or doc.id.split("/")[1]


def _without_repeats(ranked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop each document found through a passage of another document listed above it."""
    kept, seen = [], set()
    for doc, via in ranked:
        if doc != via and via in seen:
            continue
        kept.append((doc, via))
        seen.add(doc)
    return kept
