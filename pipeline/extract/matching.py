"""Find place names in a text: tokens, gazetteer look-up with longest match, "Pays" patterns.

This stage only says where a name of the gazetteer occurs; whether the mention is really a
place, and which homonym it is, is decided in places.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Entry, Gazetteer, iter_words, norm_token

CONNECTORS = {"de", "du", "des", "d", "la", "le", "les", "l"}
# du Havre -> le Havre: contracted articles of names that start with one.
_CONTRACTIONS = {"du": "le", "au": "le", "des": "les", "aux": "les"}
EPCI_TRIGGERS = (
    ("communaute", "de", "communes"),
    ("communaute", "d", "agglomeration"),
    ("communaute", "de", "l", "agglomeration"),
    ("communaute", "d", "agglo"),
    ("communaute", "urbaine"),
    ("communaute", "de", "commune"),
    ("agglomeration",),
    ("agglo",),
    ("metropole",),
    ("intercommunalite",),
    ("interco",),
    ("cc",),
    ("ca",),
    ("cu",),
)
PNR_TRIGGERS = (("parc", "naturel", "regional"), ("parc", "naturel"), ("pnr",), ("parc",))
_UPPER_ONLY = {"cc", "ca", "cu", "pnr"}  # "ça" folds to "ca": these count only in capitals
_SENTENCE_BREAK = re.compile(r"[.!?:;\n•#*|·]")
_BULLET = re.compile(r"(^|\s)[-–—]\s*$")


@dataclass(frozen=True)
class Token:
    text: str
    norm: str
    start: int
    end: int
    gap: str  # the characters between the previous token and this one

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Mention:
    """Tokens [first, last) whose words name ``entries`` (or a "Pays" when entries is empty)."""

    first: int
    last: int
    start: int
    end: int
    entries: tuple[Entry, ...]
    via: str  # name | core (after its trigger) | bare (an EPCI core alone) | pays
    name_first: int  # first token of the name proper, after a trigger or article


def tokenize(text: str) -> list[Token]:
    tokens, previous_end = [], 0
    for start, end in iter_words(text):
        word = text[start:end]
        tokens.append(Token(word, norm_token(word), start, end, text[previous_end:start]))
        previous_end = end
    return tokens


def sentence_initial(tokens: list[Token], i: int) -> bool:
    """First word of a sentence, a title, a list item ("- Lutter contre", "1.2 Lutter")."""
    gap = tokens[i].gap if i else ""
    if i == 0 or not gap or _SENTENCE_BREAK.search(gap) or _BULLET.search(gap):
        return True
    return tokens[i - 1].text.isdigit()


def _longest(index_lookup, max_len: dict[str, int], norms: list[str], i: int, lead: str | None):
    """Longest key starting at token i (with ``lead`` in place of token i when given)."""
    head = lead or norms[i]
    longest = min(max_len.get(head, 0), len(norms) - i)
    for length in range(longest, 0, -1):
        key = " ".join([head, *norms[i + 1 : i + length]])
        entries = index_lookup(key)
        if entries:
            return length, entries
    return 0, []


def _trigger_before(tokens: list[Token], i: int, triggers) -> int | None:
    """Index of the first token of a trigger ending just before token i (connectors skipped)."""
    j = i
    for _ in range(3):
        for trigger in triggers:
            k = j - len(trigger)
            if k >= 0 and tuple(t.norm for t in tokens[k:j]) == trigger:
                if trigger[0] in _UPPER_ONLY and not tokens[k].text.isupper():
                    continue
                return k
        if j > 0 and tokens[j - 1].norm in CONNECTORS and not tokens[j - 1].gap.strip():
            j -= 1
        else:
            break
    return None


def _candidates_at(gaz: Gazetteer, tokens: list[Token], norms: list[str], i: int) -> list[Mention]:
    found = []
    length, entries = _longest(gaz.lookup, gaz.max_len, norms, i, None)
    if not length and norms[i] in _CONTRACTIONS and i + 1 < len(norms):
        length, entries = _longest(gaz.lookup, gaz.max_len, norms, i, _CONTRACTIONS[norms[i]])
        if length > 1:
            found.append(_mention(tokens, i + 1, i + length, entries, "name", i + 1))
            length = 0
    if length and not (length > 1 and _lower_article(tokens[i])):
        found.append(_mention(tokens, i, i + length, entries, "name", i))
    length, entries = _longest(gaz.lookup_core, gaz.max_len, norms, i, None)
    if length:
        for kind, triggers in (("epci", EPCI_TRIGGERS), ("pnr", PNR_TRIGGERS)):
            of_kind = tuple(e for e in entries if e.kind == kind)
            start = _trigger_before(tokens, i, triggers) if of_kind else None
            if start is not None:
                found.append(_mention(tokens, start, i + length, of_kind, "core", i))
            elif of_kind and length > 1 and tokens[i].capitalised:
                # "Grand Annecy", "Auray Quiberon Terre Atlantique", "Haut-Jura": names of
                # several words stand alone, but lose to a commune or département as long.
                found.append(_mention(tokens, i, i + length, of_kind, "bare", i))
    return found


def _lower_article(token: Token) -> bool:
    """ "la Marne", "le Val": an article in lower case is the text's, not part of a name ("La
    Marne", "Le Val"); the name after it is looked up on its own."""
    return token.norm in ("le", "la", "les", "l") and token.text.islower()


