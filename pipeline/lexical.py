"""Lexical scoring: TF-IDF over passages, with French accents, elisions and stop words handled."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import fold

_WORD = re.compile(r"[a-z0-9]+")
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def _stop_words() -> frozenset[str]:
    # A copy of spaCy's lists: importing spacy.lang.fr costs seconds at every start.
    lines = (Path(__file__).parent / "data" / "stopwords.txt").read_text().splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


_STOP = _stop_words()


def _stem(word: str) -> str:
    # Folding plurals is most of what French stemming buys for retrieval ("filières", "filière").
    if len(word) > 4 and word[-1] in "sx":
        return word[:-1]
    return word


def analyse(text: str) -> list[str]:
    """Terms of ``text``: elisions cut, folded, stop words and 1-letter tokens dropped."""
    words = _WORD.findall(fold(_ELISION.sub(" ", text)))
    return [_stem(w) for w in words if len(w) > 1 and w not in _STOP]


@dataclass(frozen=True)
class LexicalQuery:
    vector: sparse.csr_matrix  # one TF-IDF row
    coverage: float  # share of the query's terms the corpus knows: low for another language


class LexicalIndex:
    """TF-IDF passage matrix; rows are L2-normalised so a dot product is a cosine."""

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
        terms = analyse(text)
        known = sum(t in self.vectorizer_.vocabulary_ for t in terms)
        return LexicalQuery(self.transform([text]), known / len(terms) if terms else 0.0)

    def scores(self, query: LexicalQuery, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of the query against every passage, or against ``rows`` only."""
        matrix = self.matrix_ if rows is None else self.matrix_[rows]
        return np.asarray((matrix @ query.vector.T).todense()).ravel()

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
        analyzer=analyse, vocabulary=vocabulary, sublinear_tf=True, dtype=np.float32
    )
