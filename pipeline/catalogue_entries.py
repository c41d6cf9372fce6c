"""The indexed documents as the themed index needs them: themes, territory named, actors."""

from __future__ import annotations

import numpy as np

from .passages import sentence_spans
from .query import Searcher


def catalogue_entries(searcher: Searcher) -> list:
    from .extract import departement_name, region_name
    from .themes import CatalogueEntry, ThemeScore

    entries = []
    store = searcher.store
    for row, doc in enumerate(store.documents):
        facets = searcher.facets[row]
        own = np.flatnonzero(store.passages.doc == row)
        vector = None
        if own.size:
            vector = np.asarray(searcher.vectors.vectors_[own]).mean(axis=0)
            vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
        entries.append(
            CatalogueEntry(
                id=doc.id,
                title=doc.title,
                themes=[
                    ThemeScore(
                        t["id"], t.get("label", t["id"]), t["score"], tuple(t.get("evidence", ()))
                    )
                    for t in doc.themes
                ],
                departements=[
                    f"{departement_name(c) or c} ({c})" for c in sorted(facets.departements)
                ],
                regions=[region_name(c) or c for c in sorted(facets.regions)],
                actor_kinds=sorted(facets.actor_kinds),
                summary=summary(doc.text),
                vector=vector,
                text=doc.text,
            )
        )
    return entries


def summary(text: str, width: int = 200) -> str:
    """The first sentence, cut at a word near ``width`` characters."""
    spans = sentence_spans(text)
    first = " ".join(text[spans[0][0] : spans[0][1]].split()) if spans else ""
    return first if len(first) <= width else first[: width - 1].rsplit(" ", 1)[0] + "…"
