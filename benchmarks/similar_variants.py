"""Document-to-document scorers for benchmarks/similar_corpora.py, from what an index stores.

Each scorer gives a (queries, documents) score matrix; higher is closer. Dense scorers read the
stored passage vectors ("passage: " prompts, as built) or the same passages embedded again
with e5's "query: " prompt (its symmetric use); lexical scorers read the documents' title and
text with Tisser's analyser (pipeline/text.py). Fusions combine two matrices per query over
the whole corpus: z-scores (dense weight 0.4, Tisser's default, not tuned here) or reciprocal
ranks (k = 60, the usual constant).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.embed import mean_vectors
from pipeline.embed.heads import certainties
from pipeline.embed.passages import embedding_input
from pipeline.index import LexicalIndex
from pipeline.search import Searcher
from pipeline.text import words

DENSE_WEIGHT = 0.4
RRF_K = 60


def normalised(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


class Vectors:
    """One corpus's passage vectors and the document vectors pooled from them."""

    def __init__(self, passages: np.ndarray, passage_doc: np.ndarray, count: int):
        self.passages = np.asarray(passages, dtype=np.float32)
        self.passage_doc = passage_doc
        self.documents = mean_vectors(self.passages, passage_doc, count)
        # passage rows are grouped by document: the first row of each, for per-document maxima
        self.starts = np.searchsorted(passage_doc, np.arange(count))

    def mean_to_mean(self, queries: np.ndarray) -> np.ndarray:
        return self.documents[queries] @ self.documents.T

    def mean_to_best_passage(self, queries: np.ndarray) -> np.ndarray:
        """Today's dense side of `similar`: the query's document vector against every
        passage, each document scored by its best passage."""
        return self._best_per_document(self.documents[queries] @ self.passages.T)

    def best_passage_pair(self, queries: np.ndarray) -> np.ndarray:
        """The best cosine between any passage of the query and any passage of a document."""
        out = np.empty((len(queries), len(self.starts)), dtype=np.float32)
        for i, q in enumerate(queries):
            own = self.passages[self.passage_doc == q]
            out[i] = self._best_per_document((own @ self.passages.T).max(axis=0)[None, :])[0]
        return out

    def centred(self) -> Vectors:
        """The same corpus with its mean document vector removed from every passage."""
        return self._mapped(lambda v: v - self.documents.mean(axis=0))

    def whitened(self, dims: int | None = None) -> Vectors:
        """Centred, then rotated and scaled so that the document vectors' covariance is the
        identity (on their ``dims`` main directions)."""
        mean = self.documents.mean(axis=0)
        values, axes = np.linalg.eigh(np.cov((self.documents - mean).T))
        order = np.argsort(values)[::-1][: dims or len(values)]
        values, axes = np.maximum(values[order], values.max() * 1e-6), axes[:, order]
        return self._mapped(lambda v: (v - mean) @ (axes / np.sqrt(values)))

    def _mapped(self, transform) -> Vectors:
        return Vectors(normalised(transform(self.passages)), self.passage_doc, len(self.starts))

    def _best_per_document(self, scores: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(scores, self.starts, axis=1)


def stored_vectors(searcher: Searcher) -> Vectors:
    return Vectors(
        searcher.vectors.vectors_, searcher.store.passages.doc, len(searcher.store.documents)
    )


def symmetric_vectors(searcher: Searcher, rows: np.ndarray | None, cache) -> Vectors:
    """The index's passages embedded with e5's "query: " prompt, as its model card advises
    for text-to-text similarity; only those of the documents ``rows`` when given (the others
    keep zero vectors and must not be counted). Cached in ``cache`` (.npy)."""
    store = searcher.store
    wanted = np.arange(len(store.passages)) if rows is None else store.passages.rows_of(rows)
    if cache.is_file():
        passages = np.load(cache)
    else:
        texts = [
            embedding_input(store.documents[store.passages.doc[p]].title, store.passage_text(p))
            for p in wanted
        ]
        passages = np.zeros((len(store.passages), searcher.manifest.dim), dtype=np.float32)
        passages[wanted] = searcher.embedder.embed_queries(texts)
        np.save(cache, passages)
    return Vectors(passages, store.passages.doc, len(store.documents))


class Lexical:
    """Whole documents (title and text) as bags of Tisser's analysed words."""

    def __init__(self, searcher: Searcher):
        texts = [f"{d.title}\n{d.text}" for d in searcher.store.documents]
        self.tfidf = LexicalIndex.fit(texts).matrix_
        counts = CountVectorizer(analyzer=words, dtype=np.float32).fit_transform(texts).tocsr()
        self.bm25 = _bm25_weights(counts)
        self.terms = (counts > 0).astype(np.float32).tocsr()
        self.passage_lexical = searcher.lexical
        self.starts = np.searchsorted(searcher.store.passages.doc, np.arange(len(texts)))
        self.texts = texts

    def tfidf_cosine(self, queries: np.ndarray) -> np.ndarray:
        return (self.tfidf[queries] @ self.tfidf.T).toarray()

    def bm25_scores(self, queries: np.ndarray) -> np.ndarray:
        """BM25 (k1 1.2, b 0.75) of each document for the query document's distinct words."""
        return (self.terms[queries] @ self.bm25.T).toarray()

    def passage_tfidf(self, queries: np.ndarray) -> np.ndarray:
        """Today's lexical side of `similar`: the query document against every passage's
        TF-IDF, each document scored by its best passage."""
        found = self.passage_lexical.queries([self.texts[q] for q in queries])
        scores = self.passage_lexical.scores_of_many(found).T
        return np.maximum.reduceat(scores, self.starts, axis=1)


def _bm25_weights(counts: sparse.csr_matrix, k1: float = 1.2, b: float = 0.75):
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    norm = k1 * (1 - b + b * lengths / lengths.mean())
    weights = counts.copy()
    tf = weights.data
    rows = np.repeat(np.arange(n), np.diff(weights.indptr))
    weights.data = idf[weights.indices] * tf * (k1 + 1) / (tf + norm[rows])
    return weights


def zscore_fusion(dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    return DENSE_WEIGHT * _zscores(dense) + (1 - DENSE_WEIGHT) * _zscores(lexical)


class Head:
    """The profile head as `similar` reads it (pipeline/search/profile.py): for each query
    document (its stored vector), the chance that each document carries its label, and the
    score's weight (the setting times the head's certainty); nothing where the gate keeps the
    head out of this index."""

    def __init__(self, searcher: Searcher, stored: Vectors):
        self.corpus = searcher.corpus_profiles()
        self.fusion = searcher.settings.fusion
        self.stored = stored
        if self.corpus is not None and self.corpus.fit < self.fusion.profile_min_fit:
            self.corpus = None

    def scores(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.corpus is None:
            return np.zeros((len(queries), len(self.stored.starts))), np.zeros(len(queries))
        wanted = self.corpus.head.probabilities(self.stored.documents[queries])
        certainty = certainties(wanted)
        return wanted @ self.corpus.profiles.T, self.fusion.profile_weight * certainty


def head_fusion(dense: np.ndarray, lexical: np.ndarray, head: tuple) -> np.ndarray:
    """``zscore_fusion`` with the head's score weighed in as Tisser's fusion does
    (pipeline/search/fusion.py: dense and lexical share what the head leaves)."""
    profile, weight = head
    rest = (1 - weight)[:, None]
    fused = rest * zscore_fusion(dense, lexical) + weight[:, None] * _zscores(profile)
    return fused


def rrf_fusion(dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    return 1 / (RRF_K + _ranks(dense)) + 1 / (RRF_K + _ranks(lexical))


def _zscores(scores: np.ndarray) -> np.ndarray:
    spread = np.maximum(scores.std(axis=1, keepdims=True), 1e-9)
    return (scores - scores.mean(axis=1, keepdims=True)) / spread


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1 for the best of each row."""
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[1] + 1)[None, :], axis=1)
    return ranks
