"""The HTTP server: the JSON API and the web page, in one FastAPI app over one index."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__, api
from ..errors import (
    AmbiguousNameError,
    IndexMismatchError,
    IndexMissingError,
    InputError,
    ModelError,
    NotFoundError,
    ParameterError,
    TisserError,
)
from .guards import LOOPBACK_HOSTS, BodyDeadline, BodyLimit, LocalHosts, SecurityHeaders
from .holder import IndexHolder, Opener
from .routes import QUERY_NAMES, make_router
from .workers import BUDGET, HeavyWork

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 200_000  # bytes: a long case study is ~30 kB
BODY_SECONDS = 15.0  # to receive a whole body: 200 kB need far less on any link

_STATUS = (  # first match wins
    (NotFoundError, 404),
    (InputError, 400),
    (IndexMissingError, 503),
    (IndexMismatchError, 503),
    (ModelError, 503),
)


def create_app(
    index_dir: Path,
    *,
    allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS,
    max_body: int = MAX_BODY,
    opener: Opener = api.open_index,
    budget: float = BUDGET,
    body_seconds: float = BODY_SECONDS,
) -> FastAPI:
    """The app over ``index_dir``. ``allowed_hosts=None`` accepts any Host header (a server
    bound to a network address); the default accepts loopback names only. A request that
    computes gets ``budget`` seconds (then 504); a body, ``body_seconds`` to arrive (then 408)."""
    holder = IndexHolder(Path(index_dir), opener)
    work = HeavyWork(budget)
    app = FastAPI(
        title="Tisser",
        summary="Recherche d'initiatives de coopération territoriale",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN: not offline
        redoc_url=None,
        lifespan=_open_at_start(holder, work),
    )
    app.state.holder = holder
    app.include_router(make_router(holder, work))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    _add_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(BodyDeadline, seconds=body_seconds)
    app.add_middleware(SecurityHeaders)
    if allowed_hosts is not None:
        app.add_middleware(LocalHosts, allowed=frozenset(allowed_hosts))
    return app


def _open_at_start(holder: IndexHolder, work: HeavyWork):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            holder.searcher()  # opened and warmed before the first request is accepted
        except TisserError:
            pass  # no usable index yet: routes answer 503 until one is built
        yield
        work.close()

    return lifespan


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TisserError)
    async def library_error(request: Request, exc: TisserError) -> JSONResponse:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        if isinstance(exc, ParameterError):  # named as this API names its parameters
            return error(status, exc.named(QUERY_NAMES.get(exc.parameter, exc.parameter)))
        if isinstance(exc, AmbiguousNameError):  # the initiatives the message lists
            candidates = [{"id": i, "title": t} for i, t in exc.candidates]
            return error(status, str(exc), candidates=candidates)
        return error(status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
            for e in exc.errors()
        ]
        return error(400, "; ".join(problems))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail), headers=exc.headers)


def error(status: int, message: str, headers=None, **extra) -> JSONResponse:
    return JSONResponse({"status": status, "message": message, **extra}, status, headers=headers)
