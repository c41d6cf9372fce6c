"""From gazetteer mentions to places: which mentions are places, and the document's territory.

Precision first: a name that is also a word ("Bio", "Lot", "Parc") needs a place cue, and a
commune's name needs one more when the text may mean something else (commune_cues.py).
Homonyms are settled in homonyms.py.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import commune_cues, cues
from .gazetteer import (
    SHORT_FORM_POPULATION,
    Entry,
    Gazetteer,
    everyday_words,
    fold,
    is_everyday_phrase,
    name_key,
)
from .homonyms import SETTLED, Accepted, build_context, to_place
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
COMPARED = 0.5  # "comme à Paris"


def judge(gaz: Gazetteer, text: str, tokens: list[Token], m: Mention, signals: cues.Signals):
    """An Accepted mention, "defer" (a word-like name wanting document context), or None."""
    if signals.inside(signals.persons, m.start, m.end):
        return None
    if _part_of_name(tokens, m, signals) and not _names_a_branch(tokens, m):
        return None
    if m.via == "core":
        return Accepted(m, m.entries[0].kind, m.entries, set(), 0.95)
    if m.via == "bare":  # an EPCI's name without "communauté de communes": no part of another
        if tokens[m.first].norm == "pays":  # "Pays de Gex": the pays, located by its EPCI
            return Accepted(m, "pays", (), cues.departement_hint(gaz, text, tokens, m), 0.6)
        alone = not (cues.in_title_run(tokens, m) or commune_cues.part_of_longer_name(tokens, m))
        alone = alone and tokens[m.first].gap != "-"
        kind = m.entries[0].kind
        return (
            Accepted(m, kind, m.entries, set(), 0.85 if kind == "epci" else 0.7) if alone else None
        )
    if m.via == "pays":
        return Accepted(m, "pays", (), cues.departement_hint(gaz, text, tokens, m), 0.6)
    if not (cues.is_capitalised(tokens, m) or _long_division_name(tokens, m)):
        return None
    hint = cues.departement_hint(gaz, text, tokens, m)
    entries = _without_far_homonyms(m.entries)
    kind = _kind(tokens, m, entries, hint)
    entries = tuple(e for e in entries if e.kind == kind)
    if kind == "departement":
        return _judge_departement(tokens, m, entries, hint)
    if kind in ("region", "epci"):
        return Accepted(m, kind, entries, hint, 0.95)
    return _judge_commune(gaz, text, tokens, m, entries, hint, signals)


def _kind(tokens: list[Token], m: Mention, entries: tuple[Entry, ...], hint: set[str]) -> str:
    """Which kind a name of several kinds is: a département or région first, a commune after
    "à", "commune de" or with a postcode; "(03)" after "Allier" names the département 03."""
    kinds = {e.kind for e in entries}
    if any(e.kind == "departement" and e.code in hint for e in entries):
        return "departement"
    # "à Paris", "à Vienne": a town, as French says "dans la Vienne" for the département.
    namesake = {e.departement for e in entries if e.kind == "commune"} & {
        e.code for e in entries if e.kind == "departement"
    }
    island = any(
        e.kind != "commune" and name_key(e.name).split()[0] in ("la", "le", "les") for e in entries
    )  # "à La Réunion": the island, not the village of the Lot-et-Garonne
    if "commune" in kinds and (
        hint
        or (cues.after_a(tokens, m) and (namesake or not island))
        or cues.before(tokens, m, 2) in cues.STRONG_PHRASES
    ):
        return "commune"
    return next(k for k in KIND_PRIORITY if k in kinds)


def _long_division_name(tokens: list[Token], m: Mention) -> bool:
    """ "côte d'or", "seine saint denis": names of départements and régions of two words or
    more stay names written in lower case."""
    if not all(e.kind in ("departement", "region") for e in m.entries):
        return False
    return len([t for t in cues.name_tokens(tokens, m) if t.norm not in CONNECTORS]) >= 2


def _without_far_homonyms(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """ "Saint-Martin" is a commune of the Gers before it is the collectivity of the Antilles:
    overseas collectivities (codes 975 and up) do not outrank communes of the same name."""
    if not any(e.kind == "commune" for e in entries):
        return entries
    return tuple(e for e in entries if e.kind == "commune" or e.code < "975")


def _names_a_branch(tokens: list[Token], m: Mention) -> bool:
    """ "Terre de Liens Limousin", "CAUE Haute-Vienne": a région or département closing an
    organisation's name names the territory of that branch. A commune's name stays part of
    the name ("Clus'Ter Jura" is in the Jura, but "Jura" is also a commune)."""
    if m.via != "name" or any(e.kind not in ("region", "departement") for e in m.entries):
        return False
    after = tokens[m.last] if m.last < len(tokens) else None
    return after is None or not after.capitalised or bool(after.gap.strip())


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
    written = name_key(" ".join(t.text for t in cues.name_tokens(tokens, m)))
    # "Réunion mensuelle": a name written as an everyday word ("réunion") wants a cue too.
    risky = natural or (entries[0].common and " " not in key) or written in everyday_words()
    if not cues.departement_reads_as_place(tokens, m, risky):
        return None
    pinned = bool(hint) or "departement" in cues.before(tokens, m, 2)
    if natural and not pinned:
        if cues.before(tokens, m) in (("au",), ("aux",)) or cues.in_title_run(tokens, m):
            return None
        if key == "nord" and not _inside_nord(tokens, m):  # "le Nord et le Sud du territoire"
            return None
    return Accepted(m, "departement", entries, hint, 0.95)


def _inside_nord(tokens: list[Token], m: Mention) -> bool:
    """ "dans le Nord", "collèges du Nord": the département, unless a "de" follows ("dans le
    Nord de la France") or it is one of the compass points ("le Nord et le Sud")."""
    after = tokens[m.last] if m.last < len(tokens) else None
    joined = after is not None and not after.gap.strip(" '’-")
    if joined and (after.norm in ("de", "du", "des", "d", "et", "ou") or after.gap == "-"):
        return False
    return cues.before(tokens, m, 2) == ("dans", "le") or cues.before(tokens, m) == ("du",)


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
    if not hint and commune_cues.reads_as_other_thing(gaz, text, tokens, m, entries):
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
    if any(gaz.is_big_town(e) for e in entries) and cues.has_weak_cue(tokens, m):
        return Accepted(m, "commune", entries, hint, 0.8)  # "les habitants de Tours"
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
    # A place the text compares itself with ("comme à Paris") says nothing of where it is.
    compared = [a for a in accepted if cues.in_comparison(tokens, a.mention)]
    context = build_context([a for a in accepted if a not in compared])
    for a in deferred:  # a word-like name is a place when the text is about its département
        kept = tuple(e for e in a.entries if e.departement in context.departements)
        if kept:
            accepted.append(Accepted(a.mention, "commune", kept, set(), a.confidence))
    accepted.sort(key=lambda a: a.mention.start)
    places = [_demoted(to_place(gaz, text, a, context), a in compared) for a in accepted]
    taken = [(p.start, p.end) for p in places]
    return sorted(places + _first_parts(gaz, text, tokens, taken), key=lambda p: p.start)


def _demoted(place: Place, compared: bool) -> Place:
    """A place the text compares itself with keeps its code, below the confidence that makes
    the territory."""
    return replace(place, confidence=min(place.confidence, COMPARED)) if compared else place


def _first_parts(gaz: Gazetteer, text: str, tokens: list[Token], taken) -> list[Place]:
    """ "Carhaix (29)" for Carhaix-Plouguer: a capitalised name the gazetteer does not hold,
    pinned by a département code or a postcode, that begins the name of exactly one commune
    of that département."""
    places = []
    for i, token in enumerate(tokens):
        if not token.capitalised or sentence_initial(tokens, i):
            continue
        after = text[token.end : token.end + 3].lstrip()
        postcode = any(0 <= k < len(tokens) and tokens[k].text.isdigit() for k in (i - 1, i + 1))
        if not (after.startswith("(") or postcode):
            continue
        if any(s < token.end and token.start < e for s, e in taken):
            continue
        mention = Mention(i, i + 1, token.start, token.end, (), "name", i)
        hint = cues.departement_hint(gaz, text, tokens, mention)
        if not hint:
            continue
        deps = {h.split(":")[1][:2] if h.startswith("postcode:") else h for h in hint}
        found = [e for e in gaz.prefixes.get(token.norm, []) if e.departement in deps]
        if len(found) == 1:
            e = found[0]
            places.append(Place(token.text, token.start, token.end, "commune", e.code, e.name,
                                e.departement, e.region, SETTLED))  # fmt: skip
    return places


_REGION_BODY = re.compile(
    r"(conseil\s+r[ée]gional|r[ée]gion)\s+(de\s+l['’]|de\s+|d['’]|du\s+)?$", re.I
)


def _region_as_body(text: str, place: Place) -> bool:
    """ "la Région Centre", "le conseil régional d'Occitanie": the région as an institution
    (a funder, a partner), which says who acts, not where the text is."""
    if place.kind != "region":
        return False
    if fold(place.text).startswith("region "):
        return True
    return bool(_REGION_BODY.search(text[max(0, place.start - 30) : place.start]))


def territory_of(gaz: Gazetteer, places: list[Place], text: str = "") -> Territory:
    """Départements and régions the trusted places point to; a PNR counts only when alone, and
    a "Pays" (no official code, confidence 0.6) only when nothing surer places the text."""
    located = [p for p in places if p.kind not in ("pnr", "other", "region") and p.departement]
    trusted = [p for p in located if p.confidence >= TRUSTED] or located
    deps = {p.departement for p in trusted}
    regions = {p.region for p in places if p.kind == "region" and p.region}
    placed = {gaz.departements[d].region for d in deps if d in gaz.departements}
    if placed:  # "À Quimper ..., soutenu par la Région Centre": a funder, not a territory
        regions -= {p.region for p in places if _region_as_body(text, p)} - placed
    regions |= {p.region for p in places if p.kind == "pays" and p.region and not p.departement}
    for region in regions:  # "En Guadeloupe": a région of one département is that département
        single = [d for d, e in gaz.departements.items() if e.region == region]
        if len(single) == 1:
            deps.add(single[0])
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
