"""Re-ranking document-to-document neighbours: hubness reduction, query expansion, database-side
augmentation, k-reciprocal neighbours, measured on the labelled corpora of
benchmarks/similar_corpora.py (and Transiscope's free tags, a fourth labelling).

Every document of an index is scored against every other at the document level, from what the
index stores (no embedding): the document vectors (mean of the passages, as built) and BM25 or
TF-IDF between whole documents, fused with Tisser's weights (dense 0.4) after z-scoring each
row over the corpus; "today's sides" are `similar`'s own dense and lexical scores (best
passage) fused the same way. The re-rankings of benchmarks/reranking_variants.py then read the
whole matrix (their parameters fixed a priori). Rows: Tisser's `similar` as it ranks today
(before), TF-IDF, BM25, random, the variants; a star marks a figure ahead of `similar` in a
paired bootstrap of the queries (95 %), "vs TF-IDF" the relative change over TF-IDF cosine.

A mild prior of shared themes (the default taxonomy, tagged here from the stored vectors; its
z-score weighs a fifth) is measured the same way. Actor kinds are not: no corpus here carries
them for every document.

What it found (December 2026; `similar` before / TF-IDF / the best other row on that table):
Transiscope categories 0.408 / 0.401 / 0.430 (average query expansion, mutual z, head
whatever the gate: +7.2 % over TF-IDF); Transiscope free tags 0.190 / 0.179 / 0.191 (the
k-reciprocal ranking fused with `similar`'s by reciprocal ranks; every re-ranking alone is
behind `similar`, most of them surely: expansion and hubness reduction pull a document towards
the broad topic of its neighbourhood, which a fine tag does not share); France PAT texts
0.257 / 0.270 / 0.288 (BM25 with query expansion, +6.8 %); France PAT actions, all PATs
0.398 / 0.315 / 0.410, odd ids 0.368 / 0.295 / 0.381 (both: `similar` fused by reciprocal
ranks with query expansion and mutual z). No re-ranking is ahead on every table; the one
never surely behind that is surely ahead somewhere (`similar` fused with the k-reciprocal
ranking) gains on PAT texts alone (+6.0 %, still +1.1 % over TF-IDF there); the one surely
ahead on four tables (`similar` fused with query expansion and mutual z) is surely behind on
the free tags (-3.3 %). None reaches +8 % over TF-IDF on a corpus of a kind Tisser never
saw: `similar` keeps its ranking. (These indexes predate the measured gate, so the head
stays out of Transiscope here; a build today lets it in: 0.423, the row "head whatever the
gate".)

    python benchmarks/similar_reranking.py   (about 15 minutes; `similar`'s own rankings are
    cached in benchmarks/out/ after the first run)
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import reranking_variants as rr  # noqa: E402
from benchmarks import similar_data as data  # noqa: E402
from benchmarks import similar_variants as v  # noqa: E402
from benchmarks.common import OUT, require_shared_data  # noqa: E402
from benchmarks.similar_corpora import TISSER, Figure, evaluate, tisser_scores  # noqa: E402
from pipeline.index.annotate import Annotators  # noqa: E402
from pipeline.settings import AnnotateSettings  # noqa: E402

BEFORE = next(iter(TISSER))
NO_HEAD = "Tisser similar, no head"
TFIDF = "TF-IDF cosine (whole documents)"


class Matrices:
    """One index's documents scored against each other, every way the variants start from."""

    def __init__(self, corpus: data.Corpus):
        searcher = corpus.searcher
        stored = v.stored_vectors(searcher)
        lexical = v.Lexical(searcher)
        every = np.arange(corpus.size)
        self.dense = rr.without_self(stored.mean_to_mean(every))
        self.dense_today = rr.without_self(stored.mean_to_best_passage(every))
        self.bm25 = rr.without_self(lexical.bm25_scores(every))
        self.tfidf = rr.without_self(lexical.tfidf_cosine(every))
        self.lexical_today = rr.without_self(lexical.passage_tfidf(every))
        always = searcher.settings.with_section("fusion", profile_min_fit=0.0)
        gated, searcher.settings = searcher.settings, always
        self.profile, self.weight = v.Head(searcher, stored).scores(every)
        searcher.settings = gated
        self.gated = v.Head(searcher, stored).corpus is not None
        self.searcher, self._themes = searcher, None

    def themes(self) -> np.ndarray:
        """(n, n): the Jaccard overlap of two documents' themes, as the default taxonomy tags
        them from the stored passage vectors (the benchmark indexes were built without)."""
        if self._themes is None:
            self.searcher.retag(Annotators(AnnotateSettings(entities=False)))
            sets = [frozenset(t["id"] for t in d.themes) for d in self.searcher.store.documents]
            vocabulary = {t: i for i, t in enumerate(sorted(set().union(*sets)))}
            member = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
            for row, found in enumerate(sets):
                member[row, [vocabulary[t] for t in found]] = 1
            shared = member @ member.T
            sizes = member.sum(axis=1)
            union = sizes[:, None] + sizes[None, :] - shared
            self._themes = rr.without_self(np.where(union > 0, shared / np.maximum(union, 1), 0))
        return self._themes

    def with_themes(self, scores: np.ndarray) -> np.ndarray:
        """A mild prior: the shared themes' z-score weighs a fifth of the z-scored ``scores``."""
        return rr.without_self(rr.row_z(scores) + PRIOR * rr.row_z(self.themes()))

    def with_head(self, scores: np.ndarray, gated: bool) -> np.ndarray:
        """``scores`` z-scored again and weighed with the profile head's as Tisser's fusion
        does (the head takes its weight, the rest what it leaves), as its gate decides on
        this index or whatever the gate."""
        if gated and not self.gated:
            return scores
        w = self.weight[:, None]
        return rr.without_self((1 - w) * rr.row_z(scores) + w * rr.row_z(self.profile))


