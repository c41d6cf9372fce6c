"""The profile head's gate (pipeline/search/gate.py) on the benchmark corpora: what a build
of each would decide, with the figures it measures and the seconds it takes.

Transiscope is labelled by its mappers' categories and France PAT actions by their
sub-categories, as a build finds them (and again with only the actions of odd-id PATs as
queries and results: the head learned from the even ids, which flatter it). France PAT texts
(benchmarks/similar_data.py) carry the sub-categories of their actions under a key of the
benchmark's own ("subcategories"), which a real build of PAT texts does not have: there the
fit rule decides, also shown.

    python benchmarks/profile_gate.py   (after benchmarks/similar_corpora.py built the indexes)
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import similar_data as data  # noqa: E402
from benchmarks.common import require_shared_data  # noqa: E402
from pipeline.index import DocumentStore  # noqa: E402
from pipeline.search import Searcher  # noqa: E402
from pipeline.search.gate import LABEL_KEYS, measure_gate  # noqa: E402

CORPORA = (
    ("Transiscope", data.TRANSISCOPE, LABEL_KEYS),
    ("France PAT actions", data.ACTIONS, LABEL_KEYS),
    ("PAT actions, odd ids", data.ACTIONS, LABEL_KEYS),
    ("France PAT texts", data.PAT_TEXTS, ("subcategories",)),
)


def main() -> None:
    require_shared_data()
    for name, folder, keys in CORPORA:
        if not folder.is_dir():
            print(f"{name}: skipped, no index in {folder} (run benchmarks/similar_corpora.py)")
            continue
        searcher = Searcher.open(folder)
        if name.endswith("odd ids"):
            searcher.store = _odd_ids_labelled(searcher.store)
        corpus = searcher.corpus_profiles()
        started = time.perf_counter()
        measured = measure_gate(
            searcher.ranking,
            searcher.store,
            searcher.lexical,
            corpus,
            searcher.settings.fusion,
            keys,
        )
        seconds = time.perf_counter() - started
        fit = f"fit {corpus.fit:.2f} (fit rule: {'in' if corpus.fit >= 0.8 else 'out'})"
        if measured is None:
            print(f"{name}: nothing to measure; {fit}")
            continue
        verdict = "in" if measured.used else "out"
        print(
            f"{name:20} labels {measured.labels:14} {measured.queries} queries: label overlap "
            f"of the 10 nearest {measured.without:.3f} without the head, "
            f"{measured.with_head:.3f} with it ({measured.with_head / measured.without - 1:+.1%})"
            f" -> {verdict}; {fit}; {seconds:.1f}s"
        )


def _odd_ids_labelled(store: DocumentStore) -> DocumentStore:
    """The same documents, only those of odd-id PATs keeping their sub-category."""
    documents = [
        d if int(d.meta["pat_id"]) % 2 else replace(d, meta={**d.meta, "subcategory": None})
        for d in store.documents
    ]
    return DocumentStore(documents, store.passages)


if __name__ == "__main__":
    main()
