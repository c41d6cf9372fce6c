"""Shapes of the JSON API, for its OpenAPI description and for request bodies.

Routes return the library's own ``to_dict()`` output; these models describe it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class HitModel(BaseModel):
    id: str
    title: str
    score: float
    passage: str = Field(description="the passage of the initiative that matched best")
    places: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    metadata: dict[str, Any]
    reasons: list[str] = Field(description="why it is like the initiative asked about")


class ResultsModel(BaseModel):
    """The same object as ``search.py query --json`` and ``search.py similar --json``."""

    query: str
    results: list[HitModel]


class PlaceCountModel(BaseModel):
    code: str = Field(description="INSEE code of the département or région")
    name: str
    count: int = Field(description="initiatives placed there")
    level: int = Field(description="shade of the legend (1 = lightest); 0 for a région")
    on_map: bool = Field(description="false for a région or a place the base map lacks")


class LegendStepModel(BaseModel):
    level: int
    min: int
    max: int | None = Field(description="null for the darkest shade: the largest count")
    label: str


class MapCountsModel(BaseModel):
    """Where the initiatives are: an initiative counts once in each of its départements."""

    total: int = Field(description="initiatives counted")
    departements: list[PlaceCountModel]
    regions_only: list[PlaceCountModel] = Field(
        description="initiatives placed in a région and no département, by région"
    )
    without_territory: int = Field(description="initiatives with no territory (sans territoire)")
    legend: list[LegendStepModel]


class SearchResultsModel(ResultsModel):
    """The CLI's ``--json`` object, with where its results are, for the page's map."""

    map: MapCountsModel


class InsetModel(BaseModel):
    label: str
    box: list[float] = Field(description="x, y, width, height in the map's coordinates")
    departements: list[str]
    zoom: dict[str, float] | None = Field(
        description="Paris enlarged: its paths drawn at dx + scale * x, dy + scale * y"
    )


class BasemapPathModel(BaseModel):
    code: str
    name: str
    path: str = Field(description="SVG path data in the map's coordinates")


class BasemapModel(BaseModel):
    viewBox: str
    attribution: str
    departements: list[BasemapPathModel]
    insets: list[InsetModel]


class DocumentModel(BaseModel):
    id: str
    title: str
    text: str
    meta: dict[str, Any]
    entities: dict[str, Any] = Field(description="places, organisations, persons, territory")
    themes: list[dict[str, Any]]
    map: MapCountsModel = Field(description="its territory, as the map draws it")


class TitleModel(BaseModel):
    id: str
    title: str


class SuggestionsModel(BaseModel):
    prefix: str = Field(description="the question's own words (« projets comme »), or empty")
    titles: list[TitleModel]


class StatusModel(BaseModel):
    documents: int
    model: str
    created: str
    snapshot: str


class TagRequest(BaseModel):
    text: str = Field(description="a case study in French, as pasted")


class ErrorModel(BaseModel):
    status: int
    message: str
    candidates: list[TitleModel] | None = Field(
        default=None, description="for an ambiguous name: the initiatives it may mean"
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorModel, "description": "bad parameter, or a name matching several"},
    404: {"model": ErrorModel, "description": "no initiative has this id or name"},
    503: {"model": ErrorModel, "description": "the index is missing or cannot be opened"},
}

BUSY: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorModel, "description": "the index is missing, or the server is busy"},
    504: {"model": ErrorModel, "description": "the request took longer than its time budget"},
}
