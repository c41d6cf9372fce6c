"""What the supervised tagger reads of a text: TF-IDF terms and the text's embedding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..passages import split_passages
from .cues import fold

_WORD = re.compile(r"[a-z0-9]+")
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_PASSAGE_TOKENS = 200


@dataclass(frozen=True)
class FeatureSettings:
    """Recorded in the tagger's manifest; a loaded tagger reads texts the same way."""

    embeddings: bool = True  # the embedder's document vector
    lexical: bool = True  # TF-IDF of words and word pairs
    embedding_share: float = 0.5  # weight of the vector model's probabilities, with both
    # The first line (a document's title, as Tisser writes them) again as a block of its own,
    # scaled by this: a title names what the text is about. 0 leaves it out.
    title_weight: float = 0.5
    # TF-IDF of character 3-5-grams too; off: it did not help in cross-validation on PAT actions
    char_ngrams: bool = False
    min_df: int = 2
    C: float = 10.0  # inverse regularisation of the logistic regressions
    vector_C: float | None = None  # of the vector model only, when it differs from C
    class_weight: str | None = "balanced"  # rare labels count as much as frequent ones


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS)


_STOP = _stop_words()


def terms(text: str) -> list[str]:
    """Words and adjacent word pairs: folded, elisions cut, stop words out, plurals folded."""
    words = [
        w[:-1] if len(w) > 4 and w[-1] in "sx" else w
        for w in _WORD.findall(fold(_ELISION.sub(" ", text)))
        if len(w) > 1 and w not in _STOP
    ]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def title_terms(text: str) -> list[str]:
    """Terms of the first non-empty line."""
    return terms(next((line for line in text.splitlines() if line.strip()), ""))


def make_vectorizers(settings: FeatureSettings) -> list[TfidfVectorizer]:
    """The TF-IDF blocks, words first (evidence reads its columns); see ``block_weights``."""
    if not settings.lexical:
        return []
    vectorizers = [TfidfVectorizer(analyzer=terms, sublinear_tf=True, min_df=settings.min_df)]
    if settings.title_weight > 0:
        vectorizers.append(
            TfidfVectorizer(analyzer=title_terms, sublinear_tf=True, min_df=settings.min_df)
        )
    if settings.char_ngrams:
        vectorizers.append(
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                strip_accents="unicode",
                sublinear_tf=True,
                min_df=settings.min_df,
                max_features=200_000,
            )
        )
    return vectorizers


def block_weights(settings: FeatureSettings) -> list[float]:
    """Scale of each block of ``make_vectorizers``, in the same order."""
    if not settings.lexical:
        return []
    weights = [1.0]
    if settings.title_weight > 0:
        weights.append(settings.title_weight)
    if settings.char_ngrams:
        weights.append(1.0)
    return weights


def stack(blocks: Sequence[sparse.spmatrix], weights: Sequence[float]) -> sparse.csr_matrix:
    """One row per text: the TF-IDF blocks side by side, each scaled by its weight."""
    scaled = [b * w if w != 1.0 else b for b, w in zip(blocks, weights, strict=True)]
    return sparse.hstack(scaled, format="csr")


def passages_of(embedder, text: str) -> list[str]:
    """``text`` cut at sentence boundaries into passages the model reads whole."""
    limit = min(_PASSAGE_TOKENS, embedder.max_tokens)
    cut = [p.text for p in split_passages(0, text, embedder.count_tokens, limit, 0)]
    return cut or [text]


def document_vectors(embedder, texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised vector per text: the mean of its passages' vectors, so that a long
    text is read whole rather than truncated by the model."""
    cuts = [passages_of(embedder, t) for t in texts]
    flat = [p for ps in cuts for p in ps]
    matrix = embedder.embed_passages(flat) if flat else np.zeros((0, embedder.dim), np.float32)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    row = 0
    for i, ps in enumerate(cuts):
        out[i] = matrix[row : row + len(ps)].mean(axis=0)
        row += len(ps)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)
