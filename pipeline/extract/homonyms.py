"""Which of the homonyms a mention names, settled by the document itself.

A postcode or "(47)" next to the name settles it; else the EPCI, the départements and the
régions the rest of the text names. When nothing settles it, the place keeps ``code=None``
and lists its candidates: never a silent guess. A name that stands alone but lies far from
everything else the text names keeps its code with a lower confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazetteer import Entry, Gazetteer, name_key
from .matching import Mention
from .model import Place

SETTLED, BY_EPCI, BY_DEPARTEMENT, BY_SIZE, BY_REGION, ALONE, UNSETTLED = (
    0.95,
    0.9,
    0.8,
    0.75,
    0.65,
    0.6,
    0.4,
)


@dataclass
class Accepted:
    """A mention judged to be a place, with the entries it may name."""

    mention: Mention
    kind: str
    entries: tuple[Entry, ...]
    hint: set[str]
    confidence: float


@dataclass
class Context:
    """Where the document says it is: département -> codes of the places that say so."""

    departements: dict[str, set[str]] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    epcis: set[str] = field(default_factory=set)

    def add(self, departements, source: str) -> None:
        for dep in departements:
            if dep:
                self.departements.setdefault(dep, set()).add(source)

    def supports(self, entry: Entry) -> bool | None:
        """True if other places of the text lie in the entry's département or région, False if
        they lie elsewhere, None when the text names nothing else."""
        others = {d for d, codes in self.departements.items() if codes - {entry.code}}
        if entry.departement in others or entry.region in self.regions:
            return True
        return False if others or self.regions else None


def distinct(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Drop a delegated commune that shares its name with the commune it now belongs to."""
    current = {e.code for e in entries if e.subtype == "actuelle"}
    kept = {
        e.code: e
        for e in entries
        if e.subtype == "actuelle" or (e.chef_lieu not in current and e.code not in current)
    }
    return tuple(kept.values())


def build_context(accepted: list[Accepted]) -> Context:
    """Context from the mentions that need none: départements, EPCI, plain commune names."""
    context = Context()
    for a in accepted:
        entries = distinct(a.entries) if a.kind == "commune" else a.entries
        if a.kind == "region":
            context.regions.update(e.code for e in entries)
        elif len(entries) != 1:
            continue
        elif a.kind in ("departement", "epci", "pnr"):
            entry = entries[0]
            context.add(entry.departements or (entry.departement,), entry.code)
            if a.kind == "epci":
                context.epcis.add(entry.code)
        elif a.kind == "commune" and not entries[0].common:
            context.add((entries[0].departement,), entries[0].code)
    return context


def _apply_hint(gaz: Gazetteer, entries: tuple[Entry, ...], hint: set[str]) -> tuple[Entry, ...]:
    for h in hint:
        if h.startswith("postcode:"):
            code = h.split(":")[1]
            narrowed = tuple(e for e in entries if code in _postcodes(gaz, e)) or tuple(
                e for e in entries if (e.departement or "").startswith(code[:2])
            )
        else:
            narrowed = tuple(e for e in entries if e.departement == h)
        entries = narrowed or entries
    return entries


def _postcodes(gaz: Gazetteer, entry: Entry) -> tuple[str, ...]:
    if entry.postcodes or not entry.chef_lieu:
        return entry.postcodes
    parent = gaz.communes.get(entry.chef_lieu)
    return parent.postcodes if parent else ()


def choose(gaz: Gazetteer, a: Accepted, context: Context):
    """(entry, confidence, candidates): the entry is None when the text does not settle it."""
    entries = distinct(a.entries) if a.kind == "commune" else a.entries
    if a.hint:
        entries = _apply_hint(gaz, entries, a.hint)
        if len(entries) == 1:
            return entries[0], SETTLED, entries
    if len(entries) == 1:
        if a.kind != "commune" or context.supports(entries[0]) is not False:
            return entries[0], a.confidence, entries
        # "Verneuil" in a text about Indre-et-Loire is Verneuil-sur-Indre, not Verneuil (Cher).
        longer = gaz.short_forms.get(name_key(entries[0].name), [])
        nearby = [
            e for e in longer
            if e.departement in context.departements and e.population > entries[0].population
        ]  # fmt: skip
        if len(nearby) == 1:
            return nearby[0], BY_DEPARTEMENT, tuple(nearby)
        return entries[0], min(a.confidence, ALONE), entries
    ladder = (
        (lambda e: e.epci in context.epcis, BY_EPCI),
        (lambda e: e.departement in context.departements, BY_DEPARTEMENT),
        (lambda e: e.region in context.regions, BY_REGION),
    )
    for test, confidence in ladder:
        kept = tuple(e for e in entries if test(e))
        if len(kept) == 1:
            return kept[0], confidence, kept
        entries = kept or entries
    big = _dominant(gaz, entries)
    if big is not None:  # "à Valence": the préfecture of the Drôme, not the village of 400
        return big, BY_SIZE if context.supports(big) is not False else ALONE, (big,)
    return None, UNSETTLED, entries


