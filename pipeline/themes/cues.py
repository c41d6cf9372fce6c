"""Find a taxonomy's cue terms in texts, by lemma: "énergies renouvelables" matches the cue
"énergie renouvelable", "forestières" matches "forestier"."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..settings import AnnotateSettings
from ..text import PIECE_CHARS, load_spacy, read_in_pieces
from ..text import fold as fold_text
from .model import Theme

# Small words skipped on both sides, so "qualité des sols" matches "qualité de sols" and
# "l'eau" matches "eau"; content words are never skipped. Not a stop-word list (that is
# pipeline/text.py's): only the articles and prepositions a cue phrase may vary in.
_FUNCTION_WORDS = frozenset(
    "le la les l de du des d un une et a au aux en pour sur par dans avec ou s".split()
)
# Pipeline components the lemmatiser does not need: leaving them out makes tagging ~3x faster.
_UNNEEDED = ("parser", "ner", "senter")
_WEIGHT_SCALE = 3.0  # cue weight giving a lexical score of 1 - 1/e
_LONG_TEXT = 150  # content tokens above which weights are damped by sqrt(length)


def fold(text: str) -> str:
    """Lower case without accents or apostrophes: the form both sides are compared in."""
    return fold_text(text).strip("'’")


@dataclass(frozen=True)
class Token:
    forms: frozenset[str]  # folded surface form and lemma
    start: int
    end: int


@dataclass(frozen=True)
class CueHit:
    theme: str
    cue: str
    surface: str  # the words as written in the text


@dataclass(frozen=True)
class _Pattern:
    cue: str
    forms: tuple[frozenset[str], ...]
    themes: frozenset[str]


def tokens(doc) -> list[Token]:
    """Content tokens of a spaCy Doc, with the forms they can match."""
    out = []
    for tok in doc:
        forms = {fold(tok.text), fold(tok.lemma_)} - {""}
        if not any(ch.isalnum() for ch in tok.text) or forms & _FUNCTION_WORDS:
            continue
        out.append(Token(frozenset(forms), tok.idx, tok.idx + len(tok.text)))
    return out


def lemmatiser(spacy_model: str | None = None):
    """The spaCy model the settings name (their default when None), without the components
    lemmas do not need; loaded once per process."""
    return _lemmatiser(spacy_model or AnnotateSettings().spacy_model)


@lru_cache(maxsize=2)
def _lemmatiser(spacy_model: str):
    return load_spacy(spacy_model, exclude=_UNNEEDED)


def pipe(nlp, texts: Iterable[str], batch_size: int = 64):
    """spaCy docs of ``texts`` with only what the lemmatiser needs."""
    disable = [name for name in _UNNEEDED if name in nlp.pipe_names]
    return nlp.pipe(texts, batch_size=batch_size, disable=disable)


def text_tokens(nlp, texts: Sequence[str]) -> Iterator[list[Token]]:
    """Content tokens of each text; a text longer than spaCy reads at once is read in pieces,
    its tokens' offsets still pointing into the whole text."""
    limit = min(PIECE_CHARS, nlp.max_length)
    for parts in read_in_pieces(texts, limit, lambda p: pipe(nlp, p)):
        yield [
            Token(t.forms, t.start + offset, t.end + offset)
            for offset, doc in parts
            for t in tokens(doc)
        ]


class CueMatcher:
    """All cues of a taxonomy, matched longest first so that "économie sociale et solidaire"
    counts for its theme and not its last word for another."""

    def __init__(self, themes: Sequence[Theme], nlp):
        cues: dict[str, set[str]] = defaultdict(set)
        for theme in themes:
            for cue in theme.cues:
                cues[cue].add(theme.id)
        by_forms: dict[tuple[frozenset[str], ...], _Pattern] = {}
        for cue, doc in zip(cues, pipe(nlp, list(cues)), strict=False):
            forms = tuple(t.forms for t in tokens(doc))
            if not forms:
                continue
            known = by_forms.get(forms)
            merged = cues[cue] | (known.themes if known else set())
            by_forms[forms] = _Pattern(known.cue if known else cue, forms, frozenset(merged))
        self.index_: dict[str, list[_Pattern]] = defaultdict(list)
        for pattern in by_forms.values():
            for form in pattern.forms[0]:
                self.index_[form].append(pattern)

    def find(self, text: str, toks: Sequence[Token]) -> list[CueHit]:
        hits, i = [], 0
        while i < len(toks):
            best = self._longest(toks, i)
            if not best:
                i += 1
                continue
            size = len(best[0].forms)
            surface = text[toks[i].start : toks[i + size - 1].end]
            for pattern in best:
                hits.extend(CueHit(t, pattern.cue, surface) for t in sorted(pattern.themes))
            i += size
        return hits

    def _longest(self, toks: Sequence[Token], i: int) -> list[_Pattern]:
        candidates = {id(p): p for form in toks[i].forms for p in self.index_.get(form, ())}
        matching = [p for p in candidates.values() if _matches(p, toks, i)]
        if not matching:
            return []
        size = max(len(p.forms) for p in matching)
        return [p for p in matching if len(p.forms) == size]


def _matches(pattern: _Pattern, toks: Sequence[Token], i: int) -> bool:
    if i + len(pattern.forms) > len(toks):
        return False
    return all(want & toks[i + k].forms for k, want in enumerate(pattern.forms))


def lexical_scores(hits: Sequence[CueHit], content_tokens: int) -> dict[str, float]:
    """Per theme, 1 - exp(-weight / scale): each distinct cue weighs 1 (+0.5 per extra word),
    times 1 + log(occurrences); long texts are damped so that one passing mention in a long
    report weighs less than in a two-line description."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for hit in hits:
        counts[hit.theme][hit.cue] += 1
    damping = math.sqrt(max(1.0, content_tokens / _LONG_TEXT))
    scores = {}
    for theme, per_cue in counts.items():
        weight = sum(
            (1.0 + 0.5 * (len(cue.split()) - 1)) * (1.0 + math.log(n)) for cue, n in per_cue.items()
        )
        scores[theme] = 1.0 - math.exp(-weight / damping / _WEIGHT_SCALE)
    return scores


def evidence_terms(hits: Sequence[CueHit], theme: str, limit: int = 5) -> tuple[str, ...]:
    """The words that announced ``theme``, most frequent first, as written in the text."""
    counts: dict[str, int] = defaultdict(int)
    for hit in hits:
        if hit.theme == theme:
            counts[hit.surface.casefold()] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(term for term, _ in ranked[:limit])
