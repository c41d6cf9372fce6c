"""Does a text use a name as a place? Cues read around a gazetteer mention.

"Bio", "Plan" or "Cours" are communes, and "Lot" or "Nord" are départements, but most of the
time they are words. A mention is believed when the text treats it as a place: capitalised,
after "à" or "commune de", tagged LOC by spaCy, followed by a postcode or "(47)", or (for names
that are also words) in a document already about that département.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .matching import CONNECTORS, Mention, Token, sentence_initial

STRONG_BEFORE = {"à", "au", "aux", "vers", "depuis"}
STRONG_PHRASES = (
    ("commune", "de"),
    ("communes", "de"),
    ("ville", "de"),
    ("village", "de"),
    ("mairie", "de"),
    ("bourg", "de"),
    ("situe", "a"),
    ("situee", "a"),
)
WEAK_BEFORE = {"de", "d", "du", "des", "en", "sur", "dans", "entre", "et", "ou", "pres", "jusqu"}
DEPARTEMENT_ARTICLES = {"le", "la", "les", "l", "du", "de", "des", "d", "en", "dans", "departement"}
# "vallée du Lot", "mer du Nord", "Afrique du Nord": a river or a compass point, not a département.
RIVER_WORDS = {
    "vallee", "vallees", "val", "bord", "bords", "rive", "rives", "fleuve", "riviere", "estuaire",
    "embouchure", "confluence", "gorges", "canal", "delta", "berges", "source", "sources",
    "affluent", "affluents",
}  # fmt: skip
GEO_WORDS = RIVER_WORDS | {
    "plaine", "mer", "afrique", "europe", "amerique", "asie", "hemisphere", "pole", "coteaux",
    "contrefort", "contreforts", "massif", "monts", "piemont", "pied", "chaine", "crete",
    "bassin", "bassins", "versant", "versants",
}  # fmt: skip
# A sentence's first word, capitalised for that alone: "En Mayenne", "Entre Vierzon et Nevers".
_LEADING_WORDS = STRONG_BEFORE | WEAK_BEFORE | DEPARTEMENT_ARTICLES | {"a", "pour", "par", "avec"}
_POSTCODE = re.compile(r"^\d{5}$")
_PAREN_AFTER = re.compile(r"\s*\(\s*([^()\n]{2,40}?)\s*\)")


@dataclass
class Signals:
    """Character spans from spaCy and from the organisation stage that qualify a mention."""

    locations: list[tuple[int, int]] = field(default_factory=list)
    persons: list[tuple[int, int]] = field(default_factory=list)
    # Organisation names inside which a place name is part of the name ("Clus'Ter Jura").
    names: list[tuple[int, int]] = field(default_factory=list)

    def inside(self, spans: list[tuple[int, int]], start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    def overlaps(self, spans: list[tuple[int, int]], start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in spans)


def name_tokens(tokens: list[Token], mention: Mention) -> list[Token]:
    """Tokens of the name itself, articles and elided "l'" left out."""
    names = tokens[mention.name_first : mention.last]
    while len(names) > 1 and names[0].norm in CONNECTORS:
        names = names[1:]
    return names


def is_capitalised(tokens: list[Token], mention: Mention) -> bool:
    return name_tokens(tokens, mention)[0].capitalised


def before(tokens: list[Token], mention: Mention, n: int = 1) -> tuple[str, ...]:
    """The ``n`` normalised tokens before the mention (fewer at the start of the text)."""
    return tuple(t.norm for t in tokens[max(0, mention.first - n) : mention.first])


def before_in_phrase(tokens: list[Token], mention: Mention, n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` words before the mention, stopping at punctuation ("(", ",", ".")."""
    words, i = [], mention.first
    while i > 0 and len(words) < n and not tokens[i].gap.strip(" '’"):
        i -= 1
        words.insert(0, tokens[i].norm)
    return tuple(words)


def accentless_a(tokens: list[Token], i: int) -> bool:
    """ "A Montpellier, ...": a sentence's first word "A" is "À" written without its accent."""
    return 0 <= i < len(tokens) and tokens[i].text == "A" and sentence_initial(tokens, i)


def after_a(tokens: list[Token], mention: Mention) -> bool:
    """The mention follows "à" (or a sentence-initial "A")."""
    i = mention.first - 1
    return i >= 0 and (tokens[i].text.lower() == "à" or accentless_a(tokens, i))


def has_strong_cue(tokens: list[Token], mention: Mention) -> bool:
    if mention.first > 0 and tokens[mention.first - 1].text.lower() in STRONG_BEFORE:
        return True
    return after_a(tokens, mention) or before(tokens, mention, 2) in STRONG_PHRASES


