"""Organisations and persons: found, classified by kind of actor, and merged per document.

Mentions come from several readers, most trusted first: the known national actors (entity
ruler), places that are institutions (an EPCI, a PNR, "la Région X"), "X est une coopérative",
a kind word before a name ("l'association Terre de Liens", "PTCE TERA"), acronym definitions
("Pôle ... (PETR)"), and spaCy's ORG spans. Mentions of one organisation ("Agence de la
transition écologique (ADEME)", "l'ADEME") are merged into one Organisation.
"""

from __future__ import annotations

import re

from .gazetteer import fold, is_everyday_phrase
from .matching import CONNECTORS, Mention, Token, capitalised_run, sentence_initial
from .model import Organisation
from .org_kinds import (
    KIND_WORDS,
    NOT_ORGANISATIONS,
    OrgMention,
    compact,
    kind_of,
    known_organisations,
)
from .org_readers import acronym_definitions, copula_mentions, place_mentions, trigger_mentions


def known_mentions(
    doc, text: str, tokens: list[Token], by_start: dict[int, int]
) -> list[OrgMention]:
    """Entity-ruler spans of known actors; "Chambre d'agriculture du Jura" keeps its place."""
    known = known_organisations()
    found = []
    for ent in doc.ents:
        org = known.get(ent.ent_id_)
        if org is None:
            continue
        start, end = ent.start_char, ent.end_char
        extended = _qualifier_end(tokens, by_start.get(end_token_start(text, end)))
        if extended is not None:  # "Chambre d'agriculture du Jura", "DRAAF Occitanie"
            name = text[start:extended]
            found.append(OrgMention(start, extended, name, org.kind, None, compact(name), 3))
            continue
        acronym_used = ent.text == org.acronym or ent.text == (org.acronym or "").capitalize()
        name = org.name if acronym_used else ent.text
        found.append(
            OrgMention(start, end, name, org.kind, org.acronym, "known:" + org.id, 3 - acronym_used)
        )
    return found


def _qualifier_end(tokens: list[Token], i: int | None) -> int | None:
    """End of a place or name right after a known actor, on the same line, if any."""
    if i is None or "\n" in tokens[i].gap or tokens[i].gap.strip(" "):
        return None
    j = i
    while j < len(tokens) and tokens[j].norm in CONNECTORS and j - i < 2:
        j += 1
    if j >= len(tokens) or not tokens[j].capitalised or tokens[j].gap.strip(" '’"):
        return None
    run_end = capitalised_run(tokens, j)
    return tokens[run_end - 1].end if run_end > j else None


def end_token_start(text: str, end: int) -> int:
    """Start of the next word after character ``end``."""
    match = re.compile(r"[^\W_]").search(text, end)
    return match.start() if match else -1


def spacy_mentions(
    doc, text: str, tokens: list[Token], by_start: dict[int, int], excluded: set[str]
) -> list[OrgMention]:
    """spaCy ORG spans, once the usual mistakes are set aside (legal forms, policies, centuries)."""
    found = []
    for ent in doc.ents:
        if ent.label_ != "ORG" or ent.ent_id_:
            continue
        start, end = _whole_words(text, ent.start_char, ent.end_char)
        name = text[start:end].strip(" '’-")
        key = compact(name)
        if len(key) < 2 or key in NOT_ORGANISATIONS or key in excluded or not name[:1].isupper():
            continue
        if _not_a_name(name):
            continue
        i = by_start.get(start)
        single = len(name.split()) == 1 and not name.isupper()
        if i is not None and single and sentence_initial(tokens, i):
            continue
        found.append(OrgMention(start, start + len(name), name, kind_of(name), None, key, 1))
    return found


