"""Document-to-document similarity ("projets comme X") on labelled corpora of different kinds.

Corpora (built and labelled by benchmarks/similar_data.py):

- Transiscope: 600 local alternatives (short map entries), labelled by the categories their
  mappers filed them under; the 450 with a category are queries.
- France PAT actions: 6,810 actions of food projects, labelled by the sub-category their PAT
  team filed them under; 500 odd-id actions (benchmarks/search_pat.py's sample) are queries,
  results come from other PATs: all of them, or only odd-id ones (which taught the profile
  head nothing).
- France PAT texts, assembled here: each PAT's own text (the porteur's description of the
  territory's stakes and the strategic objectives: long strategy texts), labelled by the set of
  sub-categories of the actions its team filed (France PAT, data.gouv.fr); the 390 PATs with
  actions are queries.

Each query document's nearest others are scored by the editors' labels: the share of the 10
nearest sharing a label with the query (``share@10``), or, for PAT texts and their sets of
many labels, the mean label-Jaccard of the 5 nearest (``jaccard@5``). Compared: Tisser's
`similar` as it ranks today (with the profile head where its gate lets it in, without it, and
with it whatever the gate), TF-IDF cosine and BM25 between whole documents, random, and the
variants of benchmarks/similar_variants.py; "best possible" ranks by the labels themselves. A
star marks a figure ahead of `similar` in a paired bootstrap of the queries (95 %). The e5
symmetric vectors are the passages embedded again with the "query: " prompt (cached in
benchmarks/out/); on France PAT actions only those of odd-id PATs were embedded (half the
CPU), so those rows appear in the odd-id table only. Last, on France PAT's PATs and actions
indexed together (benchmarks/similar_parents.py), how often a PAT repeats its own action's hit.

    python benchmarks/similar_corpora.py
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import similar_data as data  # noqa: E402
from benchmarks import similar_variants as v  # noqa: E402
from benchmarks.common import OUT, require_shared_data  # noqa: E402
from benchmarks.similar_parents import parent_repeats  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

DEPTH = 100  # results asked of `similar`, before those that may not count are dropped
TISSER = {
    "Tisser similar (before: head where its gate lets it in)": {},
    "Tisser similar, no head": {"profile": None},
    "Tisser similar, head whatever the gate": {"profile_min_fit": 0.0},
}


@dataclass(frozen=True)
class Figure:
    """A metric as the sum of per-query hits over the sum of per-query counts, kept per
    query so that two rankings can be compared on the same queries."""

    hits: np.ndarray
    counts: np.ndarray

    @property
    def value(self) -> float:
        return float(self.hits.sum() / max(self.counts.sum(), 1))

    def surely_above(self, other: Figure, draws: int = 2000) -> bool:
        """Whether this figure beats ``other`` in 97.5 % of paired bootstrap draws of the
        queries (a one-sided 95 % interval above zero)."""
        rng = np.random.default_rng(0)
        picks = rng.integers(0, len(self.hits), size=(draws, len(self.hits)))
        mine = self.hits[picks].sum(1) / np.maximum(self.counts[picks].sum(1), 1)
        theirs = other.hits[picks].sum(1) / np.maximum(other.counts[picks].sum(1), 1)
        return bool(np.quantile(mine - theirs, 0.025) > 0)


def evaluate(corpus: data.Corpus, scores: np.ndarray) -> Figure:
    """The corpus's metric for one score matrix (a row per query): share@10 counts each of
    the 10 nearest, jaccard@5 averages the 5 nearest's Jaccard per query."""
    k = 10 if corpus.metric == "share@10" else 5
    hits, counts = np.zeros(len(corpus.queries)), np.zeros(len(corpus.queries))
    for i, q in enumerate(corpus.queries):
        row = np.where(corpus.results_of(q), scores[i], -np.inf)
        top = np.argsort(-row, kind="stable")[:k]
        top = top[np.isfinite(row[top])]
        own = corpus.labels[q]
        if corpus.metric == "share@10":
            hits[i], counts[i] = sum(bool(own & corpus.labels[d]) for d in top), len(top)
        elif len(top):
            hits[i], counts[i] = np.mean([_jaccard(own, corpus.labels[d]) for d in top]), 1
    return Figure(hits, counts)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def tisser_scores(corpus: data.Corpus, fusion: dict) -> np.ndarray:
    """Tisser's `similar` of each query as a score matrix: its ranking, -inf elsewhere."""
    searcher, settings = corpus.searcher, corpus.searcher.settings
    searcher.settings = settings.with_section("fusion", **fusion)
    scores = np.full((len(corpus.queries), corpus.size), -np.inf, dtype=np.float32)
    docs = searcher.store.documents
    for i, q in enumerate(corpus.queries):
        hits = searcher.similar(docs[q].id, DEPTH).hits
        scores[i, [searcher.store.row_of[h.id] for h in hits]] = -np.arange(len(hits))
    searcher.settings = settings
    return scores


