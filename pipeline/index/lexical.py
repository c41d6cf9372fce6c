"""Lexical scoring: TF-IDF over passages, read by the one analyser of pipeline/text.py."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..text import words

if TYPE_CHECKING:  # scipy loads with the first query: `search.py --help` does not wait for it
    from scipy import sparse


@dataclass(frozen=True)
class LexicalQuery:
    vector: sparse.csr_matrix  # one TF-IDF row
    coverage: float  # share of the query's terms the corpus knows: low for another language


class LexicalIndex:
    """TF-IDF passage matrix; rows are L2-normalised so a dot product is a cosine.

    Fitted by scikit-learn's ``TfidfVectorizer`` (sublinear tf, smoothed idf, the analyser of
    pipeline/text.py); a query is weighted here with the vocabulary and idf it learned, as its
    ``transform`` does, so that searching never imports scikit-learn (seconds at each start).
    """

    FILES = ("lexical.json", "lexical.npz")  # what ``save`` writes

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, matrix: sparse.csr_matrix):
        self.vocabulary_ = vocabulary
        self.idf_ = idf
        self.matrix_ = matrix

    @classmethod
    def fit(cls, texts: list[str]) -> LexicalIndex:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True, dtype=np.float32)
        matrix = vectorizer.fit_transform(texts).astype(np.float32).tocsr()
        vocabulary = {t: int(i) for t, i in vectorizer.vocabulary_.items()}
        return cls(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64), matrix)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TF-IDF rows of ``texts``: 1 + log(count), times idf, L2-normalised."""
        from scipy import sparse

        columns, counts, starts = [], [], [0]
        for text in texts:
            found = Counter(self.vocabulary_[t] for t in words(text) if t in self.vocabulary_)
            for column in sorted(found):
                columns.append(column)
                counts.append(found[column])
            starts.append(len(columns))
        indices = np.asarray(columns, dtype=np.int32)
        data = np.log(np.asarray(counts, dtype=np.float32)) + np.float32(1.0)
        data *= self.idf_[indices]
        indptr = np.asarray(starts, dtype=np.int32)
        squares = np.zeros(len(texts), dtype=np.float64)
        np.add.at(squares, np.repeat(np.arange(len(texts)), np.diff(indptr)), data**2.0)
        norms = np.sqrt(squares)
        norms[norms == 0.0] = 1.0  # an empty row stays empty
        # divided in float64, as scikit-learn does
        data = (data / np.repeat(norms, np.diff(indptr))).astype(np.float32)
        shape = (len(texts), len(self.idf_))
        return sparse.csr_matrix((data, indices, indptr), shape=shape, dtype=np.float32)

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
        from scipy import sparse

        stacked = sparse.vstack([q.vector for q in queries], format="csr")
        return np.asarray((self.matrix_ @ stacked.T).todense())

    def _coverage(self, text: str) -> float:
        terms = words(text)
        known = sum(t in self.vocabulary_ for t in terms)
        return known / len(terms) if terms else 0.0

    def save(self, folder: Path) -> list[str]:
        from scipy import sparse

        meta = {"vocabulary": self.vocabulary_, "idf": self.idf_.tolist()}
        meta_file, matrix_file = self.FILES
        (folder / meta_file).write_text(json.dumps(meta, ensure_ascii=False))
        sparse.save_npz(folder / matrix_file, self.matrix_, compressed=False)
        return list(self.FILES)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        from scipy import sparse

        meta_file, matrix_file = cls.FILES
        meta = json.loads((folder / meta_file).read_text())
        idf = np.asarray(meta["idf"], dtype=np.float64)
        return cls(meta["vocabulary"], idf, sparse.load_npz(folder / matrix_file).tocsr())
