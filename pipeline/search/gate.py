"""The profile head's gate, measured: a corpus whose editors labelled its documents keeps the
head only if the head brings each document's neighbours closer to its labels.

At build, where documents carry their editors' labels (the first of ``LABEL_KEYS`` found:
GoGoCarto categories, France PAT sub-categories, front-matter tags), up to ``QUERIES`` labelled
documents, evenly spaced through the index (the same ones at every build of the same corpus),
each ask for their nearest labelled others as `similar` ranks them, with the head and without
it. Each of the 10 nearest scores its label overlap with the query (shared labels over all
their labels: 1 or 0 where documents have one label each, so the measure is then the share of
same-label neighbours). The head stays when that overlap is higher with it in 97.5 % of paired
bootstrap draws of the queries (a one-sided 95 % interval above zero): a corpus gains from the
head, measured, or the head stays out. Where there is nothing to measure (fewer than
``MIN_LABELLED`` labelled documents, or one label for all), the fit rule decides, as it always
has (pipeline/embed/heads.py): it keeps the head out of corpora unlike the texts it learned
from, where it was seen to misread queries (the seed), and in on corpora of that kind.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from ..embed import mean_vector
from ..embed.heads import CorpusProfiles
from ..index import DocumentStore, LexicalIndex, VectorIndex
from ..settings import FusionSettings
from .ranking import Ranking

LABEL_KEYS = ("categories", "subcategory", "tags")
QUERIES = 1000
TOP = 10  # neighbours scored per query
MIN_LABELLED = 20  # fewer labelled documents than this: nothing to measure
_DEPTH = 50  # results ranked per query, before the unlabelled ones are dropped
_DRAWS = 2000
_BLOCK = 256  # queries whose candidates are searched at once


@dataclass(frozen=True)
class GateMeasure:
    """What the build measured: the label overlap of the ``TOP`` nearest, without and with the
    head, over ``queries`` labelled documents; ``used`` when the gain is sure."""

    labels: str  # the metadata key read
    queries: int
    without: float
    with_head: float
    used: bool
    seconds: float = 0.0  # what measuring took, at build

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gate_of_build(
    vectors: VectorIndex,
    lexical: LexicalIndex,
    store: DocumentStore,
    corpus: CorpusProfiles,
    fusion: FusionSettings,
) -> dict | None:
    """``measure_gate`` over an index being built (``index.commit``'s ``gate``), as the
    manifest keeps it: with the head's name."""
    started = time.perf_counter()
    ranking = Ranking(vectors, lexical, store.passages.doc, store.parent)
    measured = measure_gate(ranking, store, lexical, corpus, fusion)
    if measured is None:
        return None
    seconds = round(time.perf_counter() - started, 1)
    return {"profile": fusion.profile, **replace(measured, seconds=seconds).to_dict()}


def editor_labels(
    store: DocumentStore, keys: tuple[str, ...] = LABEL_KEYS
) -> tuple[list[frozenset[str]], str | None]:
    """Each document's labels: the values of the first of ``keys`` that the documents carry
    (one classification: an editor's categories and free tags are different vocabularies),
    and that key."""
    for key in keys:
        labels = [_values(doc.meta.get(key)) for doc in store.documents]
        if any(labels):
            return labels, key
    return [frozenset()] * len(store.documents), None


def _values(value: Any) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(str(v).strip() for v in items if str(v).strip())


def measure_gate(
    ranking: Ranking,
    store: DocumentStore,
    lexical: LexicalIndex,
    corpus: CorpusProfiles,
    fusion: FusionSettings,
    keys: tuple[str, ...] = LABEL_KEYS,
) -> GateMeasure | None:
    """The head ``corpus`` measured on the index's own labels (the metadata ``keys``); None
    when there is nothing to measure (too few labelled documents, a single label, or no
    fusion of scores)."""
    labels, key = editor_labels(store, keys)
    labelled = np.flatnonzero([bool(s) for s in labels])
    if not fusion.enabled or labelled.size < MIN_LABELLED or len(set().union(*labels)) < 2:
        return None
    queries = labelled[np.linspace(0, labelled.size - 1, min(QUERIES, labelled.size)).astype(int)]
    scores = np.concatenate(
        [
            _scores(
                ranking, store, lexical, corpus, fusion, labels, queries[start : start + _BLOCK]
            )
            for start in range(0, len(queries), _BLOCK)
        ],
        axis=1,
    )
    without, with_head = scores.mean(axis=1)
    return GateMeasure(key, len(queries), float(without), float(with_head), surely_gains(*scores))


def _scores(ranking, store, lexical, corpus, fusion, labels, queries) -> np.ndarray:
    """(2, queries): each query's mean label overlap with its ``TOP`` nearest labelled
    others, without the head (row 0) and with it (row 1)."""
    vectors = ranking.vectors.vectors_
    dense = np.stack([mean_vector(vectors[ranking.passage_doc == q]) for q in queries])
    words = lexical.queries(
        [f"{store.documents[q].title}\n{store.documents[q].text}" for q in queries]
    )
    forced = replace(fusion, profile_min_fit=0.0)  # measured whatever the fit
    scores = np.zeros((2, len(queries)))
    for i, candidates in enumerate(ranking.candidates_of_many(dense, words, fusion)):
        q = int(queries[i])
        for j, profiles in enumerate((None, corpus)):
            ranked = ranking.rank(dense[i], candidates, forced, profiles, exclude=q)
            near = [d for d in ranked.docs[:_DEPTH] if labels[d]][:TOP]
            scores[j, i] = np.mean([_jaccard(labels[d], labels[q]) for d in near]) if near else 0
    return scores


def _jaccard(a: frozenset, b: frozenset) -> float:
    """Shared labels over all labels of the two: 1 or 0 where each has one label."""
    return len(a & b) / len(a | b)


def surely_gains(before: np.ndarray, after: np.ndarray) -> bool:
    """Whether the mean of ``after`` (a score per query) beats that of ``before`` in 97.5 % of
    paired bootstrap draws of the queries (a one-sided 95 % interval above zero)."""
    gain = np.asarray(after) - np.asarray(before)
    picks = np.random.default_rng(0).integers(0, gain.size, size=(_DRAWS, gain.size))
    return bool(np.quantile(gain[picks].mean(axis=1), 0.025) > 0)