def label_scores(corpus: data.Corpus) -> np.ndarray:
    return np.array(
        [[_jaccard(corpus.labels[q], s) for s in corpus.labels] for q in corpus.queries]
    )


# Fusions of a dense and a lexical scorer, named by their rows.
FUSED = {
    "today's dense + today's lexical": (
        "dense today: document vector -> best passage",
        "lexical today: TF-IDF, best passage",
    ),
    "document vectors + TF-IDF": (
        "dense: document vectors (mean of passages)",
        "TF-IDF cosine (whole documents)",
    ),
    "document vectors + BM25": (
        "dense: document vectors (mean of passages)",
        "BM25 (whole documents)",
    ),
    "centred document vectors + BM25": (
        "dense: document vectors, centred",
        "BM25 (whole documents)",
    ),
    "e5 symmetric, centred + BM25": ("dense: e5 symmetric, centred", "BM25 (whole documents)"),
}


def scorers(corpus: data.Corpus, symmetric: v.Vectors | None) -> dict:
    """The variants' score matrices, each computed when its row is printed."""
    out = _single_scorers(corpus, symmetric)
    stored = _cached(corpus, "stored", lambda: v.stored_vectors(corpus.searcher))
    head = _cached(corpus, "head", lambda: v.Head(corpus.searcher, stored))
    for name, (dense, words) in FUSED.items():
        if dense not in out:  # e5 symmetric where it was not embedded
            continue
        d, w = out[dense], out[words]
        out[f"fused z: {name}"] = lambda d=d, w=w: v.zscore_fusion(d(), w())
        out[f"fused RRF: {name}"] = lambda d=d, w=w: v.rrf_fusion(d(), w())
        out[f"fused z + head (gated): {name}"] = lambda d=d, w=w: v.head_fusion(
            d(), w(), head.scores(corpus.queries)
        )
    return out


def _single_scorers(corpus: data.Corpus, symmetric: v.Vectors | None) -> dict:
    q = corpus.queries
    stored = _cached(corpus, "stored", lambda: v.stored_vectors(corpus.searcher))
    centred = _cached(corpus, "centred", stored.centred)
    lexical = _cached(corpus, "lexical", lambda: v.Lexical(corpus.searcher))
    out = {
        "random": lambda: np.random.default_rng(0).random((len(q), corpus.size)),
        "TF-IDF cosine (whole documents)": lambda: lexical.tfidf_cosine(q),
        "BM25 (whole documents)": lambda: lexical.bm25_scores(q),
        "lexical today: TF-IDF, best passage": lambda: lexical.passage_tfidf(q),
        "dense today: document vector -> best passage": lambda: stored.mean_to_best_passage(q),
        "dense: document vectors (mean of passages)": lambda: stored.mean_to_mean(q),
        "dense: best passage pair": lambda: stored.best_passage_pair(q),
        "dense: document vectors, centred": lambda: centred.mean_to_mean(q),
        "dense: document vectors, whitened": lambda: stored.whitened().mean_to_mean(q),
        "dense: document vectors, whitened (128 dims)": lambda: stored.whitened(128).mean_to_mean(
            q
        ),
    }
    if symmetric is not None:
        out["dense: e5 symmetric (query: both sides)"] = lambda: symmetric.mean_to_mean(q)
        out["dense: e5 symmetric, centred"] = lambda: symmetric.centred().mean_to_mean(q)
    return out


