"""Opening the live snapshot to read it: its manifest checked (manifest.py), its files loaded
and checked against the manifest and each other, so that a damaged or hand-made index is
refused in one line rather than failing inside numpy or FAISS at the first query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..embed import Embedder
from ..errors import IndexMismatchError
from .docstore import DocumentStore
from .lexical import LexicalIndex
from .manifest import REBUILD, Manifest, Verify, read_manifest
from .snapshots import snapshot
from .vectors import VectorIndex

# Every file a search reads; an approximate index's vectors.faiss too, when its manifest
# lists it (an unlisted one is refused with any other unlisted file).
SEARCHED = (*DocumentStore.FILES, *VectorIndex.FILES, *LexicalIndex.FILES)


@dataclass(frozen=True)
class OpenedSnapshot:
    folder: Path
    manifest: Manifest
    store: DocumentStore
    vectors: VectorIndex
    lexical: LexicalIndex


def open_snapshot(index_dir: Path, model: str | None = None, verify: Verify = "stat"):
    """The live snapshot, loaded; ``verify`` as ``read_manifest`` (``"hash"``: every file
    hashed, what ``search.py check`` does)."""
    folder = snapshot(index_dir)
    manifest = read_manifest(folder, model, verify, needs=SEARCHED)
    try:
        store = DocumentStore.load(folder)
        vectors = VectorIndex.load(folder)
        lexical = LexicalIndex.load(folder)
    except Exception as exc:  # damaged past what sizes show: numpy, JSON, FAISS each differ
        raise IndexMismatchError(
            f"{folder} cannot be read ({type(exc).__name__}: {str(exc)[:80]}): "
            f"run `search.py check --index {index_dir}`, then {REBUILD}"
        ) from None
    opened = OpenedSnapshot(folder, manifest, store, vectors, lexical)
    _check_shapes(opened)
    return opened


def _check_shapes(opened: OpenedSnapshot) -> None:
    """Row i of the vectors, the passage table and the TF-IDF matrix is one passage; the
    manifest says how many there are and of which dimension."""
    counts, dim = opened.manifest.counts, opened.manifest.dim
    passages = counts.get("passages")
    found = {
        "documents": (len(opened.store.documents), counts.get("documents")),
        "passages": (len(opened.store.passages), passages),
        "vectors": (opened.vectors.vectors_.shape, (passages, dim)),
        "TF-IDF rows": (opened.lexical.matrix_.shape[0], passages),
    }
    for what, (held, said) in found.items():
        if held != said:
            raise IndexMismatchError(
                f"{opened.folder} holds {what} {held}, its manifest says {said}: {REBUILD}"
            )


def check_embedder(manifest: Manifest, embedder: Embedder) -> None:
    """The model a search embeds queries with gives vectors of the index's dimension."""
    if embedder.dim != manifest.dim:
        raise IndexMismatchError(
            f"model {embedder.model_id!r} gives vectors of dimension {embedder.dim}, the index "
            f"holds {manifest.dim}: {REBUILD}"
        )
