"""The themed index of a corpus: per theme, its initiatives, where they are, who runs them,
and the sub-groups the taxonomy did not name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..search.territories import map_counts
from ..themes import Theme
from .clusters import find_subgroups, term_rarity
from .model import Catalogue, CatalogueEntry, CatalogueItem, ThemeSection

DEFAULT_MIN_CLUSTER_SIZE = 4
TOP_ACTOR_KINDS = 5


def build_catalogue(
    entries: Sequence[CatalogueEntry],
    themes: Sequence[Theme] | None = None,
    embedder=None,
    min_cluster_size: int = DEFAULT_MIN_CLUSTER_SIZE,
) -> Catalogue:
    """One section per theme, in taxonomy order (``themes=None``: the themes the entries
    carry, as a supervised tagger's labels). A theme with at least twice ``min_cluster_size``
    initiatives is split into sub-groups, from the entries' vectors or, for entries without
    one, from ``embedder``; without either, no sub-groups."""
    themes = list(themes) if themes is not None else themes_of_entries(entries)
    vectors = _vectors(entries, embedder)
    rarity = term_rarity([_naming_text(e) for e in entries])
    sections = []
    for theme in themes:
        members = [
            (entry, score) for entry in entries for score in entry.themes if score.id == theme.id
        ]
        members.sort(key=lambda m: (-m[1].score, m[0].title.casefold(), m[0].id))
        sections.append(_section(theme, members, vectors, min_cluster_size, rarity))
    untagged = tuple(_item(e, 0.0) for e in entries if not e.themes)
    everywhere = map_counts(e.territory for e in entries)
    return Catalogue(tuple(sections), len(entries), untagged, everywhere)


def themes_of_entries(entries: Sequence[CatalogueEntry]) -> list[Theme]:
    """The themes the entries carry, in order of first appearance."""
    seen: dict[str, Theme] = {}
    for entry in entries:
        for score in entry.themes:
            seen.setdefault(score.id, Theme(score.id, score.label, "", ()))
    return list(seen.values())


def _naming_text(entry: CatalogueEntry) -> str:
    return entry.text or f"{entry.title}. {entry.summary}"


def _section(theme: Theme, members, vectors: dict, min_size: int, rarity) -> ThemeSection:
    entries = [entry for entry, _ in members]
    subgroups = ()
    if min_size >= 2 and len(entries) >= 2 * min_size and all(e.id in vectors for e in entries):
        subgroups = tuple(
            find_subgroups(
                [e.id for e in entries],
                [_naming_text(e) for e in entries],
                np.stack([vectors[e.id] for e in entries]),
                min_size,
                rarity,
            )
        )
    return ThemeSection(
        theme=theme,
        items=tuple(_item(entry, score.score) for entry, score in members),
        regions=_counts(e.regions for e in entries),
        departements=_counts(e.departements for e in entries),
        actor_kinds=_counts(e.actor_kinds for e in entries)[:TOP_ACTOR_KINDS],
        subgroups=subgroups,
        map=map_counts(e.territory for e in entries),
    )


def _item(entry: CatalogueEntry, score: float) -> CatalogueItem:
    territory = ", ".join(entry.departements) or ", ".join(entry.regions)
    return CatalogueItem(
        id=entry.id,
        title=entry.title,
        territory=territory,
        score=round(float(score), 4),
        summary=" ".join(entry.summary.split()),
        regions=tuple(entry.regions),
        departements=tuple(entry.departements),
        actor_kinds=tuple(entry.actor_kinds),
    )


def _counts(lists) -> tuple[tuple[str, int], ...]:
    """How many initiatives name each value (once per initiative), most frequent first."""
    counts = Counter(value for values in lists for value in set(values) if value)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _vectors(entries: Sequence[CatalogueEntry], embedder) -> dict[str, np.ndarray]:
    vectors = {e.id: np.asarray(e.vector) for e in entries if e.vector is not None}
    missing = [e for e in entries if e.vector is None and e.themes]
    if missing and embedder is not None:
        texts = [e.text or f"{e.title}\n{e.summary}" for e in missing]
        for entry, vector in zip(missing, embedder.embed_passages(texts), strict=False):
            vectors[entry.id] = vector
    return vectors
