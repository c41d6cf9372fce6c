"""Zero-shot theme tagging: cue terms found by lemma, plus the semantic closeness of each
passage to each theme's description. No labelled data needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..embed.pooling import passage_vectors
from ..settings import PassageSettings
from ..text import sentence_spans, shorten
from .cues import CueHit, CueMatcher, evidence_terms, lemmatiser, lexical_scores, text_tokens
from .model import Theme, ThemeScore

DEFAULT_THRESHOLD = 0.35
_Z_CENTRE = 1.5  # a passage this many std above its mean theme similarity scores 0.5
_Z_SCALE = 0.5
_SENTENCE_CHARS = 200
_MIN_VARIANCE = 1e-6  # themes equally close: no standing


@dataclass(frozen=True)
class _Semantic:
    scores: np.ndarray  # (themes,) in [0, 1]
    best_passage: np.ndarray  # (themes,) row of the passage that scored each theme
    passages: Sequence[str] | None


class ZeroShotTagger:
    """Scores every theme of a taxonomy for a text; keeps those at or above ``threshold``.

    Two kinds of evidence, either of which can carry a theme (a noisy-or):
    score = 1 - (1 - cue score) * (1 - semantic_weight * semantic score).
    The cue score grows with the number and repetition of distinct cue terms; the semantic
    score is how far the best passage's similarity to the theme's description stands above its
    similarity to the other themes, in standard deviations (so it does not depend on the scale
    of the model's cosines; it needs at least three themes). ``semantic_weight`` < 1 because
    closeness of meaning alone is weaker evidence than the theme's own words.
    With ``embedder=None`` only cues count.
    """

    def __init__(
        self,
        themes: Sequence[Theme],
        embedder=None,
        nlp=None,
        threshold: float = DEFAULT_THRESHOLD,
        semantic_weight: float = 0.6,
        passage_tokens: int = PassageSettings().max_tokens,
    ):
        self.themes = list(themes)
        self.embedder = embedder
        self.nlp = nlp if nlp is not None else lemmatiser()
        self.passage_tokens = passage_tokens  # texts without vectors are cut like the index's
        self.threshold = threshold
        self.semantic_weight = semantic_weight
        self.matcher_ = CueMatcher(self.themes, self.nlp)
        self.theme_vectors_ = None
        if embedder is not None:
            queries = [f"{t.label} : {t.description}" for t in self.themes]
            self.theme_vectors_ = embedder.embed_queries(queries)

    def tag(
        self,
        text: str,
        passage_vectors: np.ndarray | None = None,
        passages: Sequence[str] | None = None,
    ) -> list[ThemeScore]:
        vectors = None if passage_vectors is None else [passage_vectors]
        texts = None if passages is None else [passages]
        return self.tag_many([text], vectors, texts)[0]

    def tag_many(
        self,
        texts: Sequence[str],
        passage_vectors_list: Sequence[np.ndarray] | None = None,
        passages_list: Sequence[Sequence[str]] | None = None,
    ) -> list[list[ThemeScore]]:
        """Themes at or above the threshold for each text, best first.

        ``passage_vectors_list[i]`` are the (already embedded) passages of ``texts[i]``, as the
        index holds them; ``passages_list[i]`` their texts, quoted as evidence when given.
        Without vectors the texts are cut into passages and embedded here.
        """
        scored = self.score_many(texts, passage_vectors_list, passages_list)
        return [[s for s in row if s.score >= self.threshold] for row in scored]

    def score_many(
        self,
        texts: Sequence[str],
        passage_vectors_list: Sequence[np.ndarray] | None = None,
        passages_list: Sequence[Sequence[str]] | None = None,
    ) -> list[list[ThemeScore]]:
        """Every theme's score for each text, best first (no threshold)."""
        semantic = self._semantic(texts, passage_vectors_list, passages_list)
        out = []
        for i, toks in enumerate(text_tokens(self.nlp, texts)):
            hits = self.matcher_.find(texts[i], toks)
            out.append(self._combine(hits, len(toks), semantic[i] if semantic else None))
        return out

    def _combine(
        self, hits: list[CueHit], n_tokens: int, semantic: _Semantic | None
    ) -> list[ThemeScore]:
        lexical = lexical_scores(hits, n_tokens)
        scores = []
        for k, theme in enumerate(self.themes):
            lex = lexical.get(theme.id, 0.0)
            sem = float(semantic.scores[k]) if semantic else 0.0
            score = 1.0 - (1.0 - lex) * (1.0 - self.semantic_weight * sem)
            evidence = evidence_terms(hits, theme.id)
            if semantic and semantic.passages and sem >= 0.5:
                passage = semantic.passages[semantic.best_passage[k]]
                evidence += (_quote(passage, evidence),)
            scores.append(ThemeScore(theme.id, theme.label, round(score, 4), evidence))
        scores.sort(key=lambda s: (-s.score, s.id))
        return scores

    def _semantic(self, texts, vectors_list, passages_list) -> list[_Semantic] | None:
        if self.embedder is None:
            return None
        if vectors_list is None:
            passages_list, matrix, text_of = passage_vectors(
                self.embedder, texts, self.passage_tokens
            )
            vectors_list = [matrix[text_of == i] for i in range(len(texts))]
        out = []
        for i, vectors in enumerate(vectors_list):
            passages = passages_list[i] if passages_list is not None else None
            out.append(self._semantic_one(np.asarray(vectors, dtype=np.float32), passages))
        return out

    def _semantic_one(self, vectors: np.ndarray, passages) -> _Semantic:
        n = len(self.themes)
        if vectors.size == 0 or n < 3:
            return _Semantic(np.zeros(n), np.zeros(n, dtype=int), passages)
        sims = vectors.reshape(-1, self.theme_vectors_.shape[1]) @ self.theme_vectors_.T
        z = _standing(sims)
        best = z.argmax(axis=0)
        top = z[best, np.arange(n)]
        return _Semantic(1.0 / (1.0 + np.exp(-(top - _Z_CENTRE) / _Z_SCALE)), best, passages)


def _standing(sims: np.ndarray) -> np.ndarray:
    """How many standard deviations each theme's similarity stands above the other themes'
    (per passage row). Leaving the theme out of its own baseline keeps the measure usable
    for small taxonomies, where one theme would otherwise weigh on its own mean."""
    n = sims.shape[1]
    total = sims.sum(axis=1, keepdims=True)
    squares = (sims**2).sum(axis=1, keepdims=True)
    mean = (total - sims) / (n - 1)
    var = (squares - sims**2) / (n - 1) - mean**2
    return (sims - mean) / np.sqrt(np.maximum(var, _MIN_VARIANCE))


def _quote(passage: str, terms: Sequence[str]) -> str:
    """The sentence of ``passage`` that names most of ``terms`` (the first one when none
    does), shortened to about _SENTENCE_CHARS."""
    sentences = [passage[a:b] for a, b in sentence_spans(passage)] or [passage]
    folded = [t.casefold() for t in terms]
    best = max(sentences, key=lambda s: sum(t in s.casefold() for t in folded))
    return shorten(best, _SENTENCE_CHARS)
