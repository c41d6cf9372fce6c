"""The index a server answers from: opened once, swapped whole when a new snapshot goes live.

A build writes a complete snapshot and then replaces ``CURRENT`` atomically (see
pipeline/index/snapshots.py),
so each request only reads that small file: unchanged, it reuses the opened index; changed,
the first request to notice opens the new snapshot, and warms it (``api.warm_up``), before any
request is given it. The previous snapshot is then released: nothing here keeps it, and the
models (embedder, spaCy, taggers) are shared by the snapshots rather than loaded per snapshot.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import api
from ..api import Searcher
from ..errors import IndexMismatchError, IndexMissingError, InputError, ModelError, TisserError

Opener = Callable[[Path], Searcher]
# uvicorn's own logger: its lines ("Application startup complete") are where one looks.
log = logging.getLogger("uvicorn.error")


@dataclass
class _Live:
    pointer: str  # content of CURRENT when the snapshot was opened
    searcher: Searcher
    derived: dict[str, Any] = field(default_factory=dict)  # per snapshot: catalogue, filters
    lock: threading.Lock = field(default_factory=threading.Lock)


class IndexHolder:
    def __init__(self, index_dir: Path, opener: Opener = api.open_index):
        self.index_dir = Path(index_dir)
        self._opener = opener
        self._live: _Live | None = None
        self._failed: tuple[str, TisserError] | None = None  # pointer that would not open
        self._lock = threading.Lock()

    def searcher(self) -> Searcher:
        return self._current().searcher

    def derived(self, name: str, compute: Callable[[Searcher], Any]) -> Any:
        """``compute(searcher)``, once per snapshot (the themed index, the filter choices)."""
        live = self._current()
        with live.lock:
            if name not in live.derived:
                live.derived[name] = compute(live.searcher)
            return live.derived[name]

    def _current(self) -> _Live:
        pointer = self._pointer()
        live = self._live
        if live is not None and live.pointer == pointer:
            return live
        # One request opens the new snapshot; meanwhile the others answer from the live one
        # (or, when there is none yet, wait for it).
        if not self._lock.acquire(blocking=live is None):
            return live
        try:
            return self._swap(pointer)
        finally:
            self._lock.release()

    def _swap(self, pointer: str) -> _Live:
        live = self._live
        if live is not None and live.pointer == pointer:
            return live
        if self._failed is not None and self._failed[0] == pointer:
            # This snapshot already failed to open: do not verify it again per request.
            if live is not None:
                return live
            raise self._failed[1]
        try:
            self._live = _Live(pointer, self._open())
            self._failed = None
        except (IndexMismatchError, ModelError, InputError) as error:
            # InputError: the settings the server was given do not fit this snapshot.
            failure = IndexMismatchError(str(error)) if isinstance(error, InputError) else error
            self._failed = (pointer, failure)
            if live is not None:  # keep answering from the snapshot that works
                return live
            raise failure from None
        return self._live

    def _pointer(self) -> str:
        # Only a key to notice a swap: a CURRENT that is not UTF-8 is refused by the opener,
        # in one line, not here.
        try:
            return (self.index_dir / "CURRENT").read_bytes().strip().decode("utf-8", "replace")
        except (FileNotFoundError, NotADirectoryError):
            raise IndexMissingError(self._missing_message()) from None

    def _open(self) -> Searcher:
        started = time.perf_counter()
        searcher = self._opener(self.index_dir)
        api.warm_up(searcher)  # so that no request waits on a half-ready index
        status = api.status(searcher)
        log.info(
            "ready: index %s, snapshot %s, %d documents, warmed in %.1f s",
            self.index_dir,
            status["snapshot"],
            status["documents"],
            time.perf_counter() - started,
        )
        return searcher

    def _missing_message(self) -> str:
        if any(self.index_dir.glob(".building-*")):
            return f"the index in {self.index_dir}/ is being built: try again in a moment"
        return f"no index in {self.index_dir}/: build one with `search.py build`"
