"""How Tisser reads French text, everywhere: folding, words, sentences, the spaCy model.

One analyser (``words`` and ``terms``) serves the lexical index and the theme tagger; one
stop-word list (``pipeline/data/stopwords.txt``); one way to cut sentences; one way to shorten
a text for display; one loader for the spaCy model the settings name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_STOP_WORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.txt"
_WORD = re.compile(r"[a-z0-9]+")
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
# A sentence ends at . ! ? … followed by space and an upper-case letter, a digit or a
# quote, or at a line break. Abbreviations such as "M." or "St." rarely matter here:
# a passage boundary in the wrong place costs little.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(\[A-ZÀ-ÖØ-Þ0-9])|\n+")
# spaCy reads at most ``nlp.max_length`` characters (1,000,000) at once, and its memory grows
# with a text's length (about 1 GB per 100,000 characters for the parser and NER): a longer
# text is read in pieces of this size.
PIECE_CHARS = 100_000
# Where a piece may end, best first: between paragraphs, between sentences, between words.
_PIECE_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), _SENTENCE_END, re.compile(r"\s+"))


def fold(text: str) -> str:
    """ "Énergie Renouvelable" -> "energie renouvelable"; ligatures as NFKD leaves them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stop_words() -> tuple[frozenset[str], frozenset[str]]:
    """(French, French and English): the file lists the French words, then under a line
    ``# English`` the English ones. Both folded; a copy of spaCy's lists, since importing
    spacy.lang costs seconds at every start."""
    french: set[str] = set()
    english: set[str] = set()
    into = french
    for line in _STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# English"):
            into = english
        elif line and not line.startswith("#"):
            into.add(line)
    # The theme tagger compares them without their apostrophes ("qu'" drops "qu"); search
    # keeps them as listed, as it always has, so there "qu" is a word.
    return frozenset(w.strip("'’") for w in french), frozenset(french | english)


# The theme tagger reads French texts only: "but" (aim), "an" (year) or "part" are French
# words there. Search also meets English queries, whose own small words must not count.
FRENCH_STOP_WORDS, STOP_WORDS = _stop_words()


def _stem(word: str) -> str:
    # Folding plurals is most of what French stemming buys for retrieval ("filières", "filière").
    if len(word) > 4 and word[-1] in "sx":
        return word[:-1]
    return word


def words(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Words of ``text``: elisions cut, folded, stop words and 1-letter tokens dropped,
    plurals folded ("l'Énergie des filières" -> ["energie", "filiere"])."""
    found = _WORD.findall(fold(_ELISION.sub(" ", text)))
    return [_stem(w) for w in found if len(w) > 1 and w not in stop_words]


def terms(text: str) -> list[str]:
    """Words of a French text and their adjacent pairs, for the theme tagger's features."""
    found = words(text, FRENCH_STOP_WORDS)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into pieces of at most ``limit`` characters, each with its offset in
    ``text``: at the last paragraph break before the limit, else the last sentence end, else
    the last space, else at the limit itself. Joined, the pieces are ``text``."""
    found, start = [], 0
    while len(text) - start > limit:
        end = start + _piece_end(text[start : start + limit])
        found.append((start, text[start:end]))
        start = end
    found.append((start, text[start:]))
    return found


def read_in_pieces(
    texts: Sequence[str], limit: int, read: Callable[[Iterator[str]], Iterable[T]]
) -> Iterator[list[tuple[int, T]]]:
    """Each text cut by ``pieces``, all pieces given in order to ``read`` (spaCy's ``nlp.pipe``:
    one result per piece, in batches across texts); yields, per text, its pieces' offsets in it
    with their results."""
    cut = [pieces(text, limit) for text in texts]
    results = iter(read(piece for parts in cut for _, piece in parts))
    for parts in cut:
        yield [(offset, next(results)) for offset, _ in parts]


def _piece_end(window: str) -> int:
    for pattern in _PIECE_BREAKS:
        ends = [match.end() for match in pattern.finditer(window) if match.start() > 0]
        if ends:
            return ends[-1]
    return len(window)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word before ``width`` characters, with "…" when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def load_spacy(name: str, exclude: tuple[str, ...] = ()):
    """The spaCy pipeline ``name`` without the components ``exclude`` names; ModelError with
    the install command when it is not installed. Each call loads anew: callers keep theirs."""
    import spacy

    from .errors import ModelError

    try:
        return spacy.load(name, exclude=list(exclude))
    except OSError as exc:
        package = name.replace("_", "-")
        raise ModelError(
            f"spaCy model {name!r} is not installed: pip install {package}==3.8.0"
        ) from exc
