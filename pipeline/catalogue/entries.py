"""The indexed documents as the themed index needs them: themes, territory named, actors."""

from __future__ import annotations

import numpy as np

from ..embed import mean_vectors
from ..extract import Territory, departement_name, region_name
from ..search import Searcher
from ..text import sentence_spans, shorten
from ..themes import ThemeScore
from .model import CatalogueEntry


def catalogue_entries(searcher: Searcher) -> list[CatalogueEntry]:
    store = searcher.store
    doc = store.passages.doc
    vectors = mean_vectors(searcher.vectors.vectors_, doc, len(store.documents))
    has_passages = np.bincount(doc, minlength=len(store.documents)) > 0
    entries = []
    for row, document in enumerate(store.documents):
        facets = searcher.facets[row]
        entries.append(
            CatalogueEntry(
                id=document.id,
                title=document.title,
                themes=[
                    ThemeScore(
                        t["id"], t.get("label", t["id"]), t["score"], tuple(t.get("evidence", ()))
                    )
                    for t in document.themes
                ],
                departements=[
                    f"{departement_name(c) or c} ({c})" for c in sorted(facets.departements)
                ],
                regions=[region_name(c) or c for c in sorted(facets.regions)],
                actor_kinds=sorted(facets.actor_kinds),
                summary=summary(document.text),
                vector=vectors[row] if has_passages[row] else None,
                text=document.text,
                territory=Territory(
                    tuple(sorted(facets.departements)), tuple(sorted(facets.regions))
                ),
            )
        )
    return entries


def summary(text: str, width: int = 200) -> str:
    """The first sentence, cut at a word near ``width`` characters."""
    spans = sentence_spans(text)
    return shorten(text[spans[0][0] : spans[0][1]], width) if spans else ""
