"""The index folder: versioned snapshots, a manifest checked on load, and an atomic swap.

Layout of ``--index DIR``::

    DIR/CURRENT          name of the live snapshot, replaced atomically
    DIR/v-<stamp>/       one complete snapshot: manifest.json (and its digest, manifest.sha256)
                         and the files it lists (pipeline/index/manifest.py)
    DIR/.lock            held by whoever writes

A writer fills a hidden folder ``.building-<stamp>-<pid>``, then renames it to ``v-<stamp>``
and points CURRENT at it through ``.CURRENT-<pid>``. A reader resolves CURRENT once, so it
sees the old snapshot or the new one, never a mix; an interrupted or refused write leaves
CURRENT, and so the previous index, untouched, and removes what it wrote. What a killed write
could not remove, the next write does.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

from ..errors import PARAM, IndexMismatchError, IndexMissingError, IndexWriteError, ParameterError
from ..settings import Settings
from .manifest import (
    FORMAT_VERSION,
    MANIFEST,
    REBUILD,
    SEAL,
    FileEntry,
    Manifest,
    checksum,
    file_entries,
    read_manifest,
    write_manifest,
)

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST",
    "SEAL",
    "FileEntry",
    "Manifest",
    "checksum",
    "file_entries",
    "read_manifest",
    "write_manifest",
]

POINTER = "CURRENT"
_SNAPSHOT_NAME = re.compile(r"v-[0-9T]+")


def snapshot(root: Path) -> Path:
    """Folder of the live snapshot; IndexMissingError when there is none."""
    pointer = root / POINTER
    if not pointer.is_file():
        file = root.exists() and not root.is_dir()
        where = f"{root} is a file, not an index folder" if file else f"no index in {root}/"
        raise IndexMissingError(f"{where}: build one with `search.py build`")
    folder = root / _name_in(pointer)
    if not folder.is_dir():
        raise IndexMismatchError(f"{pointer} names a missing snapshot: {REBUILD}")
    return folder


def _name_in(pointer: Path) -> str:
    """The snapshot name ``CURRENT`` holds, refused in one line when it holds anything else
    (a damaged file must not name a folder outside the index)."""
    try:
        name = pointer.read_bytes().decode("ascii").strip()
    except UnicodeDecodeError:
        name = None
    except OSError as exc:
        raise IndexMismatchError(f"{pointer} is unreadable ({exc.strerror}): {REBUILD}") from None
    if name is None or not _SNAPSHOT_NAME.fullmatch(name):
        raise IndexMismatchError(f"{pointer} is damaged (it names no snapshot): {REBUILD}")
    return name


def has_index(root: Path) -> bool:
    return (root / POINTER).is_file()


def live_settings(root: Path) -> Settings:
    """The settings the live snapshot was built with."""
    return Settings.from_dict(read_manifest(snapshot(root), verify="none").settings)


def check_writable(root: Path) -> None:
    """Refuse, before any work, an index folder that cannot be written: a file, a folder
    under a file, a read-only folder."""
    existing = root
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        where = "is a file" if existing == root else f"is under {existing}, a file"
        raise ParameterError("index_dir", f"{PARAM} {root} {where}: name a folder for the index")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise IndexWriteError(
            f"cannot write the index in {root}/: {existing}/ is read-only or not yours"
        )


@contextmanager
def writing(root: Path, lock: bool = True) -> Iterator[Path]:
    """Yield an empty folder to fill; on success it becomes the live snapshot.

    On any exception the folder is removed and the live snapshot is untouched; a disk that
    refuses the write (full, read-only) is an IndexWriteError of one line.
    """
    created = not root.exists()
    try:
        with disk_errors(root):
            root.mkdir(parents=True, exist_ok=True)
            with locked(root) if lock else nullcontext():
                _clean_leftovers(root)
                stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
                work = root / f".building-{stamp}-{os.getpid()}"
                work.mkdir()
                try:
                    yield work
                    _swap(root, work, f"v-{stamp}")
                except BaseException:
                    shutil.rmtree(work, ignore_errors=True)
                    raise
    except BaseException:
        if created and root.is_dir() and {p.name for p in root.iterdir()} <= {".lock"}:
            shutil.rmtree(root, ignore_errors=True)  # a first build that failed leaves nothing
        raise


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One writer at a time; readers never wait (they read a complete snapshot)."""
    with disk_errors(root):  # only the lock file: errors of the writer's reads are its own
        handle = open(root / ".lock", "w")
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def disk_errors(root: Path) -> Iterator[None]:
    """An OSError of a write (full disk, read-only, no permission) as one line."""
    try:
        yield
    except OSError as exc:
        why = exc.strerror or errno.errorcode.get(exc.errno or 0) or str(exc)
        raise IndexWriteError(
            f"cannot write the index in {root}/: {why} (the previous index is unchanged)"
        ) from exc


def _swap(root: Path, work: Path, name: str) -> None:
    """Make the filled folder the live snapshot; on failure nothing of it is left."""
    previous = _pointed(root)
    final = root / name
    work.rename(final)
    try:
        _point(root, name)
    except BaseException:
        if _pointed(root) != name:
            shutil.rmtree(final, ignore_errors=True)
        raise
    _prune(root, keep={name, previous})


def _pointed(root: Path) -> str | None:
    """The snapshot CURRENT names, or None (no index, or a damaged CURRENT)."""
    try:
        return _name_in(root / POINTER)
    except (IndexMismatchError, FileNotFoundError):
        return None


def _point(root: Path, name: str) -> None:
    tmp = root / f".CURRENT-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, root / POINTER)
    finally:
        tmp.unlink(missing_ok=True)


def _prune(root: Path, keep: set[str | None]) -> None:
    """Remove snapshots but the live one and the one it replaced (for readers still using
    it): older ones, and those of a write killed between its rename and its swap."""
    for old in root.glob("v-*"):
        if old.name not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _clean_leftovers(root: Path) -> None:
    """Remove what writes killed before they could clean up (kill -9, power loss) left:
    their work folder, their temporary CURRENT. Called under the lock, so no writer is
    using them; the pid that ends their name tells whose they were."""
    for path in [*root.glob(".building-*"), *root.glob(".CURRENT-*")]:
        owner = path.name.rsplit("-", 1)[-1]
        if owner.isdigit() and _alive(int(owner)):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
