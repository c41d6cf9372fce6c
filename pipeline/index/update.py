"""Keep an index current: add or replace documents, remove them, without re-embedding the rest.

Each update reads the live snapshot and commits a new one while holding the index lock, so
two updates never lose each other's work and readers see the old or the new index.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from ..documents import Document
from ..embed import Embedder
from ..errors import EmptyCorpusError, InputError, NotFoundError
from ..settings import Settings
from ..sources import SourceOptions
from . import snapshots
from .builder import (
    SILENT,
    BuildReport,
    Feedback,
    ProfileGate,
    commit,
    finished,
    load_documents,
)
from .docstore import DocumentStore


def add(
    files: Sequence[Path],
    index_dir: Path,
    *,
    options: SourceOptions = SourceOptions(),
    embedder: Embedder | None = None,
    annotate: bool = False,
    feedback: Feedback = SILENT,
    gate: ProfileGate | None = None,
) -> BuildReport:
    """Add or replace (same id) the documents of ``files`` in the live index."""
    started = time.perf_counter()
    _check_index(index_dir)
    new, skipped = load_documents(files, options, feedback)
    if not new:
        raise EmptyCorpusError(f"no document to add in {', '.join(map(str, files))}")
    with snapshots.locked(index_dir):
        current, settings = _live(index_dir)
        ids = {d.id for d in new}
        documents = [d for d in current if d.id not in ids] + new
        report = commit(
            documents,
            index_dir,
            settings,
            embedder,
            annotate,
            feedback,
            lock=False,
            gate=gate,
            verified=True,
        )
    return finished(report, skipped=skipped, started=started)


def remove(
    ids: Sequence[str],
    index_dir: Path,
    *,
    embedder: Embedder | None = None,
    annotate: bool = False,
    gate: ProfileGate | None = None,
) -> BuildReport:
    """Remove documents by id from the live index; unknown ids are an error, nothing changes."""
    started = time.perf_counter()
    _check_index(index_dir)
    with snapshots.locked(index_dir):
        current, settings = _live(index_dir)
        unknown = sorted(set(ids) - {d.id for d in current})
        if unknown:
            raise NotFoundError(f"no document with id {', '.join(unknown)} in {index_dir}/")
        documents = [d for d in current if d.id not in set(ids)]
        if not documents:
            raise InputError("removing these ids would leave the index empty: build another")
        report = commit(
            documents, index_dir, settings, embedder, annotate, lock=False, gate=gate, verified=True
        )
    return finished(report, skipped=0, started=started)


def _check_index(index_dir: Path) -> None:
    """Before any work: an index is there to update, and can be written (nothing is created
    for a missing one)."""
    snapshots.check_writable(index_dir)
    snapshots.snapshot(index_dir)


def _live(index_dir: Path) -> tuple[list[Document], Settings]:
    folder = snapshots.snapshot(index_dir)
    # Hashed in full: the documents read here go into the new snapshot with fresh checksums.
    manifest = snapshots.read_manifest(folder, verify="hash", needs=DocumentStore.FILES)
    documents = [d.document for d in DocumentStore.load(folder).documents]
    return documents, Settings.from_dict(manifest.settings)