def _mention(tokens, first, last, entries, via, name_first) -> Mention:
    return Mention(
        first, last, tokens[first].start, tokens[last - 1].end, tuple(entries), via, name_first
    )


def capitalised_run(tokens: list[Token], j: int) -> int:
    """End (exclusive) of the run of capitalised words from token j, on one line.

    Lower-case connectors count inside the run ("Terre de Liens"), never at its end; words may
    be joined by spaces, hyphens or apostrophes ("Clus'Ter Jura"), not by other punctuation.
    """
    end = j
    while end < len(tokens) and (end == j or _joins(tokens[end].gap)):
        if tokens[end].capitalised or tokens[end].text[:1].isdigit() and end > j:
            end += 1
        elif (
            end > j
            and tokens[end].norm in CONNECTORS
            and end + 1 < len(tokens)
            and tokens[end + 1].capitalised
            and _joins(tokens[end + 1].gap)
        ):
            end += 1
        else:
            break
    while end > j and tokens[end - 1].norm in CONNECTORS:
        end -= 1
    return end


def _joins(gap: str) -> bool:
    return "\n" not in gap and not gap.strip(" '’-")


def _pays_at(tokens: list[Token], i: int) -> Mention | None:
    """ "Pays Lédonien", "PETR du pays Lédonien", "PETR du Gévaudan", "Pays de Brocéliande"."""
    if tokens[i].norm not in ("pays", "petr") or (
        tokens[i].norm == "petr" and not tokens[i].text.isupper()
    ):
        return None
    j = i + 1
    while (
        j < len(tokens)
        and (tokens[j].norm in CONNECTORS or tokens[j].norm == "pays")
        and _joins(tokens[j].gap)
    ):
        j += 1
    if j == len(tokens) or not _joins(tokens[j].gap) or tokens[j].norm == "bas":
        return None
    end = capitalised_run(tokens, j)
    return _mention(tokens, i, end, (), "pays", j) if end > j else None


def find_mentions(gaz: Gazetteer, tokens: list[Token]) -> list[Mention]:
    """Non-overlapping mentions, longest first; gazetteer names win ties over patterns."""
    norms = [t.norm for t in tokens]
    found: list[Mention] = []
    for i, token in enumerate(tokens):
        if token.norm in gaz.max_len or token.norm in _CONTRACTIONS:
            found.extend(_candidates_at(gaz, tokens, norms, i))
        pays = _pays_at(tokens, i)
        if pays:
            found.append(pays)
    order = {"core": 0, "name": 1, "bare": 2, "pays": 3}
    found.sort(key=lambda m: (-(m.last - m.first), order[m.via], m.first))
    taken = [False] * len(tokens)
    chosen = []
    for mention in found:
        if not any(taken[mention.first : mention.last]):
            chosen.append(mention)
            for k in range(mention.first, mention.last):
                taken[k] = True
    return sorted(chosen, key=lambda m: m.first)
