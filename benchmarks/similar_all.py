"""`similar --all` on 10,000 documents: how long the related-initiatives table takes.

The corpus is the France PAT actions index of benchmarks/search_pat.py (real texts, real
multilingual-e5-small vectors) replicated to 10,000 documents: the actions, then copies of the
first ones under other ids (same title and text, hence the same vectors, reused: nothing is
embedded). A copy is its original's nearest neighbour, which does not change the work done.
Timed: the whole table (every document's 10 nearest others, rendered as JSON Lines), and, for
comparison, one `similar` call per document on a sample, whose results must be the same.

    python benchmarks/similar_all.py [--documents 10000] [--sample 300]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, peak_memory_mb, require_shared_data  # noqa: E402
from pipeline import api  # noqa: E402
from pipeline.documents import Document  # noqa: E402
from pipeline.embed import make_embedder  # noqa: E402
from pipeline.index import commit, live_settings  # noqa: E402
from pipeline.search import Searcher  # noqa: E402

ACTIONS = OUT / "pat-actions-multilingual-e5-small"  # written by benchmarks/search_pat.py


def replicated(actions: list[Document], count: int) -> list[Document]:
    copies = [
        Document(f"copie-{i}/{a.id}", a.title, a.text, a.meta)
        for i, a in enumerate(actions * (count // len(actions) + 1))
    ]
    return (actions + copies)[:count]


def _keeping(table, wanted: set[str], kept: dict):
    """The table as it goes, keeping the results of the ``wanted`` documents."""
    for neighbours in table:
        if neighbours.id in wanted:
            kept[neighbours.id] = neighbours.results
        yield neighbours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    require_shared_data()
    if not ACTIONS.is_dir():
        print(f"skipped: {ACTIONS} is absent (run benchmarks/search_pat.py first)")
        return
    index_dir = OUT / f"similar-all-{args.documents}"
    if not index_dir.is_dir():  # the actions' vectors are reused from a copy of their index
        shutil.copytree(ACTIONS, index_dir)
    settings = live_settings(ACTIONS)
    actions = [d.document for d in Searcher.open(ACTIONS).store.documents]
    report = commit(
        replicated(actions, args.documents), index_dir, settings, make_embedder(settings.embed)
    )
    print(
        f"{report.documents} documents ({len(actions)} France PAT actions and copies), "
        f"{report.passages} passages, {report.embedded} embedded, exact index: {report.exact}"
    )

    searcher = api.open_index(index_dir)
    documents = searcher.store.documents
    sample = {d.id for d in documents[:: max(1, len(documents) // args.sample)][: args.sample]}
    kept: dict[str, api.Results] = {}
    started = time.perf_counter()
    table = _keeping(api.similar_all(searcher, k=10), sample, kept)
    lines = sum(1 for _ in api.render_neighbours(table, "jsonl"))
    seconds = time.perf_counter() - started
    print(
        f"similar --all -k 10 --json: {lines} lines in {seconds:.1f}s "
        f"({seconds / lines * 1000:.1f} ms per document)"
    )

    started = time.perf_counter()
    one_by_one = {i: api.similar(searcher, i, 10) for i in sample}
    each = (time.perf_counter() - started) / len(sample)
    print(
        f"one similar call per document: {each * 1000:.1f} ms per document "
        f"(over {len(sample)}), {each * len(documents):.0f}s for all {len(documents)}"
    )
    same = sum(kept[i] == one_by_one[i] for i in sample)
    print(f"same results as similar on {same} of {len(sample)} sampled documents")
    print(f"peak memory: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
