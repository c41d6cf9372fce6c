"""Learn the default profile head (pipeline/embed/heads.py) from France PAT actions, even ids only.

    python scripts/train_profile.py [--model multilingual-e5-small]

Each action (name and description over 100 characters, as benchmarks/search_pat.py reads them)
is labelled by its PAT team with one of 45 sub-categories. The head is a multinomial logistic
regression on the mean of an action's passage vectors. Only PATs with an even id are read for
learning and choosing; odd ids are left for benchmarks/search_pat.py to report on.

Choosing (regularisation C, class weighting, the profile weight in the fusion; the weight is
multiplied by the head's certainty about each query, as search does) uses two criteria:

- gain, by cross-fitting on even ids: learn on PATs with id ≡ 0 (mod 4), search with 300
  actions of PATs ≡ 2 (mod 4) among the even-id actions, and the reverse; the score is the
  share of same sub-category actions among the top 10 results from other PATs, ranked by
  Tisser's own fusion;
- no harm elsewhere: on the Transiscope export, a corpus of another kind, the share of the top
  10 results sharing a category with the query item (its categories serve only this guard)
  must not fall below what search gives without a profile.

The best gain that passes the guard is kept. Passage vectors come from the benchmark indexes
(benchmarks/out/, built when absent: ~20 min on 2 cores). Writes
pipeline/data/profiles/france-pat-subcategories.npz.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import OUT, require_shared_data  # noqa: E402
from benchmarks.search_pat import load_actions  # noqa: E402
from pipeline.documents import Document  # noqa: E402
from pipeline.embed import make_embedder, mean_vectors  # noqa: E402
from pipeline.embed.heads import (  # noqa: E402
    DEFAULT_PROFILE,
    PROFILES,
    CorpusProfiles,
    ProfileHead,
    certainties,
)
from pipeline.index import LexicalIndex, VectorIndex, commit  # noqa: E402
from pipeline.search import Candidates, Ranking, Searcher  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.sources import iter_records  # noqa: E402

CS = (10.0, 30.0, 100.0)  # 1 and 3 were compared too: far below on both criteria
CLASS_WEIGHTS = ("balanced", None)
PROFILE_WEIGHTS = (0.35, 0.5, 0.65, 0.8, 1.0)
QUERIES = 300
FOLDS = ((0, 2), (2, 0))  # (learn on ids ≡, ask with ids ≡) mod 4
# Search's fusion settings, with a head forced in (the guard, not the fit, decides here).
FUSION = replace(Settings().fusion, profile_min_fit=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=Settings().embed.model)
    parser.add_argument("--out", type=Path, default=PROFILES / f"{DEFAULT_PROFILE}.npz")
    args = parser.parse_args()
    data = require_shared_data()

    settings = Settings().with_section("embed", model=args.model)
    embedder = make_embedder(settings.embed)
    actions = load_actions(data / "pat")
    suffix = args.model.replace("/", "_")
    searcher = _index(actions, OUT / f"pat-actions-{suffix}", settings, embedder)
    even = [i for i, a in enumerate(actions) if int(a.meta["pat_id"]) % 2 == 0]
    pats = np.array([int(actions[i].meta["pat_id"]) for i in even])
    pat = Pool(searcher, even, [{actions[i].meta["subcategory"]} for i in even], pats)
    print(f"{len(even)} even-id actions, {pat.vectors.shape[0]} passages")

    items = [r for r in iter_records([data / "transiscope"]) if isinstance(r, Document)]
    other = _index(items, OUT / f"transiscope-{suffix}", settings, embedder)
    every = list(range(len(other.store.documents)))
    categories = [set(d.meta.get("categories") or ()) for d in other.store.documents]
    guard = Pool(other, every, categories, np.arange(len(every)))
    labelled = [i for i in every if categories[i]]  # the queries; every item is a result
    guard_queries = guard.queries(embedder, labelled)

    folds = [(pat.where(learn), pat.queries(embedder, pat.sample(ask))) for learn, ask in FOLDS]
    no_gain = np.mean([pat.quality(queries, None, 0.0) for _, queries in folds])
    no_harm = guard.quality(guard_queries, None, 0.0)
    print(f"\nsame label in the top 10: gain = PAT cross-fitting on even ids ({QUERIES} queries "
          f"per fold), guard = Transiscope ({len(labelled)} queries)")  # fmt: skip
    print(f"  {'no profile (dense + lexical)':38} gain {no_gain:.3f}  guard {no_harm:.3f}")
    results, finals, crossed = {}, {}, {}
    for c, weight in itertools.product(CS, CLASS_WEIGHTS):
        heads = crossed[(c, weight)] = [pat.fit(train, c, weight, args.model) for train, _ in folds]
        final = finals[(c, weight)] = pat.fit(np.arange(len(even)), c, weight, args.model)
        for pw in PROFILE_WEIGHTS:
            gain = np.mean([pat.quality(q, h, pw) for h, (_, q) in zip(heads, folds)])
            results[(c, weight, pw)] = (gain, guard.quality(guard_queries, final, pw))
        row = "  ".join(
            "w={} {:.3f}/{:.3f}".format(pw, *results[(c, weight, pw)]) for pw in PROFILE_WEIGHTS
        )
        print(f"  C={c:<5} class_weight={str(weight):9} {row}", flush=True)
    passing = [k for k, (_, harm) in results.items() if harm >= no_harm]
    if not passing:
        print("no setting passes the guard: keep the profile off (profile = None)")
        return
    best = max(passing, key=lambda k: results[k][0])
    c, weight, pw = best
    gain, harm = results[best]
    print(f"chosen: C={c}, class_weight={weight}, profile_weight={pw} (gain {gain:.3f}, "
          f"guard {harm:.3f})")  # fmt: skip

    # The certainty a head has about actions it did not learn from, measured by cross-fitting:
    # a corpus of that kind then fits about 1 (pipeline/embed/heads.py, ProfileHead.fit_to).
    reference = np.mean(
        [
            certainties(h.probabilities(pat.doc_vectors[pat.where(ask)])).mean()
            for h, (_, ask) in zip(crossed[(c, weight)], FOLDS)
        ]
    )
    head = replace(
        finals[(c, weight)],
        about=f"{len(even)} actions of France PAT projects with an even id (export of July 2025, "
        f"data.gouv.fr), 45 sub-categories; logistic regression C={c}, class_weight={weight}; "
        f"profile_weight {pw} chosen by scripts/train_profile.py",
        reference=float(reference),
    )
    other_fit = head.fit_to(head.probabilities(guard.doc_vectors))
    print(f"certainty about unseen even-id actions (the reference) {reference:.3f}; fit of the "
          f"learned actions {head.fit_to(head.probabilities(pat.doc_vectors)):.2f}, of "
          f"Transiscope {other_fit:.2f}")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    head.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB); set profile_weight "
          f"to {pw} in pipeline/settings.py if it changed")  # fmt: skip


def _index(documents, folder: Path, settings: Settings, embedder) -> Searcher:
    commit(documents, folder, settings, embedder)  # embeds only what the index lacks
    return Searcher.open(folder, embedder=embedder)


@dataclass(frozen=True)
class Query:
    row: int
    vector: np.ndarray
    candidates: Candidates  # as search takes them, with their dense and lexical scores


class Pool:
    """Documents with label sets and groups (results of the query's own group do not count),
    ranked by Tisser's own ranking (pipeline/search/ranking.py) restricted to them."""

    def __init__(self, searcher: Searcher, rows: list[int], labels: list[set], groups):
        self.labels = labels
        self.groups = np.asarray(groups)
        self.texts = [searcher.store.documents[r].text for r in rows]
        local = {row: k for k, row in enumerate(rows)}
        doc = searcher.store.passages.doc
        passage_rows = np.flatnonzero(np.isin(doc, rows))
        passage_doc = np.array([local[int(d)] for d in doc[passage_rows]])
        self.vectors = np.asarray(searcher.vectors.vectors_)[passage_rows]
        lexical = LexicalIndex.fit([searcher.store.passage_text(int(r)) for r in passage_rows])
        vectors = VectorIndex.build(self.vectors, exact_below=len(self.vectors) + 1)  # exact
        self.ranking = Ranking(vectors, lexical, passage_doc)
        self.doc_vectors = mean_vectors(self.vectors, passage_doc, len(rows))
        self.single = np.array([next(iter(x)) if len(x) == 1 else "" for x in labels])

    def where(self, residue: int) -> np.ndarray:
        return np.flatnonzero(self.groups % 4 == residue)

    def sample(self, residue: int) -> list[int]:
        return sorted(random.Random(20250710).sample(list(self.where(residue)), QUERIES))

    def queries(self, embedder, rows) -> list[Query]:
        """Each query's candidates and their dense and lexical scores: what does not depend
        on the head, computed once for the whole grid."""
        texts = [self.texts[r] for r in rows]
        vectors = embedder.embed_queries(texts)
        return [
            Query(
                row,
                vector,
                self.ranking.candidates(vector, self.ranking.lexical.query(text), FUSION),
            )
            for row, vector, text in zip(rows, vectors, texts, strict=True)
        ]

    def fit(self, train: np.ndarray, c: float, weight, model_id: str) -> ProfileHead:
        model = LogisticRegression(C=c, class_weight=weight, max_iter=5000)
        model.fit(self.doc_vectors[train], self.single[train])
        return ProfileHead(
            tuple(model.classes_),
            model.coef_.astype(np.float32),
            model.intercept_.astype(np.float32),
            model_id,
        )

    def quality(self, queries: list[Query], head: ProfileHead | None, weight: float) -> float:
        corpus = head and CorpusProfiles(head, head.probabilities(self.doc_vectors), 1.0)
        fusion = replace(FUSION, profile_weight=weight)
        hits = total = 0
        for q in queries:
            ranked = self.ranking.rank(q.vector, q.candidates, fusion, corpus)
            others = [d for d in ranked.docs if self.groups[d] != self.groups[q.row]][:10]
            hits += sum(bool(self.labels[d] & self.labels[q.row]) for d in others)
            total += len(others)
        return hits / max(total, 1)


if __name__ == "__main__":
    main()
