"""The JSON API: each route parses, makes one library call, and formats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from .. import api
from ..errors import AmbiguousNameError
from ..query import Filters, Results, Searcher
from .choices import filter_choices
from .holder import IndexHolder
from .schemas import (
    ERRORS,
    DocumentModel,
    ErrorModel,
    ResultsModel,
    StatusModel,
    TagRequest,
    TitleModel,
)

MAX_K = 200
K = Annotated[int, Query(ge=1, le=MAX_K, description="number of initiatives")]
CATALOGUE_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


class Ambiguous(Exception):
    """A name that matches several initiatives, with those it may mean."""

    def __init__(self, message: str, candidates: list[dict[str, str]]):
        super().__init__(message)
        self.candidates = candidates


class Unavailable(Exception):
    """A library call this version of Tisser does not have yet."""


def search_filters(
    theme: Annotated[list[str], Query(description="theme id; all given must match")] = [],  # noqa: B006
    region: Annotated[str | None, Query(description="région (INSEE code)")] = None,
    departement: Annotated[str | None, Query(description="département (INSEE code)")] = None,
    actor_kind: Annotated[list[str], Query(description="kind of actor; any may match")] = [],  # noqa: B006
) -> Filters:
    return api.make_filters(theme, region or None, departement or None, actor_kind)


FilterArgs = Annotated[Filters, Depends(search_filters)]


def make_router(holder: IndexHolder) -> APIRouter:
    router = APIRouter(prefix="/api", responses=ERRORS)

    @router.get("/search", response_model=ResultsModel)
    def search(
        q: Annotated[str, Query(description="free text, or « projets comme NOM »")],
        filters: FilterArgs,
        k: K = 10,
    ) -> Response:
        """Initiatives matching free text; « projets comme X » gives those like X."""
        return JSONResponse(ask(holder.searcher(), q, k, filters).to_dict())

    @router.get("/similar", response_model=ResultsModel)
    def similar(
        id: Annotated[str, Query(description="id, title or part of a title")],
        filters: FilterArgs,
        k: K = 10,
    ) -> Response:
        """Initiatives like the one named, with the reasons they are alike."""
        searcher = holder.searcher()
        with naming(searcher, id):
            return JSONResponse(searcher.similar(id, k, filters).to_dict())

    @router.get("/documents/{doc_id:path}", response_model=DocumentModel)
    def document(doc_id: str) -> Response:
        """One initiative: its text, its places and organisations, its themes."""
        searcher = holder.searcher()
        with naming(searcher, doc_id):
            stored = searcher.find(doc_id)
        return JSONResponse({k: v for k, v in asdict(stored).items() if k != "digest"})

    @router.post(
        "/tag",
        responses={
            413: {"model": ErrorModel, "description": "text too large"},
            501: {"model": ErrorModel},
        },
    )
    def tag(body: TagRequest) -> dict[str, Any]:
        """Places, organisations, territory and themes of a text, and the nearest initiatives."""
        return library("tag_text")(holder.searcher(), body.text)

    @router.get(
        "/themes",
        responses={
            200: {"content": {t: {} for t in CATALOGUE_TYPES.values()}},
            501: {"model": ErrorModel},
        },
    )
    def themes(format: Literal["json", "html", "md", "csv"] = "json") -> Response:
        """The themed index of the corpus, as JSON, or a page, Markdown or CSV to share."""
        themed_index = library("themed_index")
        from ..themes import render_catalogue  # heavy: imported on the first request only

        catalogue = holder.derived("catalogue", themed_index)
        headers = {}
        if format == "html":  # a standalone page: its own inline style, no script at all
            headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        elif format != "json":
            headers["content-disposition"] = f'attachment; filename="catalogue.{format}"'
        return Response(
            render_catalogue(catalogue, format), media_type=CATALOGUE_TYPES[format], headers=headers
        )

    @router.get("/titles", response_model=list[TitleModel])
    def titles(prefix: str = "", limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
        """Titles containing ``prefix`` (case and accents ignored), for autocompletion."""
        found = holder.searcher().titles(prefix, limit)
        return JSONResponse([{"id": i, "title": t} for i, t in found])

    @router.get("/filters")
    def filters() -> Response:
        """The themes, régions, départements and kinds of actor found in the index."""
        return JSONResponse(holder.derived("filters", filter_choices))

    @router.get("/status", response_model=StatusModel)
    def status() -> Response:
        """What the server answers from."""
        searcher = holder.searcher()
        manifest = searcher.manifest
        return JSONResponse(
            {
                "documents": len(searcher.store.documents),
                "model": manifest.model,
                "created": manifest.created,
                "snapshot": searcher.folder.name,
            }
        )

    return router


def ask(searcher: Searcher, text: str, k: int, filters: Filters) -> Results:
    """The CLI's bare question: « projets comme X » runs similar, anything else runs query."""
    like = api.LIKE.match(text)
    if not like:
        return searcher.query(text, k, filters)
    with naming(searcher, like["name"]):
        return searcher.similar(like["name"], k, filters)


@contextmanager
def naming(searcher: Searcher, name: str) -> Iterator[None]:
    """Turn an ambiguous name into a 400 that lists the initiatives it may mean."""
    try:
        yield
    except AmbiguousNameError as exc:
        found = searcher.titles(name, 10)
        raise Ambiguous(str(exc), [{"id": i, "title": t} for i, t in found]) from exc


def library(name: str) -> Callable[..., Any]:
    call = getattr(api, name, None)
    if call is None:
        raise Unavailable(f"pipeline.api.{name} is not in this version of Tisser")
    return call
