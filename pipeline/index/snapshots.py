"""The index folder: versioned snapshots, a manifest checked on load, and an atomic swap.

Layout of ``--index DIR``::

    DIR/CURRENT          name of the live snapshot, replaced atomically
    DIR/v-<stamp>/       one complete snapshot: manifest.json and the files it lists
    DIR/.lock            held by whoever writes

A writer fills a hidden folder, then renames it to ``v-<stamp>`` and points CURRENT at it.
A reader resolves CURRENT once, so it sees the old snapshot or the new one, never a mix;
an interrupted build leaves CURRENT, and so the previous index, untouched.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import IndexMismatchError, IndexMissingError
from ..settings import Settings

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_KEEP_PREVIOUS = 1  # snapshots kept besides the live one, for readers still using them


@dataclass(frozen=True)
class Manifest:
    format_version: int
    created: str
    model: str
    dim: int
    counts: dict[str, int]
    files: dict[str, str]  # name -> sha256
    settings: dict[str, Any]
    annotators: dict[str, str] = field(default_factory=dict)  # what made entities and themes
    versions: dict[str, str] = field(default_factory=dict)  # of the libraries that wrote it
    # The profile head's gate as the build measured it (pipeline/search/gate.py), if it did.
    profile_gate: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, **values: Any) -> Manifest:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return cls(format_version=FORMAT_VERSION, created=created, versions=_versions(), **values)


def _versions() -> dict[str, str]:
    """Versions of Tisser (its package metadata: pipeline.__version__ when installed) and of
    the libraries that wrote the index."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("tisser", "faiss-cpu", "sentence-transformers", "scikit-learn", "spacy"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            pass
    return found


def snapshot(root: Path) -> Path:
    """Folder of the live snapshot; IndexMissingError when there is none."""
    pointer = root / "CURRENT"
    if not pointer.is_file():
        raise IndexMissingError(f"no index in {root}/: build one with `search.py build`")
    folder = root / pointer.read_text().strip()
    if not folder.is_dir():
        raise IndexMismatchError(
            f"{pointer} names a missing snapshot: rebuild with `search.py build`"
        )
    return folder


def has_index(root: Path) -> bool:
    return (root / "CURRENT").is_file()


def live_settings(root: Path) -> Settings:
    """The settings the live snapshot was built with."""
    return Settings.from_dict(read_manifest(snapshot(root), verify=False).settings)


@contextmanager
def writing(root: Path, lock: bool = True) -> Iterator[Path]:
    """Yield an empty folder to fill; on success it becomes the live snapshot.

    On any exception the folder is removed and the live snapshot is untouched.
    """
    root.mkdir(parents=True, exist_ok=True)
    with locked(root) if lock else nullcontext():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        work = root / f".building-{stamp}-{os.getpid()}"
        work.mkdir()
        try:
            yield work
            final = root / f"v-{stamp}"
            work.rename(final)
            _point(root, final.name)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _prune(root, keep=final.name)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One writer at a time; readers never wait (they read a complete snapshot)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _point(root: Path, name: str) -> None:
    tmp = root / f".CURRENT-{os.getpid()}"
    tmp.write_text(name + "\n")
    with open(tmp) as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, root / "CURRENT")


def _prune(root: Path, keep: str) -> None:
    snapshots = sorted(p for p in root.glob("v-*") if p.is_dir() and p.name != keep)
    for old in snapshots[: max(0, len(snapshots) - _KEEP_PREVIOUS)]:
        shutil.rmtree(old, ignore_errors=True)
    # Leftovers of builds killed before they could clean up (SIGKILL, power loss).
    for stale in root.glob(".building-*"):
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2, ensure_ascii=False))


def file_checksums(folder: Path, names: list[str]) -> dict[str, str]:
    return {name: checksum(folder / name) for name in names}


def read_manifest(folder: Path, model: str | None = None, verify: bool = True) -> Manifest:
    """Load and check the manifest; one-line IndexMismatchError saying what differs."""
    rebuild = "rebuild with `search.py build`"
    try:
        manifest = Manifest(**json.loads((folder / MANIFEST).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise IndexMismatchError(f"{folder / MANIFEST} is unreadable ({exc}): {rebuild}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index format {manifest.format_version}, this Tisser reads {FORMAT_VERSION}: {rebuild}"
        )
    if model is not None and model != manifest.model:
        raise IndexMismatchError(
            f"index built with model {manifest.model!r}, asked for {model!r}: ask for the "
            f"index's model, or rebuild with `search.py build --model {model}`"
        )
    if verify:
        for name, expected in manifest.files.items():
            path = folder / name
            if not path.is_file() or checksum(path) != expected:
                raise IndexMismatchError(f"{path} is missing or fails its checksum: {rebuild}")
    return manifest