def variants(m: Matrices) -> dict:
    """Name -> a function giving the (n, n) matrix; computed when its row is printed."""
    fused = _once(lambda: rr.fused(m.dense, m.bm25))
    today = _once(lambda: rr.fused(m.dense_today, m.lexical_today))
    out = _single(m, fused, today)
    for name in HEADED:
        out[f"{name} + head (gated)"] = lambda n=name: m.with_head(out[n](), gated=True)
        out[f"{name} + head (always)"] = lambda n=name: m.with_head(out[n](), gated=False)
    for name in PRIORED:
        out[f"{name} + shared themes"] = lambda n=name: m.with_themes(out[n]())
    return out


# Variants whose ranking is also fused with `similar`'s own, by reciprocal ranks
ENSEMBLED = (
    "fused: document vectors + BM25 + head (gated)",
    "fused, query expansion (5), mutual z + head (gated)",
    "fused, k-reciprocal (20) + head (gated)",
)
PRIOR = 0.2
PRIORED = (
    "today's sides, fused over the corpus",
    "today's sides, fused over the corpus + head (gated)",
    "fused: document vectors + BM25 + head (gated)",
)
HEADED = (
    "today's sides, fused over the corpus",
    "today's sides, fused, mutual z",
    "fused: document vectors + BM25",
    "fused, each side mutual z",
    "fused, query expansion (5), mutual z",
    "fused, k-reciprocal (20)",
)


def _single(m: Matrices, fused, today) -> dict:
    return {
        "BM25 (whole documents)": lambda: m.bm25,
        "dense: document vectors": lambda: m.dense,
        "dense: document vectors, mutual z": lambda: rr.mutual_z(m.dense),
        "dense: document vectors, CSLS": lambda: rr.csls(m.dense),
        "dense: document vectors, query expansion (5)": lambda: rr.query_expansion(m.dense),
        "BM25, mutual z": lambda: rr.mutual_z(m.bm25),
        "BM25, query expansion (5)": lambda: rr.query_expansion(m.bm25),
        "TF-IDF, query expansion (5)": lambda: rr.query_expansion(m.tfidf),
        "today's sides, fused over the corpus": today,
        "today's sides, fused, mutual z": lambda: rr.mutual_z(today()),
        "today's sides, fused, query expansion (5)": lambda: rr.query_expansion(today()),
        "fused: document vectors + BM25": fused,
        "fused, mutual z": lambda: rr.mutual_z(fused()),
        "fused, CSLS (10)": lambda: rr.csls(fused()),
        "fused, each side mutual z": lambda: rr.fused(rr.mutual_z(m.dense), rr.mutual_z(m.bm25)),
        "fused, query expansion (3)": lambda: rr.query_expansion(fused(), 3),
        "fused, query expansion (5)": lambda: rr.query_expansion(fused()),
        "fused, query expansion (10)": lambda: rr.query_expansion(fused(), 10),
        "fused, database augmentation (5)": lambda: rr.database_augmentation(fused()),
        "fused, query expansion (5), mutual z": lambda: rr.mutual_z(rr.query_expansion(fused())),
        "fused, k-reciprocal (20)": lambda: rr.reciprocal(fused()),
    }


