"""Tisser over HTTP: a JSON API and a French web page, served offline from one index.

from pipeline.server import serve
serve(Path("index"))        # http://127.0.0.1:8000
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from .. import api
from .app import create_app
from .guards import LOOPBACK_HOSTS
from .workers import BUDGET

__all__ = ["create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def serve(
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: api.SettingsFile | None = None,
    budget: float = BUDGET,
) -> None:
    """Run the server until interrupted. On loopback it answers only loopback host names.
    What the settings file ``config`` changes applies to every snapshot it opens (see
    ``api.open_index``). A search or tag gets ``budget`` seconds, then its client is told so."""
    import uvicorn

    allowed = LOOPBACK_HOSTS | {host} if is_loopback(host) else None
    opener = partial(api.open_index, config=config) if config else api.open_index
    uvicorn.run(
        create_app(index_dir, allowed_hosts=allowed, opener=opener, budget=budget),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
    )
