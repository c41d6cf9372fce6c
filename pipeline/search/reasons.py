"""Why two initiatives are alike, in words a person reads."""

from __future__ import annotations

from ..extract import departement_name, region_name
from ..index import StoredDocument
from .facets import ACTOR_KIND_LABELS, Facets


def describe_shared(a: StoredDocument, b: StoredDocument, fa: Facets, fb: Facets) -> list[str]:
    """Why two documents are alike, in words: shared themes, territory, kinds of actor."""
    label = {t["id"]: t.get("label", t["id"]) for t in a.themes}
    reasons = []
    if shared := sorted(fa.themes & fb.themes):
        reasons.append("thèmes communs : " + " ; ".join(label[t] for t in shared))
    name = _place_name
    if shared := sorted(fa.regions & fb.regions):
        reasons.append("même région : " + " ; ".join(name("region", c) for c in shared))
    if shared := sorted(fa.departements & fb.departements):
        reasons.append("même département : " + " ; ".join(name("departement", c) for c in shared))
    if shared := sorted(fa.actor_kinds & fb.actor_kinds):
        reasons.append(
            "mêmes types d'acteurs : " + " ; ".join(ACTOR_KIND_LABELS.get(k, k) for k in shared)
        )
    return reasons


def _place_name(kind: str, code: str) -> str:
    return (region_name if kind == "region" else departement_name)(code) or code
