"""The records of theme tagging: small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
