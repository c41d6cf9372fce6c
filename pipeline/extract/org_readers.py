"""Readers of organisation mentions that rely on the text's own words, not on spaCy."""

from __future__ import annotations

import re

from .cues import in_title_run
from .gazetteer import everyday_words, fold
from .matching import CONNECTORS, Mention, Token, capitalised_run
from .org_kinds import KIND_WORDS, NON_ACTOR_HEADS, NOT_ORGANISATIONS, OrgMention, compact, kind_of

# Kind words that take "de" before the name: "Université de Poitiers", "Ville de Lyon".
OF_TRIGGERS = {
    "universite", "ecole", "lycee", "institut", "college", "ville", "mairie", "prefecture",
    "federation", "union", "reseau", "syndicat", "ministere", "campus", "laboratoire",
}  # fmt: skip
# Kind words followed directly by the name: "l'association Terre de Liens", "PTCE TERA".
NAME_TRIGGERS = {
    "association", "cooperative", "scic", "scop", "cae", "cuma", "sica", "ptce", "entreprise",
    "societe", "sas", "sarl", "gaec", "earl", "collectif", "fondation", "reseau",
    "federation", "amap", "tiers", "mouvement",
}  # fmt: skip
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]{1,9})\s*\)")


def _mention(start, end, name, kind, acronym, key, trust, embeds=False) -> OrgMention:
    return OrgMention(start, end, name, kind, acronym, key, trust, embeds)


def _initials_match(acronym: str, words: list[str]) -> bool:
    letters = [c.lower() for c in acronym if c.isalpha()]
    initials = [w[0].lower() for w in words if w]
    if not letters or not initials or initials[0] != letters[0]:
        return False
    it = iter(initials)
    return all(any(c == i for i in it) for c in letters)


def acronym_definitions(text: str, tokens: list[Token]):
    """ "Long Name (ACR)": actors, acronyms that name no actor, and acronym -> name keys."""
    found, excluded, aliases = [], set(), {}
    by_end = {t.end: i for i, t in enumerate(tokens)}
    for match in _ACRONYM.finditer(text):
        acronym = match.group(1)
        i = by_end.get(len(text[: match.start()].rstrip()))
        if i is None or sum(c.isupper() for c in acronym) < 2:
            continue
        for first in range(i, max(-1, i - 10), -1):
            words = [t.text for t in tokens[first : i + 1]]
            if _initials_match(acronym, words) and tokens[first].capitalised:
                head = fold(words[0])
                long_name = text[tokens[first].start : tokens[i].end]
                if head in NON_ACTOR_HEADS or compact(acronym) in NOT_ORGANISATIONS:
                    excluded.add(compact(acronym))
                else:
                    key = compact(long_name)
                    aliases[compact(acronym)] = key
                    found.append(
                        _mention(
                            tokens[first].start,
                            match.end(),
                            long_name,
                            kind_of(long_name),
                            acronym,
                            key,
                            2,
                        )
                    )
                break
    return found, excluded, aliases


def place_mentions(text: str, tokens: list[Token], mentions: list[Mention]):
    """Places that are institutions: an EPCI, a PNR, "la Région X", "le Département du Jura"."""
    found = []
    for m in mentions:
        if m.via == "bare" and in_title_run(tokens, m):
            continue
        if m.via == "core" or {e.kind for e in m.entries} == {"epci"}:
            found.append(_grouping(text, m))
        elif m.via == "pays":
            found.append(_petr_mention(text, tokens, m))
        else:
            found.append(_collectivite(text, tokens, m))
    return [f for f in found if f is not None]


def _grouping(text: str, m: Mention) -> OrgMention:
    """An EPCI or a PNR, named as the text names it, article aside."""
    name = re.sub(r"^(l['’]|la |le |les )", "", text[m.start : m.end], flags=re.IGNORECASE)
    entry = m.entries[0]
    trust = 3 if len(m.entries) == 1 else 2
    key = f"{entry.kind}:{entry.code}"
    return _mention(m.end - len(name), m.end, name, entry.kind, None, key, trust)


def _collectivite(text: str, tokens: list[Token], m: Mention) -> OrgMention | None:
    """ "la Région Occitanie", "Ville de Rennes"; not "en région Occitanie" (a territory)."""
    kinds = {e.kind for e in m.entries} & {"region", "departement", "commune"}
    if not kinds or m.first == 0 or (m.first >= 2 and tokens[m.first - 2].norm in ("en", "dans")):
        return None
    institution = _institution_before(tokens, m, kinds)
    if institution is None:
        return None
    start = tokens[institution].start
    entry = next(e for e in m.entries if e.kind in kinds)
    key = f"collectivite:{entry.code}"
    return _mention(start, m.end, text[start : m.end], "collectivite", None, key, 3)


def _petr_mention(text: str, tokens: list[Token], m: Mention) -> OrgMention | None:
    """ "PETR du Pays Lédonien", "Pôle d'équilibre territorial et rural (PETR) du pays Lédonien"."""
    j = m.first if tokens[m.first].norm == "petr" else m.first - 1
    while j > 0 and tokens[j].norm in CONNECTORS:
        j -= 1
    if j < 0 or tokens[j].norm != "petr":
        return None
    start = tokens[j].start
    if "(" in tokens[j].gap:  # the acronym is being defined: start at "Pôle"
        pole = [k for k in range(max(0, j - 6), j) if tokens[k].norm == "pole"]
        start = tokens[pole[-1]].start if pole else start
    name = re.sub(r"\s*\(PETR\)", "", text[start : m.end])
    pays = text[tokens[m.name_first].start : m.end]
    return _mention(start, m.end, name, "epci", None, "pays:" + compact(pays), 3)


