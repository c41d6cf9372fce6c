"""What a stored document is about (territory, actor kinds, themes), the filters that read it,
and the choices a filter offers: the values the indexed documents carry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..extract import (
    departement_name,
    epci_territories,
    region_name,
    resolve_departement,
    resolve_region,
)
from ..index import StoredDocument

ACTOR_KIND_LABELS = {
    "collectivite": "collectivités",
    "epci": "intercommunalités",
    "etat_agence": "État et agences",
    "association": "associations",
    "cooperative": "coopératives",
    "entreprise": "entreprises",
    "recherche_enseignement": "recherche et enseignement",
    "reseau": "réseaux",
    "pnr": "parcs naturels régionaux",
    "autre": "autres",
}


@dataclass(frozen=True)
class Facets:
    departements: frozenset[str]
    regions: frozenset[str]
    actor_kinds: frozenset[str]
    themes: frozenset[str]


@dataclass(frozen=True)
class Filters:
    themes: tuple[str, ...] = ()  # all of them
    region: str | None = None  # INSEE code
    departement: str | None = None
    actor_kinds: tuple[str, ...] = ()  # any of them

    def accepts(self, facets: Facets) -> bool:
        return (
            all(t in facets.themes for t in self.themes)
            and (self.region is None or self.region in facets.regions)
            and (self.departement is None or self.departement in facets.departements)
            and (not self.actor_kinds or bool(facets.actor_kinds & set(self.actor_kinds)))
        )

    @property
    def active(self) -> bool:
        return bool(self.themes or self.region or self.departement or self.actor_kinds)


def facets_of(doc: StoredDocument) -> Facets:
    """Territory found by extraction, joined with the territory the source gives (codes), and
    widened to every département of an intercommunality it names."""
    territory = doc.entities.get("territory", {})
    departements = set(territory.get("departements", ())) | set(_given(doc, "departements"))
    regions = set(territory.get("regions", ())) | set(_given(doc, "regions"))
    for span, span_regions in _spanning_epcis(doc.entities.get("places", ()), departements):
        departements.update(span)
        regions.update(span_regions)
    kinds = {o["kind"] for o in doc.entities.get("organisations", ()) if o.get("kind")}
    themes = {t["id"] for t in doc.themes}
    return Facets(frozenset(departements), frozenset(regions), frozenset(kinds), frozenset(themes))


def _spanning_epcis(places, departements: set[str]) -> list[tuple[tuple[str, ...], ...]]:
    """(départements, régions) of the EPCI that make the territory: extraction places an
    EPCI in its most populous département, but one that spans three is in each of them. An
    EPCI counts when that first département is part of the territory."""
    if not any(p.get("kind") == "epci" for p in places):
        return []
    spans = epci_territories()
    found = [spans.get(p.get("code") or "") for p in places if p.get("kind") == "epci"]
    return [span for span in found if span and span[0] and span[0][0] in departements]


def _given(doc: StoredDocument, key: str) -> set[str]:
    """Codes of the territory a source states (France PAT: INSEE codes and names)."""
    meta = doc.meta
    if key == "departements":
        codes = {_departement_of(c) for c in _as_list(meta.get("communes_code_insee"))}
        names = _as_list(meta.get("departement"))
        return codes | _resolved(names, "departement")
    return _resolved(_as_list(meta.get("regions")), "region")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _departement_of(commune: str) -> str:
    # INSEE commune codes start with the département: 2 characters, 3 overseas (971…).
    return commune[:3] if commune.startswith("97") else commune[:2]


def _resolved(names: list[str], kind: str) -> set[str]:
    if not names:
        return set()
    resolve = resolve_region if kind == "region" else resolve_departement
    return {code for code in map(resolve, names) if code}


def filter_choices(
    documents: Sequence[StoredDocument], facets: Sequence[Facets]
) -> dict[str, list[dict[str, Any]]]:
    """Themes, régions, départements and kinds of actor, each with how many initiatives."""
    labels = {t["id"]: t.get("label", t["id"]) for d in documents for t in d.themes}
    themes = Counter(t for f in facets for t in f.themes)
    regions = Counter(r for f in facets for r in f.regions)
    departements = Counter(d for f in facets for d in f.departements)
    kinds = Counter(k for f in facets for k in f.actor_kinds)
    return {
        "themes": sorted(
            ({"id": t, "label": labels.get(t, t), "count": n} for t, n in themes.items()),
            key=lambda c: (-c["count"], c["label"].casefold()),
        ),
        "regions": _places(regions, region_name),
        "departements": _places(departements, departement_name),
        "actor_kinds": [{"id": k, "count": n} for k, n in sorted(kinds.items())],
    }


def _places(counts: Counter, name) -> list[dict[str, Any]]:
    found = [{"code": code, "name": name(code), "count": n} for code, n in counts.items()]
    return sorted(found, key=lambda c: c["name"].casefold())
