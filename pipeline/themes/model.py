"""The records of theme tagging and of the themed index: small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Theme:
    """One theme of a taxonomy: what it is called and the French words that announce it."""

    id: str
    label: str
    description: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeScore:
    """A theme found in a document, how strongly (0..1), and what made the tagger say so."""

    id: str
    label: str
    score: float
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "score": round(float(self.score), 4),
            "evidence": list(self.evidence),
        }


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

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Catalogue:
    """The themed index of a corpus: one section per theme, in taxonomy order."""

    sections: tuple[ThemeSection, ...]
    total: int  # initiatives in the corpus
    untagged: tuple[CatalogueItem, ...] = ()  # initiatives with no theme above threshold


@dataclass(frozen=True)
class LabelReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """Cross-validated quality of a supervised tagger."""

    labels: tuple[LabelReport, ...]
    macro_f1: float
    micro_f1: float
    accuracy: float  # exact match of the label set (top label in single-label mode)
    folds: int
    documents: int
    mode: str  # "single-label" or "multi-label"

    def render(self) -> str:
        width = max([len(r.label) for r in self.labels] + [5])
        lines = [
            f"{self.documents} documents, {len(self.labels)} labels, {self.mode}, "
            f"{self.folds}-fold cross-validation",
            f"{'label':<{width}}  precision  recall     f1  support",
        ]
        for r in self.labels:
            lines.append(
                f"{r.label:<{width}}  {r.precision:9.3f}  {r.recall:6.3f}  {r.f1:5.3f}  "
                f"{r.support:7d}"
            )
        lines.append(
            f"macro-F1 {self.macro_f1:.3f}  micro-F1 {self.micro_f1:.3f}  "
            f"accuracy {self.accuracy:.3f}"
        )
        return "\n".join(lines)


def shared_themes(a: list[ThemeScore], b: list[ThemeScore]) -> list[ThemeScore]:
    """Themes two initiatives both carry, strongest jointly first (score = the lower of the
    two), for the reasons given by `similar`."""
    theirs = {t.id: t for t in b}
    both = [
        ThemeScore(t.id, t.label, min(t.score, theirs[t.id].score), ()) for t in a if t.id in theirs
    ]
    return sorted(both, key=lambda t: (-t.score, t.id))
