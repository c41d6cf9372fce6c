"""From gazetteer mentions to places: which mentions are places, and the document's territory.

Precision first: a name that is also a word ("Bio", "Lot", "Parc") needs a place cue, and a
commune's name needs one more when the text may mean something else (commune_cues.py).
Homonyms are settled in homonyms.py.
"""

from __future__ import annotations

import re

from . import commune_cues, cues
from .gazetteer import (
    SHORT_FORM_POPULATION,
    Entry,
    Gazetteer,
    fold,
    is_everyday_phrase,
    name_key,
)
from .homonyms import Accepted, build_context, to_place
from .matching import CONNECTORS, Mention, Token, sentence_initial
from .model import Place, Territory
from .org_kinds import KIND_WORDS, NON_ACTOR_HEADS

KIND_PRIORITY = ("region", "departement", "epci", "commune")
# Rivers, mountains and compass points that name départements: "au Rhône", "le Nord du".
NATURAL_NAMES = {
    "ain", "aisne", "allier", "ardeche", "aube", "aude", "aveyron", "charente", "cher", "creuse",
    "dordogne", "doubs", "drome", "eure", "gard", "gers", "herault", "indre", "isere", "jura",
    "loir", "loire", "loiret", "lot", "marne", "mayenne", "meuse", "moselle", "oise", "orne",
    "rhone", "sarthe", "somme", "tarn", "var", "vienne", "vosges", "yonne", "landes", "manche",
    "nord", "cantal", "vendee", "ariege", "correze", "seine",
}  # fmt: skip
TRUSTED = 0.7  # places at or above this confidence make the territory


def judge(gaz: Gazetteer, text: str, tokens: list[Token], m: Mention, signals: cues.Signals):
    """An Accepted mention, "defer" (a word-like name wanting document context), or None."""
    if signals.inside(signals.persons, m.start, m.end) or _part_of_name(tokens, m, signals):
        return None
    if m.via == "core":
        return Accepted(m, m.entries[0].kind, m.entries, set(), 0.95)
    if m.via == "bare":  # an EPCI's name without "communauté de communes": no part of another
        alone = not (cues.in_title_run(tokens, m) or commune_cues.part_of_longer_name(tokens, m))
        alone = alone and tokens[m.first].norm != "pays" and tokens[m.first].gap != "-"
        kind = m.entries[0].kind
        return (
            Accepted(m, kind, m.entries, set(), 0.85 if kind == "epci" else 0.7) if alone else None
        )
    if m.via == "pays":
        return Accepted(m, "pays", (), cues.departement_hint(gaz, text, tokens, m), 0.6)
    if not cues.is_capitalised(tokens, m):
        return None
    hint = cues.departement_hint(gaz, text, tokens, m)
    entries = _without_far_homonyms(m.entries)
    kinds = {e.kind for e in entries}
    kind = next(k for k in KIND_PRIORITY if k in kinds)
    if "commune" in kinds and (hint or cues.before(tokens, m, 2) in cues.STRONG_PHRASES):
        kind = "commune"
    entries = tuple(e for e in entries if e.kind == kind)
    if kind == "departement":
        return _judge_departement(tokens, m, entries, hint)
    if kind in ("region", "epci"):
        return Accepted(m, kind, entries, hint, 0.95)
    return _judge_commune(gaz, text, tokens, m, entries, hint, signals)


