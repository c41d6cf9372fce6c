"""Tisser's ranking: candidate passages from the vector and lexical indexes, their scores fused
(with the profile score where a head takes part), and the best passage per document.

A document whose meta names a parent (a France PAT action, whose parent is its PAT) speaks for
itself: its passages do not count for the parent too, which would list the parent right after
it on the very same passage and score (a repeat, not a second result). The parent is ranked by
its own text.

Search (``Searcher.rank``), the benchmarks and ``scripts/train_profile.py`` all rank through
``Ranking``: one implementation of what "the results of a query" means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..embed.heads import CorpusProfiles
from ..index import LexicalIndex, LexicalQuery, VectorIndex
from ..settings import FusionSettings
from .fusion import best_per_document, fuse
from .profile import profile_scores


@dataclass(frozen=True)
class Candidates:
    """The passages a query is scored against, with their dense and lexical scores."""

    rows: np.ndarray  # passage rows
    dense: np.ndarray  # cosine of each with the query vector
    lexical: np.ndarray | None  # TF-IDF cosine; None when fusion is off
    coverage: float  # share of the query's terms the corpus knows


@dataclass(frozen=True)
class Ranked:
    """Documents best first, their score, and the passage row that gave it."""

    docs: np.ndarray
    scores: np.ndarray
    rows: np.ndarray


class Ranking:
    """Ranks the documents of one set of passages: ``passage_doc[i]`` is the document row of
    passage i (row i of ``vectors`` and ``lexical``), ``parent[d]`` the row of document d's
    parent, or -1."""

    def __init__(
        self,
        vectors: VectorIndex,
        lexical: LexicalIndex,
        passage_doc: np.ndarray,
        parent: np.ndarray | None = None,
    ):
        self.vectors = vectors
        self.lexical = lexical
        self.passage_doc = passage_doc
        count = int(passage_doc.max()) + 1 if passage_doc.size else 0
        self.parent = parent if parent is not None else np.full(count, -1, dtype=np.int32)

    def candidates(
        self,
        dense: np.ndarray,
        lexical: LexicalQuery,
        fusion: FusionSettings,
        allowed: np.ndarray | None = None,
    ) -> Candidates:
        """The best ``fusion.candidates`` passages by each score, or by both when ``allowed``
        (passage rows a filter keeps) is given; lexical ones only where fusion is on."""
        if allowed is None:
            return self.candidates_of_many(dense[None, :], [lexical], fusion)[0]
        rows = allowed  # filtered: score the allowed passages exactly
        n = fusion.candidates
        if allowed.size > n:
            dense_scores = np.asarray(self.vectors.vectors_[allowed]) @ dense
            lexical_scores = self.lexical.scores(lexical, allowed)
            rows = np.union1d(allowed[top(dense_scores, n)], allowed[top(lexical_scores, n)])
        return self._scored(np.asarray(rows), dense, lexical, fusion)

    def candidates_of_many(
        self, dense: np.ndarray, lexical: Sequence[LexicalQuery], fusion: FusionSettings
    ) -> list[Candidates]:
        """``candidates`` of each row of ``dense`` with its ``lexical`` query, unfiltered:
        the vector and lexical indexes are searched once for all of them."""
        n = fusion.candidates
        _, found = self.vectors.search(dense, n)
        by_words = self.lexical.scores_of_many(lexical) if fusion.enabled else None
        out = []
        for i, query in enumerate(lexical):
            rows = found[i][found[i] >= 0]
            if by_words is not None:
                best = top(by_words[:, i], n)
                rows = np.union1d(rows, best[by_words[best, i] > 0])
            out.append(self._scored(rows, dense[i], query, fusion))
        return out

    def _scored(
        self, rows: np.ndarray, dense: np.ndarray, lexical: LexicalQuery, fusion: FusionSettings
    ) -> Candidates:
        rows = rows.astype(np.int64)
        scores = np.asarray(self.vectors.vectors_[rows]) @ dense
        by_words = self.lexical.scores(lexical, rows) if fusion.enabled and rows.size else None
        return Candidates(rows, scores, by_words, lexical.coverage)

    def rank(
        self,
        query: np.ndarray,
        candidates: Candidates,
        fusion: FusionSettings,
        profiles: CorpusProfiles | None = None,
        exclude: int | None = None,
    ) -> Ranked:
        """Fuse the candidates' scores and keep each document's best passage.

        ``query`` is the query vector (the profile head reads it); ``exclude`` is a document
        that must not come back, nor its children (a PAT's own actions are not "like" it)."""
        rows, scores = candidates.rows, candidates.dense
        docs = self.passage_doc[rows]
        if fusion.enabled:
            profile, weight = profile_scores(profiles, query, docs, fusion)
            scores = fuse(
                candidates.dense,
                candidates.lexical,
                fusion.dense_weight,
                candidates.coverage,
                profile,
                weight,
            )
        if exclude is not None:
            keep = (docs != exclude) & (self.parent[docs] != exclude)
            docs, rows, scores = docs[keep], rows[keep], scores[keep]
        return Ranked(*best_per_document(docs, rows, scores))


def top(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` highest ``scores`` (all of them when there are fewer)."""
    if scores.size <= n:
        return np.arange(scores.size)
    return np.argpartition(-scores, n)[:n]
