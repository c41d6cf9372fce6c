"""What a stored document is about, for filters and reasons: territory, actor kinds, themes."""

from __future__ import annotations

from dataclasses import dataclass

from .docstore import StoredDocument

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


def facets_of(doc: StoredDocument) -> Facets:
    """Territory found by extraction, joined with the territory the source gives (codes)."""
    territory = doc.entities.get("territory", {})
    departements = set(territory.get("departements", ())) | set(_given(doc, "departements"))
    regions = set(territory.get("regions", ())) | set(_given(doc, "regions"))
    kinds = {o["kind"] for o in doc.entities.get("organisations", ()) if o.get("kind")}
    themes = {t["id"] for t in doc.themes}
    return Facets(frozenset(departements), frozenset(regions), frozenset(kinds), frozenset(themes))


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
    from .extract import resolve_departement, resolve_region

    resolve = resolve_region if kind == "region" else resolve_departement
    return {code for code in map(resolve, names) if code}
