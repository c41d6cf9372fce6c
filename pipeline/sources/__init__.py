"""Sources: every file format turned into ``Document`` records, or ``Problem`` reports.

``iter_records`` is the one entry point of the build: it walks folders, detects each file's
format, reads it with that format's loader, and makes ids unique across the whole call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..documents import Document, Problem
from ..errors import InputError
from .csv import iter_csv
from .detect import Job, plan
from .france_pat import iter_actions, iter_france_pat, iter_pats
from .gogocarto import iter_gogocarto
from .jsonl import iter_jsonl
from .markdown import iter_markdown
from .options import DEFAULT_OPTIONS, FORMATS, SourceOptions
from .records import unique_ids
from .text import iter_text

__all__ = ["FORMATS", "SourceOptions", "iter_records", "iter_pats", "iter_actions"]

Loader = Callable[[Path, SourceOptions], Iterator[Document | Problem]]

LOADERS: dict[str, Loader] = {
    "markdown": lambda path, options: iter_markdown(path),
    "text": lambda path, options: iter_text(path),
    "jsonl": lambda path, options: iter_jsonl(path),
    "csv": iter_csv,
    "france-pat": lambda path, options: iter_france_pat(path),
    "gogocarto": lambda path, options: iter_gogocarto(path),
}


def iter_records(
    paths: Sequence[Path], options: SourceOptions = DEFAULT_OPTIONS
) -> Iterator[Document | Problem]:
    """Documents of every file under ``paths``, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and files of unknown type
    are skipped. Each bad record, unreadable file, missing path or repeated id (the later
    one) is yielded as a Problem. Raises InputError at once for an unknown ``options.format``,
    and during iteration for a CSV column named in ``options`` that a file lacks.
    """
    if options.format is not None and options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; choose one of: {', '.join(FORMATS)}")
    return unique_ids(_records(paths, options))


def _records(paths: Sequence[Path], options: SourceOptions) -> Iterator[Document | Problem]:
    for job in plan([Path(path) for path in paths], options.format):
        if isinstance(job, Job):
            yield from LOADERS[job.format](job.path, options)
        else:
            yield job
