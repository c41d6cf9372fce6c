"""A PAT repeating its own action's hit, measured for benchmarks/similar_corpora.py.

In an index of PATs and their actions (`build ../shared/data/pat`), an action's passages also
count for its PAT: a PAT is found by what its actions say. So when an action comes back, its PAT
often comes back too, on the very same passage and score. For the odd-id action queries of
France PAT, with results from other PATs: the share of the 10 nearest that are actions of the
same sub-category (a PAT counts as a miss: it has no sub-category), that are PATs, and that are
PATs found through an action listed above them; then the same ranking without those repeats.
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
