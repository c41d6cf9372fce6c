"""What the supervised tagger reads of a text: TF-IDF terms and the text's embedding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..settings import PassageSettings

# Saved taggers' vectorizers name their analysers by module: ``terms`` is found here too.
from ..text import terms


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
    # Passages a text is cut into for its vector; a tagger reads texts as it was trained to.
    passage_tokens: int = PassageSettings().max_tokens


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
