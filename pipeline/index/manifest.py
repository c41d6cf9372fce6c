"""A snapshot's manifest: what the snapshot holds, checked before anything else is read.

``manifest.json`` names the model, the settings, the counts and every data file with its
sha256, size and modification time; ``manifest.sha256`` beside it holds the manifest's own
digest, so that one changed byte of the manifest (a setting, a checksum, an emptied file list)
is refused instead of silently changing the answers. Both are written before the snapshot
folder is swapped in, so they go live together with the files they describe.

Checks, from cheapest to fullest (``read_manifest``'s ``verify``):

- ``"none"``: the manifest's digest, fields and types (reading settings);
- ``"stat"``: also, the files present are exactly those listed, with their sizes; a file whose
  modification time changed (a copy that did not keep times, an edit) is hashed (opening);
- ``"hash"``: every file is hashed (``search.py check``, and a write reusing the index).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from ..errors import IndexMismatchError, InputError
from ..settings import Settings

FORMAT_VERSION = 2  # 2: files with size and time, the manifest's digest beside it
MANIFEST = "manifest.json"
SEAL = "manifest.sha256"
REBUILD = "rebuild with `search.py build`"

Verify = Literal["none", "stat", "hash"]


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int
    mtime_ns: int  # as written: unchanged, the file need not be hashed again on open


@dataclass(frozen=True)
class Manifest:
    format_version: int
    created: str
    model: str
    dim: int
    counts: dict[str, int]
    files: dict[str, FileEntry]
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


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: Path, names: list[str]) -> dict[str, FileEntry]:
    """The entries of files just written: hashed once here, at the write."""
    entries = {}
    for name in names:
        stat = (folder / name).stat()
        entries[name] = FileEntry(checksum(folder / name), stat.st_size, stat.st_mtime_ns)
    return entries


def write_manifest(folder: Path, manifest: Manifest | dict[str, Any]) -> None:
    """The manifest and its digest (a dict: as it is, for the tests of damaged manifests)."""
    data = asdict(manifest) if isinstance(manifest, Manifest) else manifest
    text = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    (folder / MANIFEST).write_bytes(text)
    (folder / SEAL).write_text(hashlib.sha256(text).hexdigest() + "\n", encoding="ascii")


def read_manifest(
    folder: Path, model: str | None = None, verify: Verify = "stat", needs: tuple[str, ...] = ()
) -> Manifest:
    """Load and check the manifest, and the files ``verify`` says; ``needs`` are files the
    caller reads, which must be listed. One-line IndexMismatchError saying what is wrong."""
    manifest = _parse(folder)
    if model is not None and model != manifest.model:
        raise IndexMismatchError(
            f"index built with model {manifest.model!r}, asked for {model!r}: ask for the "
            f"index's model, or rebuild with `search.py build --model {model}`"
        )
    unlisted = sorted(set(needs) - set(manifest.files))
    if unlisted:
        raise IndexMismatchError(f"{folder / MANIFEST} does not list {unlisted[0]}: {REBUILD}")
    if verify != "none":
        _check_files(folder, manifest.files, full=verify == "hash")
    return manifest


def _parse(folder: Path) -> Manifest:
    path = folder / MANIFEST
    try:
        text = path.read_bytes()
        seal = (folder / SEAL).read_bytes().decode("ascii", "replace").strip()
    except FileNotFoundError:
        raise IndexMismatchError(_older_format(folder)) from None
    except OSError as exc:
        raise IndexMismatchError(f"{path} is unreadable ({exc.strerror}): {REBUILD}") from None
    if hashlib.sha256(text).hexdigest() != seal:
        raise IndexMismatchError(
            f"{path} does not match its digest in {SEAL} (damaged or edited): {REBUILD}"
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise IndexMismatchError(f"{path} is unreadable ({exc}): {REBUILD}") from None
    return _typed(data, path)


def _older_format(folder: Path) -> str:
    """Why a manifest without its digest is refused: an older index, or a damaged one."""
    try:
        version = json.loads((folder / MANIFEST).read_bytes()).get("format_version")
    except (OSError, ValueError, AttributeError):
        version = None
    if _count(version) and version != FORMAT_VERSION:
        return _other_format(version)
    missing = MANIFEST if not (folder / MANIFEST).is_file() else SEAL
    return f"{folder / missing} is missing: {REBUILD}"


def _other_format(version: int) -> str:
    return f"index format {version}, this Tisser reads {FORMAT_VERSION}: {REBUILD}"


_TYPES = {
    "format_version": int,
    "created": str,
    "model": str,
    "dim": int,
    "counts": dict,
    "files": dict,
    "settings": dict,
    "annotators": dict,
    "versions": dict,
    "profile_gate": dict,
}


def _typed(data: Any, path: Path) -> Manifest:
    """The manifest of ``data`` once every field has its type: a hand-made or damaged one is
    refused here, not by a crash further on."""

    def refuse(what: str) -> IndexMismatchError:
        return IndexMismatchError(f"{path}: {what}: {REBUILD}")

    if not isinstance(data, dict):
        raise refuse("not a JSON object")
    version = data.get("format_version")
    if version != FORMAT_VERSION and _count(version):
        raise IndexMismatchError(_other_format(version))
    required = {f.name for f in fields(Manifest) if f.default_factory is MISSING}
    missing = sorted(required - set(data))
    unknown = sorted(set(data) - set(_TYPES))
    if missing or unknown:
        raise refuse(f"{'missing' if missing else 'unknown'} field {(missing or unknown)[0]}")
    for name, value in data.items():
        if not isinstance(value, _TYPES[name]) or isinstance(value, bool):
            raise refuse(f"{name} must be {_TYPES[name].__name__}, not {value!r:.40}")
    if data["dim"] < 1 or not all(_count(v) for v in data["counts"].values()):
        raise refuse("dim and counts must be positive whole numbers")
    files = {name: _entry(name, entry, refuse) for name, entry in data["files"].items()}
    try:
        Settings.from_dict(data["settings"])
    except (InputError, TypeError) as exc:
        raise refuse(f"settings: {exc}") from None
    return Manifest(**{**data, "files": files})


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry(name: str, entry: Any, refuse) -> FileEntry:
    plain = name not in ("", ".", "..", MANIFEST, SEAL) and "/" not in name and "\\" not in name
    if not plain:
        raise refuse(f"{name!r} is not a data file name")
    keys = {f.name for f in fields(FileEntry)}
    if not isinstance(entry, dict) or set(entry) != keys:
        raise refuse(f"files.{name} must hold {', '.join(sorted(keys))}")
    sha = entry["sha256"]
    if not (isinstance(sha, str) and len(sha) == 64) or not all(
        _count(entry[k]) for k in ("size", "mtime_ns")
    ):
        raise refuse(f"files.{name} has a value of the wrong type")
    return FileEntry(**entry)


def _check_files(folder: Path, files: dict[str, FileEntry], full: bool) -> None:
    """The files present are those listed, of their size; hashed where their time changed,
    or all of them when ``full``."""
    present = {p.name for p in folder.iterdir()} - {MANIFEST, SEAL}
    unlisted = sorted(present - set(files))
    if unlisted:
        raise IndexMismatchError(
            f"{folder / unlisted[0]} is not listed in the manifest: remove it, or {REBUILD}"
        )
    for name, entry in files.items():
        path = folder / name
        if not path.is_file():
            raise IndexMismatchError(f"{path} is missing: {REBUILD}")
        stat = path.stat()
        if stat.st_size != entry.size:
            raise IndexMismatchError(
                f"{path} fails its checksum (size {stat.st_size}, the manifest says "
                f"{entry.size}): {REBUILD}"
            )
        if (full or stat.st_mtime_ns != entry.mtime_ns) and checksum(path) != entry.sha256:
            raise IndexMismatchError(f"{path} fails its checksum: {REBUILD}")