def _not_a_name(name: str) -> bool:
    """spaCy's usual ORG mistakes: centuries, section titles ("Axe 1", "Fiche Action 2.1"),
    words glued by a lost line break, Title Case phrases of everyday words."""
    if re.fullmatch(r"[IVXLC]+e", name) or re.search(r"[@:;]|\s-|-\s|\n|\d", name):
        return True
    if re.search(r"[a-zà-ÿ][A-ZÀ-Þ]", name) and not re.fullmatch(r"[A-Za-z]{2,8}", name):
        return True
    if name.isupper() and (re.search(r"[À-Þ]", name) or len(name.replace(" ", "")) > 8):
        return True  # a title in capitals ("TRANSVERSALE", "RÉSEAU ALIMENTAIRE"), no acronym
    return is_everyday_phrase(name) and kind_of(name) is None


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span cut inside a word by spaCy ("Clus’" of "Clus’Ter Jura")."""
    while start > 0 and (
        text[start - 1].isalnum()
        or text[start - 1] in "’'"
        and start > 1
        and text[start - 2].isalnum()
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum() or text[end - 1] in "’'" and text[end].isalnum()
    ):
        end += 1
    return start, end


def persons_of(doc, taken: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Person names: two to four capitalised words, none of them a kind of organisation."""
    persons = []
    for ent in doc.ents:
        if ent.label_ != "PER":
            continue
        words = ent.text.split()
        if not 2 <= len(words) <= 4 or any(
            s < ent.end_char and ent.start_char < e for s, e in taken
        ):
            continue
        if not all(re.fullmatch(r"[A-ZÀ-Ý][\w]*(-[A-ZÀ-Ý][\w]*)?\.?", w) for w in words):
            continue
        if any(w.isupper() and len(w) > 2 for w in words) or is_everyday_phrase(ent.text):
            continue  # "Lois EGALIM", "Menus Bio"
        if fold(words[0]) in {"le", "la", "les", "l", "un", "une"} or any(
            fold(w) in KIND_WORDS for w in words
        ):
            continue
        persons.append((ent.text, ent.start_char, ent.end_char))
    return persons


def merge(mentions: list[OrgMention], aliases: dict[str, str]) -> list[Organisation]:
    """One Organisation per key, named by its fullest mention, kind from the most trusted."""
    groups: dict[str, list[OrgMention]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        key = aliases.get(m.key, m.key)
        groups.setdefault(key, []).append(m)
    organisations = []
    for group in groups.values():
        full = [m for m in group if not (m.acronym and m.name == m.acronym)]
        best = max(full or group, key=lambda m: (m.trust, len(m.name), -m.start))
        first = min((m for m in group if m.name == best.name), key=lambda m: m.start)
        kinds = sorted((m for m in group if m.kind), key=lambda m: -m.trust)
        acronym = next((m.acronym for m in group if m.acronym), None)
        kind = kinds[0].kind if kinds else "autre"
        name = tidy_name(best.name)
        if name:
            end = first.start + len(name)
            organisations.append(Organisation(name, kind, acronym, first.start, end))
    return sorted(organisations, key=lambda o: o.start)


# "Groupe local de", "... inscrits dans la": a name never ends on a word that links to more.
_DANGLING = re.compile(
    r"(?:[\s'’]+(?:de|du|des|d|la|le|les|l|et|ou|dans|à|au|aux|en|pour|par|sur|avec))+[\s'’]*$",
    re.IGNORECASE,
)


def tidy_name(name: str) -> str:
    """The name cut before a closing bracket it did not open ("... Paysanne)Paniers") and
    without dangling link words at its end."""
    depth = 0
    for i, char in enumerate(name):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            name = name[:i]
            break
    return _DANGLING.sub("", name).rstrip(" ,;:-–'’")


def find_organisations(doc, text: str, tokens: list[Token], mentions: list[Mention]):
    """Organisations, persons, and the spans whose place names are part of a name."""
    by_start = {t.start: i for i, t in enumerate(tokens)}
    definitions, excluded, aliases = acronym_definitions(text, tokens)
    found = known_mentions(doc, text, tokens, by_start)
    found += place_mentions(text, tokens, mentions)
    found += copula_mentions(text, tokens)
    found += trigger_mentions(text, tokens)
    found += definitions
    taken = [(m.start, m.end) for m in found] + _repeats(text, {m.name for m in found})
    extra = [
        m for m in spacy_mentions(doc, text, tokens, by_start, excluded)
        if not any(s < m.end and m.start < e for s, e in taken) or m.key in {f.key for f in found}
    ]  # fmt: skip
    found += extra
    for m in found:  # a bare "TERA" is the "PTCE TERA" of the same text
        stripped = compact(re.sub(r"^\W*\w+\W*", "", m.name)) if kind_of(m.name) else ""
        if stripped and stripped != m.key and m.key not in aliases:
            aliases.setdefault(stripped, m.key)
    organisations = merge(found, aliases)
    persons = persons_of(doc, [(m.start, m.end) for m in found])
    embedded = [(m.start, m.end) for m in found if m.embeds_places]
    embedded += _repeats(text, {m.name for m in found if m.embeds_places})
    return organisations, [p[0] for p in persons], [(s, e) for _, s, e in persons], embedded


def _repeats(text: str, names: set[str]) -> list[tuple[int, int]]:
    """Every occurrence of the given names, so that a later bare mention is covered too."""
    spans = []
    for name in names:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
    return spans
