"""Which loader reads which file: walking folders and detecting formats."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..documents import Problem

EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "gogocarto",  # the loader checks the content and reports any other JSON
}
# France PAT export files: the main table and the per-axis action tables.
FRANCE_PAT_FILE = re.compile(r"^pats-(axe-.+-)?\d{8}(-win1252)?\.csv$")


NOT_REGULAR = "not a regular file (a pipe, socket or device): skipped"


@dataclass(frozen=True)
class Job:
    """A file (or, for france-pat, a folder) and the format to read it with."""

    format: str
    path: Path


def is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Files under ``folder`` in sorted order, hidden files and folders left out.

    Walked with a list of folders still to read, not by recursion: a tree thousands of folders
    deep is read as far as the system lets a path go, and each folder it cannot read is one
    Problem. Links to folders are not followed (a link loop would never end).
    """
    files: list[Path] = []
    problems: list[Problem] = []
    pending = [folder]
    while pending:
        top = pending.pop()
        try:
            with os.scandir(top) as scan:
                entries = [entry for entry in scan if not entry.name.startswith(".")]
        except OSError as error:
            problems.append(Problem(str(top), None, f"cannot read the folder: {error.strerror}"))
            continue
        for entry in entries:
            if not _is_folder(entry):
                files.append(Path(entry.path))
            elif not entry.is_symlink():
                pending.append(Path(entry.path))
    files.sort(key=lambda path: path.relative_to(folder).parts)
    return files, problems


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # unreadable: reported when the loader opens it
        return False


def _exists(path: Path) -> bool:
    try:
        path.stat()
    except OSError:  # missing, a dangling link, a name longer than the system allows
        return False
    return True


def _special(path: Path) -> bool:
    """A pipe, socket or device: there, but no regular file (a dangling link is not there)."""
    try:
        mode = path.stat().st_mode
    except OSError:  # missing, a dangling link, a name too long: the reader reports it
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def detect_format(file: Path, forced: str | None) -> Job | None:
    """The Job for ``file``; None for a file of unknown type."""
    if forced:
        return Job(forced, file)
    if FRANCE_PAT_FILE.match(file.name):
        return Job("france-pat", file.parent)
    fmt = EXTENSIONS.get(file.suffix.lower())
    return Job(fmt, file) if fmt else None


def plan(paths: Sequence[Path], forced: str | None) -> Iterator[Job | Problem]:
    """Jobs for every path, in order; a France PAT folder is one job however it is reached."""
    pat_folders: set[Path] = set()
    for path in paths:
        if not _exists(path):
            yield Problem(str(path), None, "no such file or folder")
            continue
        if forced == "france-pat":
            candidates = [Job("france-pat", path if path.is_dir() else path.parent)]
        elif path.is_dir():
            files, problems = walk(path)
            yield from problems
            candidates = []
            for file in files:
                if _special(file):
                    yield Problem(str(file), None, NOT_REGULAR)
                elif job := detect_format(file, forced):
                    candidates.append(job)
        elif _special(path):  # a FIFO would make the reader wait forever
            yield Problem(str(path), None, NOT_REGULAR)
            continue
        else:
            job = detect_format(path, forced)
            if job is None:
                yield Problem(str(path), None, "unknown file type; choose one with --format")
                continue
            candidates = [job]
        for job in candidates:
            if job.format == "france-pat":
                if job.path.resolve() in pat_folders:
                    continue
                pat_folders.add(job.path.resolve())
            yield job
