"""What a search answers: ranked hits, each with what a person needs to judge it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float
    passage: str
    places: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    metadata: dict[str, Any]
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "passage": self.passage,
            "places": self.places,
            "organisations": self.organisations,
            "themes": self.themes,
            "metadata": self.metadata,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "results": [h.to_dict() for h in self.hits]}


@dataclass(frozen=True)
class Neighbours:
    """One document and the documents most like it: a row of the related-initiatives table."""

    id: str
    title: str
    themes: list[dict[str, Any]]  # the document's own, to say which a neighbour shares
    results: Results

    def shared_themes(self, hit: Hit) -> list[str]:
        """Labels of the themes ``hit`` shares with this document, in the hit's order."""
        own = {t["id"] for t in self.themes}
        return [t.get("label", t["id"]) for t in hit.themes if t["id"] in own]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "results": self.results.to_dict()["results"]}
