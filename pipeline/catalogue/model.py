"""The records of the themed index: small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..extract import Territory
from ..search.territories import MapCounts
from ..themes import Theme, ThemeScore


@dataclass
class CatalogueEntry:
    """One indexed initiative as the themed index needs it."""

    id: str
    title: str
    themes: list[ThemeScore]
    departements: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    actor_kinds: list[str] = field(default_factory=list)
    summary: str = ""
    vector: np.ndarray | None = None  # L2-normalised document vector, for sub-groups
    text: str = ""  # fuller text to name sub-groups by; title and summary when empty
    territory: Territory = Territory()  # codes: what the maps count


@dataclass(frozen=True)
class CatalogueItem:
    """An initiative as listed under one theme."""

    id: str
    title: str
    territory: str
    score: float
    summary: str
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    actor_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubGroup:
    """A cluster of initiatives inside a theme, named by its most distinctive terms."""

    name: str
    terms: tuple[str, ...]
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class ThemeSection:
    theme: Theme
    items: tuple[CatalogueItem, ...]
    regions: tuple[tuple[str, int], ...]  # (name, initiatives), most frequent first
    departements: tuple[tuple[str, int], ...]
    actor_kinds: tuple[tuple[str, int], ...]
    subgroups: tuple[SubGroup, ...] = ()
    map: MapCounts | None = None  # where its initiatives are, by département

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Catalogue:
    """The themed index of a corpus: one section per theme, in taxonomy order."""

    sections: tuple[ThemeSection, ...]
    total: int  # initiatives in the corpus
    untagged: tuple[CatalogueItem, ...] = ()  # initiatives with no theme above threshold
    map: MapCounts | None = None  # where all the corpus's initiatives are
