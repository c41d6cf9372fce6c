"""What a stored document is about, for filters and reasons: territory, actor kinds, themes."""

from __future__ import annotations

from dataclasses import dataclass

from .docstore import StoredDocument


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


def _given(doc: StoredDocument, key: str) -> list[str]:
    # Sources that know their territory (France PAT) store codes under territory_<key>.
    value = doc.meta.get(f"territory_{key}", [])
    return [value] if isinstance(value, str) else list(value)