def _without_far_homonyms(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """ "Saint-Martin" is a commune of the Gers before it is the collectivity of the Antilles:
    overseas collectivities (codes 975 and up) do not outrank communes of the same name."""
    if not any(e.kind == "commune" for e in entries):
        return entries
    return tuple(e for e in entries if e.kind == "commune" or e.code < "975")


def _part_of_name(tokens: list[Token], m: Mention, signals: cues.Signals) -> bool:
    """A place name inside an organisation's name: "Jura" in "Clus'Ter Jura", but not
    "Poitiers" in "Université de Poitiers"."""
    if (m.start, m.end) in signals.names:  # "le collectif Racines"
        return True
    if not signals.inside(signals.names, m.start, m.end) or m.first == 0:
        return False
    previous = tokens[m.first - 1]
    inside = any(s <= previous.start and m.end <= e for s, e in signals.names)
    return inside and previous.norm not in CONNECTORS


def _judge_departement(tokens: list[Token], m: Mention, entries: tuple[Entry, ...], hint: set[str]):
    key = name_key(entries[0].name)
    natural = key in NATURAL_NAMES
    risky = natural or (entries[0].common and " " not in key)
    if not cues.departement_reads_as_place(tokens, m, risky):
        return None
    pinned = bool(hint) or "departement" in cues.before(tokens, m, 2)
    if natural and not pinned:
        if cues.before(tokens, m) in (("au",), ("aux",)) or cues.in_title_run(tokens, m):
            return None
        if key == "nord":  # "le Nord et le Sud du territoire"
            return None
    return Accepted(m, "departement", entries, hint, 0.95)


def _with_short_forms(gaz: Gazetteer, m: Mention, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Add Villefranche-sur-Saône to the candidates of "Villefranche" (a village of the Yonne)."""
    key = " ".join(e for e in name_key(entries[0].name).split())
    bigger = gaz.short_forms.get(key, [])
    largest = max((e.population for e in entries), default=0)
    extra = tuple(
        e for e in bigger
        if e.population >= max(SHORT_FORM_POPULATION, 10 * largest) and e not in entries
    )  # fmt: skip
    return entries + extra


def _contracted_article(tokens: list[Token], m: Mention, entries: tuple[Entry, ...]) -> bool:
    """ "du Havre", "au Mans": the article of a town's name fused with "de" or "à". Towns
    only: "du Parc" is rarely Le Parc (Manche, 900 people)."""
    if m.first == 0 or tokens[m.first - 1].norm not in ("du", "au", "des", "aux"):
        return False
    return all(
        name_key(e.name).split()[0] in ("le", "les") and e.population >= SHORT_FORM_POPULATION
        for e in entries
    )


def _judge_commune(gaz, text, tokens, m, entries, hint, signals):
    if not hint and commune_cues.reads_as_other_thing(text, tokens, m, entries):
        return None
    pinned = bool(hint) or cues.has_strong_cue(tokens, m) or _contracted_article(tokens, m, entries)
    if cues.in_title_run(tokens, m) and not pinned:
        return None
    common = all(e.common for e in entries)
    if all(e.word for e in entries) and cues.sentence_start(tokens, m) and not pinned:
        return None  # "Agneaux finis à l'herbe", "Corps à vivre"
    entries = _with_short_forms(gaz, m, entries)
    if not common:
        return Accepted(m, "commune", entries, hint, 0.9)
    if cues.sentence_start(tokens, m) or cues.shouting(tokens, m):
        return None
    if pinned:
        return Accepted(m, "commune", entries, hint, 0.85)
    located = signals.overlaps(signals.locations, m.start, m.end)
    return "defer" if located or cues.has_weak_cue(tokens, m) else None


def find_places(
    gaz: Gazetteer, text: str, tokens: list[Token], mentions: list[Mention], signals: cues.Signals
) -> list[Place]:
    accepted, deferred = [], []
    for mention in mentions:
        verdict = judge(gaz, text, tokens, mention, signals)
        if verdict == "defer":
            entries = tuple(e for e in mention.entries if e.kind == "commune")
            deferred.append(Accepted(mention, "commune", entries, set(), 0.75))
        elif verdict is not None:
            accepted.append(verdict)
    context = build_context(accepted)
    for a in deferred:  # a word-like name is a place when the text is about its département
        kept = tuple(e for e in a.entries if e.departement in context.departements)
        if kept:
            accepted.append(Accepted(a.mention, "commune", kept, set(), a.confidence))
    accepted.sort(key=lambda a: a.mention.start)
    return [to_place(gaz, text, a, context) for a in accepted]


def territory_of(gaz: Gazetteer, places: list[Place]) -> Territory:
    """Départements and régions the trusted places point to; a PNR counts only when alone."""
    located = [
        p for p in places if p.kind not in ("pnr", "other", "region", "pays") and p.departement
    ]
    trusted = [p for p in located if p.confidence >= TRUSTED] or located
    deps = {p.departement for p in trusted}
    regions = {p.region for p in places if p.kind == "region" and p.region}
    if not deps:
        for p in places:
            if p.kind == "pnr" and p.code in gaz.pnrs:
                deps.update(gaz.pnrs[p.code].departements)
    regions.update(gaz.departements[d].region for d in deps if d in gaz.departements)
    return Territory(tuple(sorted(deps)), tuple(sorted(regions)))


def other_places(
    text: str, tokens: list[Token], locations: list[tuple[int, int]], taken: list[tuple[int, int]]
) -> list[Place]:
    """spaCy LOC spans the gazetteer does not know ("Lustrac"), when the text says "à" or
    "en" before them or they are several capitalised words; never a sentence's first word."""
    by_start = {t.start: i for i, t in enumerate(tokens)}
    places = []
    for start, end in locations:
        i = by_start.get(start)
        if i is None or any(s < end and start < e for s, e in taken) or sentence_initial(tokens, i):
            continue
        words = text[start:end].split()
        if fold(words[0]) in NON_ACTOR_HEADS | KIND_WORDS.keys() or not all(
            w[:1].isupper() or fold(w) in CONNECTORS for w in words
        ):
            continue
        if is_everyday_phrase(text[start:end]) or re.search(
            r"\d|\b[A-ZÀ-Þ]{2,}\b", text[start:end]
        ):
            continue  # "Centre Municipal de Santé", "PAT Matheysine", "Puy AOP"
        cue = i > 0 and tokens[i - 1].text.lower() in ("à", "au", "aux", "en", "dans", "vers")
        if not tokens[i].capitalised or not (cue or len(words) > 1) or "@" in text[start:end]:
            continue
        places.append(Place(text[start:end], start, end, "other", None, None, None, None, 0.3))
    return places
