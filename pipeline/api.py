"""One call per user action: what the CLI and the HTTP server call, and nothing else."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import store
from .annotate import Annotators
from .build import BuildReport, Progress, _no_progress
from .build import add as _add
from .build import build as _build
from .build import remove as _remove
from .documents import Problem
from .errors import InputError
from .query import Filters, Hit, Results, Searcher
from .settings import Settings
from .sources import SourceOptions


def has_index(index_dir: Path) -> bool:
    return store.has_index(index_dir)


def build(
    sources: Sequence[Path],
    index_dir: Path,
    *,
    fmt: str | None = None,
    id_column: str | None = None,
    title_column: str | None = None,
    text_column: str | None = None,
    model: str | None = None,
    strict: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress = _no_progress,
) -> BuildReport:
    settings = Settings()
    model = model or os.environ.get("TISSER_MODEL")  # a setting for every build of a session
    if model:
        settings = settings.with_section("embed", model=model)
    options = SourceOptions(format=fmt, id_column=id_column, title_column=title_column,
                            text_column=text_column)
    return _build(sources, index_dir, settings, options=options, strict=strict,
                  annotators=default_annotators(), on_problem=on_problem, progress=progress)


def add(files: Sequence[Path], index_dir: Path, *, fmt: str | None = None, strict: bool = False,
        on_problem: Callable[[Problem], None] | None = None,
        progress: Progress = _no_progress) -> BuildReport:
    return _add(files, index_dir, options=SourceOptions(format=fmt), strict=strict,
                annotators=default_annotators(), on_problem=on_problem, progress=progress)


def remove(ids: Sequence[str], index_dir: Path) -> BuildReport:
    return _remove(ids, index_dir, annotators=default_annotators())


def default_annotators() -> Annotators | None:
    return None


def open_index(index_dir: Path, model: str | None = None) -> Searcher:
    return Searcher.open(index_dir, model=model)


def make_filters(themes: Sequence[str] = (), region: str | None = None,
                 departement: str | None = None, actor_kinds: Sequence[str] = ()) -> Filters:
    return Filters(tuple(themes), region, departement, tuple(actor_kinds))


# "projets comme X", "projects like X", "initiatives similaires à X": a question for `similar`.
LIKE = re.compile(
    r"^\s*(?:(?:les\s+)?(?:projets?|initiatives?|coop[ée]rations?)\s+"
    r"(?:comme|similaires?\s+[àa]|proches?\s+de|semblables?\s+[àa]|qui\s+ressemblent\s+[àa])"
    r"|(?:projects?|initiatives?)\s+(?:like|similar\s+to)|similar\s+to)\s+(?P<name>.+?)\s*\??$",
    re.IGNORECASE,
)



def ask(searcher: Searcher, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
    """A bare question: "projets comme X" runs similar, anything else runs query."""
    like = LIKE.match(text)
    if like:
        return searcher.similar(like["name"], k, filters)
    return searcher.query(text, k, filters)


def read_queries(path: Path) -> Iterator[str]:
    """Queries of a batch file: one a line, or JSONL objects with a ``text`` field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read queries ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                text = json.loads(line).get("text")
            except (ValueError, AttributeError) as exc:
                raise InputError(f"{path}:{number}: invalid JSON ({exc})") from exc
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{path}:{number}: no text field")
            yield text
        else:
            yield line.strip()


def query_batch(searcher: Searcher, path: Path, k: int, filters: Filters) -> Iterator[Results]:
    queries = list(read_queries(path))  # a bad line fails before any result is printed
    for text in queries:
        yield searcher.query(text, k, filters)


def territory_label(hit: Hit) -> str:
    """The territory to show for a result: as the source wrote it, else as extracted."""
    written = hit.metadata.get("territory")
    if written:
        return str(written)
    names = [p.get("name") or p["text"] for p in hit.places if p.get("kind") != "other"]
    return ", ".join(dict.fromkeys(names))