def has_weak_cue(tokens: list[Token], mention: Mention) -> bool:
    if mention.first == 0:
        return False
    gap = tokens[mention.first].gap
    return before(tokens, mention)[0] in WEAK_BEFORE or "," in gap or "(" in gap


def in_title_run(tokens: list[Token], mention: Mention) -> bool:
    """A capitalised neighbour on the same line: "Lucie Coulon", "Plan Alimentaire"."""
    i, j = mention.first - 1, mention.last
    left = i >= 0 and tokens[i].capitalised and not re.search(r"[\n.,;:()–—-]", tokens[i + 1].gap)
    left = left and tokens[i].norm not in CONNECTORS and not tokens[i].text.isdigit()
    left = left and not (sentence_initial(tokens, i) and tokens[i].norm in _LEADING_WORDS)
    left = left and not accentless_a(tokens, i)
    right = (
        j < len(tokens)
        and tokens[j].capitalised
        and not re.search(r"[\n.,;:()'’–—-]", tokens[j].gap)
    )
    return left or right


def shouting(tokens: list[Token], mention: Mention) -> bool:
    """All capitals in an all-capitals stretch (a title): capitals then say nothing."""
    around = tokens[max(0, mention.first - 1) : mention.last + 1]
    return all(t.text.isupper() for t in around if len(t.text) > 1)


def departement_hint(gaz: Gazetteer, text: str, tokens: list[Token], mention: Mention) -> set[str]:
    """Départements a mention is pinned to: "Trentels (47)", "(Lot-et-Garonne)"; and a postcode
    next to it ("47140 Trentels") as "postcode:47140"."""
    found: set[str] = set()
    paren = _PAREN_AFTER.match(text, mention.end)
    if paren:
        code = paren.group(1)
        table = gaz.departements
        dep = code.upper() if code.upper() in table else _departement_named(gaz, code)
        if dep:
            found.add(dep)
    for k in (mention.first - 1, mention.last):
        if 0 <= k < len(tokens) and _POSTCODE.match(tokens[k].text):
            found.add("postcode:" + tokens[k].text)
    return found


def _departement_named(gaz: Gazetteer, name: str) -> str | None:
    from .gazetteer import name_key

    deps = {e.code for e in gaz.lookup(name_key(name)) if e.kind == "departement"}
    return deps.pop() if len(deps) == 1 else None


def departement_reads_as_place(tokens: list[Token], mention: Mention, risky: bool) -> bool:
    """ "le Jura", "du Lot", "(Jura)", but not "vallée du Lot" nor "mer du Nord"."""
    if set(before_in_phrase(tokens, mention)) & GEO_WORDS:
        return False
    last = mention.last
    if last < len(tokens) and tokens[last].gap == "-":  # "Loire-AtlantiqueLe", "Nord-Est"
        return False
    first = mention.name_first
    if first > 0 and tokens[first].gap == "-" and tokens[first - 1].capitalised:  # "Haut-Allier"
        return False
    if not risky:
        return True
    previous = before(tokens, mention)
    if previous and previous[0] in ("basse", "haute", "bas", "haut"):  # "la basse Corrèze"
        previous = before(tokens, mention, 2)[:1]
    return (
        bool(previous and previous[0] in DEPARTEMENT_ARTICLES) or "(" in tokens[mention.first].gap
    )


# "comme à Paris", "à l'image de Bordeaux", "contrairement à Marseille": a place the text
# compares itself with, not where it is.
COMPARISONS = (
    ("comme",), ("image", "de"), ("image", "d"), ("instar", "de"), ("instar", "d"),
    ("contrairement",), ("modele", "de"), ("modele", "d"), ("exemple", "de"),
    ("exemple", "d"), ("inspire", "de"), ("inspiree", "de"), ("inspires", "de"),
    ("inspirees", "de"),
)  # fmt: skip


def in_comparison(tokens: list[Token], mention: Mention, window: int = 8) -> bool:
    """A comparison word opens the clause the mention stands in, at most ``window`` words
    before it ("À l'image de ce qui se fait à Bordeaux")."""
    i = mention.first
    words: list[str] = []
    while i > 0 and len(words) < window and not re.search(r"[.,;:!?()\n]", tokens[i].gap):
        i -= 1
        words.insert(0, tokens[i].norm)
    return any(
        tuple(words[k : k + len(cue)]) == cue for cue in COMPARISONS for k in range(len(words))
    )


def sentence_start(tokens: list[Token], mention: Mention) -> bool:
    return sentence_initial(tokens, mention.first)
