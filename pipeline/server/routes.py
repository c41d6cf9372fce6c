"""The JSON API: each route parses, makes one library call (``pipeline.api``, as the CLI does),
and formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from .. import api
from ..api import Filters
from .holder import IndexHolder
from .schemas import (
    BUSY,
    ERRORS,
    BasemapModel,
    DocumentModel,
    ErrorModel,
    SearchResultsModel,
    StatusModel,
    SuggestionsModel,
    TagRequest,
    TitleModel,
)
from .workers import HeavyWork

MAX_K = 200
K = Annotated[int, Query(ge=1, le=MAX_K, description="number of initiatives")]
CATALOGUE_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "map-csv": "text/csv; charset=utf-8",
}
CATALOGUE_FILES = {"map-csv": "catalogue-carte.csv"}
# The library's parameter names, as this API spells them (errors name the API's).
QUERY_NAMES = {"themes": "theme", "actor_kinds": "actor_kind"}


def search_filters(
    theme: Annotated[list[str], Query(description="theme id; all given must match")] = [],  # noqa: B006
    region: Annotated[str | None, Query(description="région (INSEE code)")] = None,
    departement: Annotated[str | None, Query(description="département (INSEE code)")] = None,
    actor_kind: Annotated[list[str], Query(description="kind of actor; any may match")] = [],  # noqa: B006
) -> Filters:
    return api.make_filters(theme, region or None, departement or None, actor_kind)


FilterArgs = Annotated[Filters, Depends(search_filters)]


def with_map(searcher: api.Searcher, results: api.Results) -> JSONResponse:
    """The CLI's ``--json`` object and where its results are, for the page's map."""
    return JSONResponse({**results.to_dict(), "map": api.map_counts(searcher, results)})


def make_router(holder: IndexHolder, work: HeavyWork) -> APIRouter:
    """The routes; those that compute (``async def``) run their call on ``work``'s threads, the
    light ones (plain ``def``) on Starlette's."""
    router = APIRouter(prefix="/api", responses={**ERRORS, **BUSY})

    @router.get("/search", response_model=SearchResultsModel)
    async def search(
        q: Annotated[str, Query(description="free text, or « projets comme NOM »")],
        filters: FilterArgs,
        k: K = 10,
    ) -> Response:
        """Initiatives matching free text; « projets comme X » gives those like X."""

        def answer() -> JSONResponse:
            searcher = holder.searcher()
            return with_map(searcher, api.ask(searcher, q, k, filters))

        return await work.run(answer)

    @router.get("/similar", response_model=SearchResultsModel)
    async def similar(
        id: Annotated[str, Query(description="id, title or part of a title")],
        filters: FilterArgs,
        k: K = 10,
    ) -> Response:
        """Initiatives like the one named, with the reasons they are alike."""

        def answer() -> JSONResponse:
            searcher = holder.searcher()
            return with_map(searcher, api.similar(searcher, id, k, filters))

        return await work.run(answer)

    @router.get("/basemap", response_model=BasemapModel)
    def basemap() -> Response:
        """The map of France by département the page draws (SVG paths, CC BY 4.0)."""
        return JSONResponse(api.map_basemap(), headers={"cache-control": "max-age=86400"})

    @router.get("/documents/{doc_id:path}", response_model=DocumentModel)
    def document(doc_id: str) -> Response:
        """One initiative: its text, its places and organisations, its themes."""
        return JSONResponse(api.document(holder.searcher(), doc_id))

    @router.post(
        "/tag",
        response_model=dict[str, Any],
        responses={
            408: {"model": ErrorModel, "description": "the body did not arrive in time"},
            413: {"model": ErrorModel, "description": "text too large"},
        },
    )
    async def tag(body: TagRequest) -> Response:
        """Places, organisations, territory and themes of a text, and the nearest initiatives."""
        # The answer is made into JSON on the worker too: a long text has many entities.
        return await work.run(lambda: JSONResponse(api.tag_text(holder.searcher(), body.text)))

    @router.get("/themes", responses={200: {"content": {t: {} for t in CATALOGUE_TYPES.values()}}})
    async def themes(format: Literal["json", "html", "md", "csv", "map-csv"] = "json") -> Response:
        """The themed index of the corpus, as JSON, or a page, Markdown or CSV to share;
        ``map-csv``: the counts by theme and département its maps are drawn from."""
        text = await work.run(
            lambda: api.render_catalogue(holder.derived("catalogue", api.themed_index), format)
        )
        headers = {}
        if format == "html":  # a standalone page: its own inline style, no script at all
            headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        elif format != "json":
            name = CATALOGUE_FILES.get(format, f"catalogue.{format}")
            headers["content-disposition"] = f'attachment; filename="{name}"'
        return Response(text, media_type=CATALOGUE_TYPES[format], headers=headers)

    @router.get("/titles", response_model=list[TitleModel])
    def titles(prefix: str = "", limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
        """Titles containing ``prefix`` (case and accents ignored), for autocompletion."""
        return JSONResponse(api.titles(holder.searcher(), prefix, limit))

    @router.get("/suggest", response_model=SuggestionsModel)
    def suggest(
        q: Annotated[str, Query(description="what is being typed in the search box")] = "",
        limit: Annotated[int, Query(ge=1, le=100)] = 8,
    ) -> Response:
        """Titles to complete what is being typed: after « projets comme », the name."""
        return JSONResponse(api.suggest_titles(holder.searcher(), q, limit))

    @router.get("/filters")
    async def filters() -> Response:
        """The themes, régions, départements and kinds of actor found in the index."""
        return await work.run(lambda: JSONResponse(holder.derived("filters", api.filter_choices)))

    @router.get("/status", response_model=StatusModel)
    def status() -> Response:
        """What the server answers from."""
        return JSONResponse(api.status(holder.searcher()))

    return router