_CACHE: dict = {}


def _cached(corpus: data.Corpus, what: str, make):
    key = (str(corpus.searcher.folder), what)
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def gate(corpus: data.Corpus) -> str:
    """What the profile head's gate decides on this corpus's index."""
    found, fusion = corpus.searcher.corpus_profiles(), Settings().fusion
    if found is None:
        return "no profile head for this model"
    threshold = fusion.profile_min_fit
    decision = "used" if found.fit >= threshold else "left out"
    return f"head {fusion.profile}: fit {found.fit:.2f}, {decision} (threshold {threshold})"


def table(corpus: data.Corpus, symmetric: v.Vectors | None) -> dict[str, Figure]:
    started = time.perf_counter()
    rows = {name: evaluate(corpus, tisser_scores(corpus, f)) for name, f in TISSER.items()}
    rows |= {name: evaluate(corpus, make()) for name, make in scorers(corpus, symmetric).items()}
    rows["best possible (ranked by the labels)"] = evaluate(corpus, label_scores(corpus))
    before = rows[next(iter(TISSER))]
    print(f"\n{corpus.name}: {corpus.size} documents, {len(corpus.queries)} queries")
    print(f"  metric: {_METRICS[corpus.metric]}; {gate(corpus)}")
    for name, figure in rows.items():
        change = (figure.value / before.value - 1) * 100
        sure = " *" if figure.surely_above(before) else ""
        print(f"  {name:60} {figure.value:.3f}  ({change:+.1f} % vs before){sure}")
    print(f"  (* ahead of before in a paired bootstrap of the queries, 95 %; {_elapsed(started)})")
    return rows


def _elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f}s"


_METRICS = {
    "share@10": "share of the 10 nearest sharing a label with the query",
    "jaccard@5": "mean label-Jaccard of the 5 nearest",
}


def main() -> None:
    require_shared_data()
    if not (data.ACTIONS.is_dir() and data.TRANSISCOPE.is_dir()):
        print("skipped: run benchmarks/search_pat.py and benchmarks/search_transiscope.py first")
        return
    transiscope, texts = data.transiscope(), data.pat_texts()
    odd = data.pat_actions(odd_results_only=True)
    odd_rows = np.flatnonzero(
        [int(d.meta["pat_id"]) % 2 == 1 for d in odd.searcher.store.documents]
    )
    figures = {}
    for corpus, rows in [
        (transiscope, None),
        (data.pat_actions(odd_results_only=False), "not measured"),
        (odd, odd_rows),
        (texts, None),
    ]:
        name = Path(corpus.searcher.folder).parent.name
        symmetric = None
        if not isinstance(rows, str):
            cache = OUT / f"{name}-query-prompt{'-odd' if rows is not None else ''}.npy"
            symmetric = v.symmetric_vectors(corpus.searcher, rows, cache)
        figures[corpus.name] = table(corpus, symmetric)
    _winners(figures)
    parent_repeats(data.france_pat_index(), odd)


def _winners(figures: dict[str, dict[str, Figure]]) -> None:
    before = next(iter(TISSER))
    measured = set.intersection(*(set(rows) for rows in figures.values()))
    candidates = sorted(measured - {before, "best possible (ranked by the labels)"})
    ahead = [n for n in candidates if all(r[n].value > r[before].value for r in figures.values())]
    sure = [n for n in ahead if all(r[n].surely_above(r[before]) for r in figures.values())]
    print(f"\nahead of `similar` (before) on every corpus: {'; '.join(ahead) or 'none'}")
    print(f"of those, surely ahead (*) on every corpus: {'; '.join(sure) or 'none'}")


if __name__ == "__main__":
    main()
