"""Lexical scoring: TF-IDF over passages, read by the one analyser of pipeline/text.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text import words


@dataclass(frozen=True)
class LexicalQuery:
    vector: sparse.csr_matrix  # one TF-IDF row
    coverage: float  # share of the query's terms the corpus knows: low for another language


class LexicalIndex:
    """TF-IDF passage matrix; rows are L2-normalised so a dot product is a cosine."""

    FILES = ("lexical.json", "lexical.npz")  # what ``save`` writes

    def __init__(self, vectorizer: TfidfVectorizer, matrix: sparse.csr_matrix):
        self.vectorizer_ = vectorizer
        self.matrix_ = matrix

    @classmethod
    def fit(cls, texts: list[str]) -> LexicalIndex:
        vectorizer = _vectorizer()
        matrix = vectorizer.fit_transform(texts).astype(np.float32).tocsr()
        return cls(vectorizer, matrix)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.vectorizer_.transform(texts).astype(np.float32).tocsr()

    def query(self, text: str) -> LexicalQuery:
        return self.queries([text])[0]

    def queries(self, texts: Sequence[str]) -> list[LexicalQuery]:
        """One query per text, transformed at once."""
        matrix = self.transform(list(texts))
        return [LexicalQuery(matrix[i], self._coverage(t)) for i, t in enumerate(texts)]

    def scores(self, query: LexicalQuery, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of the query against every passage, or against ``rows`` only."""
        matrix = self.matrix_ if rows is None else self.matrix_[rows]
        return np.asarray((matrix @ query.vector.T).todense()).ravel()

    def scores_of_many(self, queries: Sequence[LexicalQuery]) -> np.ndarray:
        """(passages, queries): the cosine of each query against every passage."""
        stacked = sparse.vstack([q.vector for q in queries], format="csr")
        return np.asarray((self.matrix_ @ stacked.T).todense())

    def _coverage(self, text: str) -> float:
        terms = words(text)
        known = sum(t in self.vectorizer_.vocabulary_ for t in terms)
        return known / len(terms) if terms else 0.0

    def save(self, folder: Path) -> list[str]:
        vocabulary = {t: int(i) for t, i in self.vectorizer_.vocabulary_.items()}
        meta = {"vocabulary": vocabulary, "idf": self.vectorizer_.idf_.tolist()}
        (folder / "lexical.json").write_text(json.dumps(meta, ensure_ascii=False))
        sparse.save_npz(folder / "lexical.npz", self.matrix_, compressed=False)
        return ["lexical.json", "lexical.npz"]

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta = json.loads((folder / "lexical.json").read_text())
        vectorizer = _vectorizer(vocabulary=meta["vocabulary"])
        vectorizer.idf_ = np.asarray(meta["idf"], dtype=np.float64)
        return cls(vectorizer, sparse.load_npz(folder / "lexical.npz").tocsr())


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=words, vocabulary=vocabulary, sublinear_tf=True, dtype=np.float32
    )
