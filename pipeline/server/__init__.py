"""Tisser over HTTP: a JSON API and a French web page, served offline from one index.

from pipeline.server import serve
serve(Path("index"))        # http://127.0.0.1:8000
"""

from __future__ import annotations

from pathlib import Path

from .app import create_app
from .guards import LOOPBACK_HOSTS

__all__ = ["create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def serve(index_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server until interrupted. On loopback it answers only loopback host names."""
    import uvicorn

    allowed = LOOPBACK_HOSTS | {host} if is_loopback(host) else None
    uvicorn.run(
        create_app(index_dir, allowed_hosts=allowed),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
    )