def _once(make):
    kept = []

    def get():
        if not kept:
            kept.append(make())
        return kept[0]

    return get


def table(corpus: data.Corpus, matrices: Matrices) -> dict[str, Figure]:
    started = time.perf_counter()
    q = corpus.queries
    rows = {name: evaluate(corpus, _tisser(corpus, name)) for name in TISSER}
    rows["random"] = evaluate(corpus, np.random.default_rng(0).random((len(q), corpus.size)))
    rows[TFIDF] = evaluate(corpus, matrices.tfidf[q])
    listed = _tisser(corpus, BEFORE)
    for name, make in variants(matrices).items():
        scores = make()[q]
        rows[name] = evaluate(corpus, scores)
        if name in ENSEMBLED:  # reciprocal ranks: 60, as usual
            rows[f"`similar` RRF {name}"] = evaluate(corpus, v.rrf_fusion(listed, scores))
    before, tfidf = rows[BEFORE], rows[TFIDF]
    print(f"\n{corpus.name}: {corpus.size} documents, {len(q)} queries, {corpus.metric}")
    for name, figure in rows.items():
        sure = " *" if figure.surely_above(before) else ""
        worse = " -" if before.surely_above(figure) else ""
        print(
            f"  {name:52} {figure.value:.3f}  {_change(figure, before)} vs before{sure}{worse}"
            f"  {_change(figure, tfidf)} vs TF-IDF"
        )
    print(
        f"  (* surely ahead of before, - surely behind: paired bootstrap, 95 %; "
        f"{time.perf_counter() - started:.0f}s)"
    )
    return rows


def _tisser(corpus: data.Corpus, name: str) -> np.ndarray:
    """``tisser_scores``, cached in benchmarks/out/ (a run of `similar` per query is the slow
    part; delete the cache after changing the ranking)."""
    key = hashlib.sha1(f"{corpus.name}|{name}".encode()).hexdigest()[:12]
    cache = OUT / f"similar-tisser-{key}.npy"
    if not cache.is_file():
        np.save(cache, tisser_scores(corpus, TISSER[name]))
    return np.load(cache)


def _change(figure: Figure, base: Figure) -> str:
    return f"{(figure.value / base.value - 1) * 100:+6.1f} %"


def main() -> None:
    require_shared_data()
    figures = {}
    transiscope = data.transiscope()
    shown = Matrices(transiscope)
    figures[transiscope.name] = table(transiscope, shown)
    tagged = data.transiscope_tags()
    figures[tagged.name] = table(tagged, shown)
    texts = data.pat_texts()
    figures[texts.name] = table(texts, Matrices(texts))
    actions = data.pat_actions(odd_results_only=False)
    shown = Matrices(actions)
    figures[actions.name] = table(actions, shown)
    odd = data.pat_actions(odd_results_only=True)
    odd.searcher = actions.searcher
    figures[odd.name] = table(odd, shown)
    _winners(figures)


def _winners(figures: dict[str, dict[str, Figure]]) -> None:
    names = [n for n in next(iter(figures.values())) if n != BEFORE]
    print("\nper variant, on every corpus: ahead of before / surely ahead / surely behind")
    for name in names:
        tables = figures.values()
        ahead = sum(t[name].value > t[BEFORE].value for t in tables)
        sure = sum(t[name].surely_above(t[BEFORE]) for t in tables)
        behind = sum(t[BEFORE].surely_above(t[name]) for t in tables)
        print(f"  {name:52} {ahead}/{len(figures)}  {sure}  {behind}")


if __name__ == "__main__":
    main()
