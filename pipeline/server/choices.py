"""The values the page offers in its filters: those the indexed initiatives actually carry."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..query import Searcher


def filter_choices(searcher: Searcher) -> dict[str, list[dict[str, Any]]]:
    """Themes, régions, départements and kinds of actor, each with how many initiatives."""
    facets = searcher.facets
    labels = {t["id"]: t.get("label", t["id"]) for d in searcher.store.documents for t in d.themes}
    themes = Counter(t for f in facets for t in f.themes)
    regions = Counter(r for f in facets for r in f.regions)
    departements = Counter(d for f in facets for d in f.departements)
    kinds = Counter(k for f in facets for k in f.actor_kinds)
    return {
        "themes": sorted(
            ({"id": t, "label": labels.get(t, t), "count": n} for t, n in themes.items()),
            key=lambda c: (-c["count"], c["label"].casefold()),
        ),
        "regions": _places(regions, _region_name),
        "departements": _places(departements, _departement_name),
        "actor_kinds": [{"id": k, "count": n} for k, n in sorted(kinds.items())],
    }


def _places(counts: Counter, name) -> list[dict[str, Any]]:
    found = [{"code": code, "name": name(code), "count": n} for code, n in counts.items()]
    return sorted(found, key=lambda c: c["name"].casefold())


def _region_name(code: str) -> str:
    from ..extract import region_name

    return region_name(code)


def _departement_name(code: str) -> str:
    from ..extract import departement_name

    return departement_name(code)
