"""The labelled corpora of benchmarks/similar_corpora.py: their indexes, labels and queries.

- Transiscope: the 600 local alternatives of the export, labelled by the categories their
  mappers filed them under (``taxonomy``); items without a category are neither queries nor
  counted results.
- France PAT actions: the actions of benchmarks/search_pat.py, labelled by the sub-category
  their PAT team filed them under; queries are its 500 odd-id actions, results come from other
  PATs (all of them, or only odd-id ones: neither query nor result taught the profile head).
- Transiscope (free tags): the same items labelled by their mappers' free tags (a finer
  vocabulary: 373 tags once case and accents are folded); the 350 items with a tag are queries.
- France PAT texts: each PAT's own text (the porteur's description of the territory's stakes
  and the strategic objectives, as `build` indexes a PAT), labelled by the set of
  sub-categories of the actions its team filed (France PAT, data.gouv.fr); PATs without any
  action are left out. Long strategy texts, another kind than the two above.

Indexes live in benchmarks/out/. The PAT texts' index is written once from a copy of the
France PAT index of `build ../shared/data/pat` (PATs and their actions, see
``france_pat_index``), itself started from the actions' index so that only the PATs' own
passages are embedded.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import OUT
from benchmarks.search_pat import sample
from pipeline.documents import Document
from pipeline.embed import make_embedder
from pipeline.index import commit, live_settings
from pipeline.search import Searcher
from pipeline.sources import iter_records
from pipeline.text import fold

MODEL = "multilingual-e5-small"
ACTIONS = OUT / f"pat-actions-{MODEL}"  # benchmarks/search_pat.py
TRANSISCOPE = OUT / f"transiscope-{MODEL}"  # benchmarks/search_transiscope.py
FRANCE_PAT = OUT / f"france-pat-all-{MODEL}"
PAT_TEXTS = OUT / f"france-pat-texts-{MODEL}"


@dataclass
class Corpus:
    """An opened index, a label set per document row, the query rows, and for each query the
    document rows that may be counted as its results (never itself)."""

    name: str
    searcher: Searcher
    labels: list[frozenset[str]]
    queries: np.ndarray
    results_of: Callable[[int], np.ndarray]  # query row -> bool mask over document rows
    metric: str  # "share@10" (same label in the top 10) or "jaccard@5"

    @property
    def size(self) -> int:
        return len(self.labels)


def transiscope() -> Corpus:
    searcher = Searcher.open(TRANSISCOPE)
    labels = [frozenset(d.meta.get("categories") or ()) for d in searcher.store.documents]
    return _labelled("Transiscope (categories)", searcher, labels, "share@10")


def transiscope_tags() -> Corpus:
    """The same 600 items labelled by their mappers' free tags, a finer vocabulary than the
    categories ("paniers bio", "Eco-construction", "cirque"): 373 tags once case and accents
    are folded ("Alimentation" and "alimentation" are one tag); 350 items carry some."""
    searcher = Searcher.open(TRANSISCOPE)
    labels = [
        frozenset(fold(t).strip() for t in d.meta.get("tags") or ()) - {""}
        for d in searcher.store.documents
    ]
    return _labelled("Transiscope (free tags)", searcher, labels, "jaccard@5")


def pat_actions(odd_results_only: bool, size: int = 500) -> Corpus:
    searcher = Searcher.open(ACTIONS)
    docs = searcher.store.documents
    labels = [frozenset({d.meta["subcategory"]}) for d in docs]
    pats = np.array([int(d.meta["pat_id"]) for d in docs])
    queries = np.array(sample([d.document for d in docs], 1, size))
    kept = pats % 2 == 1 if odd_results_only else np.ones(len(docs), bool)
    which = "odd-id PATs" if odd_results_only else "PATs, all of them"
    return Corpus(
        f"France PAT actions (sub-category; results from other {which})",
        searcher,
        labels,
        queries,
        lambda q: kept & (pats != pats[q]),
        "share@10",
    )


def pat_texts() -> Corpus:
    if not PAT_TEXTS.is_dir():
        _write_pat_texts()
    searcher = Searcher.open(PAT_TEXTS)
    labels = [frozenset(d.meta["subcategories"]) for d in searcher.store.documents]
    name = "France PAT texts (sub-categories of their actions)"
    return _labelled(name, searcher, labels, "jaccard@5")


def france_pat_index() -> Path:
    """PATs and their actions in one index, as `build ../shared/data/pat` makes it (no
    annotations), started from a copy of the actions' index: their vectors are reused."""
    if not FRANCE_PAT.is_dir():
        shutil.copytree(ACTIONS, FRANCE_PAT)
        _commit(_france_pat_documents(), FRANCE_PAT)
    return FRANCE_PAT


def _write_pat_texts() -> None:
    documents = _france_pat_documents()
    subcategories = defaultdict(set)
    for d in documents:
        if "parent" in d.meta:
            subcategories[d.meta["parent"]].add(d.meta["subcategory"])
    pats = [
        Document(d.id, d.title, d.text, {**d.meta, "subcategories": sorted(subcategories[d.id])})
        for d in documents
        if "parent" not in d.meta
    ]
    shutil.copytree(france_pat_index(), PAT_TEXTS)
    _commit(pats, PAT_TEXTS)


def _france_pat_documents() -> list[Document]:
    from benchmarks.common import SHARED_DATA

    return [r for r in iter_records([SHARED_DATA / "pat"]) if isinstance(r, Document)]


def _commit(documents: list[Document], index_dir: Path) -> None:
    settings = live_settings(ACTIONS)
    report = commit(documents, index_dir, settings, make_embedder(settings.embed))
    print(f"wrote {index_dir.name}: {report.documents} documents, {report.embedded} embedded")


def _labelled(name: str, searcher: Searcher, labels: list[frozenset], metric: str) -> Corpus:
    """Every labelled document is a query, and a result of the others."""
    labelled = np.array([bool(s) for s in labels])

    def results_of(row: int) -> np.ndarray:
        out = labelled.copy()
        out[row] = False
        return out

    return Corpus(name, searcher, labels, np.flatnonzero(labelled), results_of, metric)