def _institution_before(tokens: list[Token], m: Mention, kinds: set[str]) -> int | None:
    """Index of "Région", "Département", "Conseil départemental du", "Ville de" before a place."""
    j = m.first - 1
    while j >= 0 and tokens[j].norm in CONNECTORS:
        j -= 1
    if j < 0:
        return None
    word = tokens[j]
    if "region" in kinds and word.norm == "region":
        return j
    if "departement" in kinds and (word.text == "Département" or word.norm == "departemental"):
        return (
            j - 1 if word.norm == "departemental" and j and tokens[j - 1].norm == "conseil" else j
        )
    if "region" in kinds and word.norm == "regional" and j and tokens[j - 1].norm == "conseil":
        return j - 1
    if "commune" in kinds and word.norm in ("ville", "mairie") or word.text == "Commune":
        return j
    return None


_OPENING_PREPOSITIONS = {
    "dans",
    "à",
    "a",
    "en",
    "sur",
    "pour",
    "avec",
    "depuis",
    "au",
    "aux",
    "chez",
    "par",
    "entre",
    "vers",
    "selon",
    "sous",
    "près",
}


def copula_mentions(text: str, tokens: list[Token]):
    """ "Clus'Ter Jura est une coopérative": the name before "est un(e)" plus a kind word."""
    found = []
    for i in range(len(tokens)):
        kind = _announced_kind(tokens, i)
        if kind is None or i == 0:
            continue
        first = _run_back(tokens, i)
        # "Dans le Jura, une SCIC …": a sentence that opens on a place names no organisation,
        # nor does a place after its preposition ("À Saint-Claude, en Guadeloupe, une …").
        after_preposition = first > 0 and tokens[first - 1].norm in _OPENING_PREPOSITIONS
        if tokens[first].norm in _OPENING_PREPOSITIONS or (
            after_preposition and not tokens[first].gap.strip()
        ):
            continue
        while first < i and tokens[first].norm in ("le", "la", "les", "l"):
            first += 1
        if first < i and tokens[first].capitalised:
            start, end = tokens[first].start, tokens[i - 1].end
            name = text[start:end]
            if compact(name) not in NOT_ORGANISATIONS:
                found.append(_mention(start, end, name, kind, None, compact(name), 2, embeds=True))
    return found


def _announced_kind(tokens: list[Token], i: int) -> str | None:
    """Kind announced at token i: "est une coopérative", ", une association", "(SCIC)"."""
    norms = [t.norm for t in tokens[i : i + 5]]
    if len(norms) < 3:
        return None
    if norms[0] == "est" and norms[1] in ("un", "une"):
        rest = norms[2:4]
    elif norms[0] in ("un", "une") and "," in tokens[i].gap:
        rest = norms[1:3]
    else:
        return None
    # "Trentels est une commune" says what a place is, not the name of an organisation.
    actors = (KIND_WORDS[w] for w in rest if w in KIND_WORDS)
    return next((k for k in actors if k not in ("pnr", "collectivite", "epci")), None)


def _run_back(tokens: list[Token], i: int) -> int:
    """First token of the capitalised run that ends just before token i."""
    first = i
    while first > 0 and (tokens[first - 1].capitalised or tokens[first - 1].norm in CONNECTORS):
        if first < i and re.search(r"[^\s'’-]", tokens[first].gap):
            break
        first -= 1
    while first < i and tokens[first].norm in CONNECTORS - {"le", "la", "les", "l"}:
        first += 1
    return first


def _with_second_word(tokens: list[Token], end: int) -> int:
    """ "la coopérative Bois et Toits", "l'association Pain et Partage": a name of two
    everyday words joined by "et" goes on past the "et"; "Lyon et Paris" does not."""
    if end + 1 >= len(tokens) or end == 0 or tokens[end].norm != "et":
        return end
    before, after = tokens[end - 1], tokens[end + 1]
    joined = not tokens[end].gap.strip() and not after.gap.strip()
    words = everyday_words()
    if joined and after.capitalised and before.norm in words and after.norm in words:
        return end + 2
    return end


def trigger_mentions(text: str, tokens: list[Token]):
    """A kind word then a capitalised name: "PTCE TERA", "université de Poitiers"."""
    found = []
    for i, token in enumerate(tokens):
        norm = token.norm
        if norm not in NAME_TRIGGERS and norm not in OF_TRIGGERS:
            continue
        j = i + 1
        if norm in OF_TRIGGERS:  # "Ville de Lyon"; not "(... la Ville), la Communauté"
            while (
                j < len(tokens)
                and tokens[j].norm in CONNECTORS
                and j - i < 3
                and not tokens[j].gap.strip(" '’")
            ):
                j += 1
        if j >= len(tokens) or tokens[j].gap.strip(" ") or not tokens[j].gap:
            continue
        end = _with_second_word(tokens, capitalised_run(tokens, j))
        if end == j:
            continue
        keep_word = norm in OF_TRIGGERS or token.text.isupper() or token.capitalised
        start = token.start if keep_word else tokens[j].start
        name = text[start : tokens[end - 1].end]
        key = compact(text[tokens[j].start : tokens[end - 1].end])
        if key in NOT_ORGANISATIONS or len(key) < 2:
            continue
        found.append(
            _mention(
                start,
                tokens[end - 1].end,
                name,
                KIND_WORDS.get(norm),
                None,
                key,
                2,
                embeds=norm not in OF_TRIGGERS,
            )
        )
    return found