def _dominant(gaz: Gazetteer, entries: tuple[Entry, ...]) -> Entry | None:
    """The one big town (a préfecture or over 50,000 inhabitants) ten times larger than all
    its homonyms together ("Valence"); None when there is none, or when the name is carried by
    so many towns that size does not settle it ("Saint-Pierre")."""
    big = [e for e in entries if gaz.is_big_town(e)]
    if len(big) != 1 or name_key(big[0].name) != name_key(entries[0].name):
        return None  # "Mont" is not Mont-de-Marsan: a short form is no homonym
    others = sum(e.population for e in entries if e is not big[0])
    return big[0] if others * 10 <= big[0].population else None


def to_place(gaz: Gazetteer, text: str, a: Accepted, context: Context) -> Place:
    m = a.mention
    words = text[m.start : m.end]
    if a.kind == "pays":
        return _pays(gaz, words, a, context)
    entry, confidence, candidates = choose(gaz, a, context)
    if entry is not None and entry.subtype in ("deleguee", "associee"):
        # "Tourlaville": a delegated commune is read as the commune it belongs to today.
        entry = gaz.communes.get(entry.chef_lieu or "", entry)
    if entry is not None:
        return Place(words, m.start, m.end, a.kind, entry.code, entry.name, entry.departement,
                     entry.region, confidence)  # fmt: skip
    deps = {e.departement for e in candidates}
    regions = {e.region for e in candidates}
    return Place(
        words, m.start, m.end, a.kind, None, candidates[0].name,
        deps.pop() if len(deps) == 1 else None, regions.pop() if len(regions) == 1 else None,
        confidence, tuple(sorted(e.code for e in candidates)),
    )  # fmt: skip


def _named_after(words: str) -> str:
    """ "PETR du Pays de Vitré" -> "vitre"."""
    key = name_key(words).split()
    while key and key[0] in ("petr", "pays", "de", "du", "des", "d", "la", "le", "les", "l"):
        key = key[1:]
    return " ".join(key)


def _town_of(gaz: Gazetteer, key: str) -> Entry | None:
    """The commune a "Pays de X" is named after: X's one commune, or the one big town among
    its homonyms ("Pays de Vitré": Vitré, Ille-et-Vilaine, not the village of the Deux-Sèvres)."""
    towns = [e for e in gaz.lookup(key) if e.kind == "commune" and not e.common]
    return towns[0] if len(towns) == 1 else _dominant(gaz, tuple(towns))


def _epci_departements(gaz: Gazetteer, key: str) -> set[str]:
    """Départements of the EPCI whose official names carry the pays' name ("Pays de Caux":
    Caux-Austreberthe, Plateau de Caux... all in the Seine-Maritime); none when they lie in
    more than one région."""
    deps: set[str] = set()
    for entry in gaz.epcis_named(key):
        deps.update(entry.departements)
    regions = {gaz.departements[d].region for d in deps if d in gaz.departements}
    return deps if len(regions) == 1 else set()


def _pays(gaz: Gazetteer, words: str, a: Accepted, context: Context) -> Place:
    """A "Pays" has no official code; its département comes from "(39)" or the one
    département the text is about, if there is one."""
    m = a.mention
    deps = {h for h in a.hint if not h.startswith("postcode:")}
    key = _named_after(words)
    if not deps and key:  # "Pays de Caux": its EPCI, else the town it is named after
        deps = _epci_departements(gaz, key)
        named = None if deps else _town_of(gaz, key)
        deps = {named.departement} if named else deps
    if not deps and len(context.departements) == 1:
        deps = set(context.departements)
    dep = next(iter(deps)) if len(deps) == 1 else None
    regions = {gaz.departements[d].region for d in deps if d in gaz.departements}
    region = regions.pop() if len(regions) == 1 else None
    parts = words.split()
    name = " ".join(["Pays", *parts[1:]]) if parts[0].lower() == "pays" else words
    return Place(words, m.start, m.end, "pays", None, name, dep, region, a.confidence)
