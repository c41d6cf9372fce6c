"""One call per user action: what the CLI and the HTTP server call, and nothing else."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from . import store
from .annotate import Annotators, extractor
from .build import BuildReport, Progress, no_progress
from .build import build as _build
from .catalogue_entries import catalogue_entries
from .documents import Problem
from .errors import InputError
from .profile import PROFILES, ProfileHead, profile_path
from .query import Filters, Results, Searcher
from .settings import Settings
from .sources import SourceOptions
from .update import add as _add
from .update import remove as _remove


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
    taxonomy: Path | None = None,
    tagger: Path | None = None,
    profile: str | None = None,
    strict: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress = no_progress,
) -> BuildReport:
    settings = Settings()
    model = model or os.environ.get("TISSER_MODEL")  # a setting for every build of a session
    if model:
        settings = settings.with_section("embed", model=model)
    settings = with_themes(settings, taxonomy, tagger)
    if profile is not None:
        settings = with_profile(settings, profile)
    options = SourceOptions(
        format=fmt, id_column=id_column, title_column=title_column, text_column=text_column
    )
    return _build(
        sources,
        index_dir,
        settings,
        options=options,
        strict=strict,
        annotate=True,
        on_problem=on_problem,
        progress=progress,
    )


def add(
    files: Sequence[Path],
    index_dir: Path,
    *,
    fmt: str | None = None,
    strict: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress = no_progress,
) -> BuildReport:
    return _add(
        files,
        index_dir,
        options=SourceOptions(format=fmt),
        strict=strict,
        annotate=True,
        on_problem=on_problem,
        progress=progress,
    )


def remove(ids: Sequence[str], index_dir: Path) -> BuildReport:
    return _remove(ids, index_dir, annotate=True)


def with_themes(settings: Settings, taxonomy: Path | None, tagger: Path | None) -> Settings:
    """Settings whose theme tagging uses ``taxonomy`` or a trained ``tagger`` (checked now)."""
    if taxonomy is not None:
        from .themes import load_taxonomy

        load_taxonomy(taxonomy)  # a malformed file fails here, with its line and reason
        settings = settings.with_section("annotate", taxonomy=str(Path(taxonomy).resolve()))
    if tagger is not None:
        if not (Path(tagger) / "manifest.json").is_file():
            raise InputError(f"{tagger}: not a tagger folder (make one with `train-tagger`)")
        settings = settings.with_section("annotate", tagger=str(Path(tagger).resolve()))
    return settings


def with_profile(settings: Settings, profile: str) -> Settings:
    """Settings whose search uses the action-profile head ``profile`` (a name shipped with
    Tisser or a file; "none" for none), checked now against the embedding model. A head named
    by the user takes part whatever its fit to the corpus (the default one only where it fits)."""
    if profile.lower() == "none":
        return settings.with_section("fusion", profile=None)
    path = profile_path(profile)
    head = ProfileHead.load(path)  # a missing or malformed file fails here, in one line
    if head.model_id != settings.embed.model:
        raise InputError(
            f"profile {profile}: it reads vectors of {head.model_id!r}, this build embeds with "
            f"{settings.embed.model!r}; give a head learned on that model, or --profile none"
        )
    name = profile if path.parent == PROFILES else str(path.resolve())
    return settings.with_section("fusion", profile=name, profile_min_fit=0.0)


def open_index(
    index_dir: Path,
    model: str | None = None,
    taxonomy: Path | None = None,
    tagger: Path | None = None,
) -> Searcher:
    """The live index; with another taxonomy or tagger than its own, themes are re-tagged."""
    searcher = Searcher.open(index_dir, model=model)
    wanted = with_themes(searcher.settings, taxonomy, tagger)
    if wanted != searcher.settings:
        searcher.retag(Annotators(wanted.annotate))
    return searcher


def tag_text(searcher: Searcher, text: str, k: int = 5) -> dict[str, Any]:
    """Entities, territory, themes of a new text, and the nearest initiatives of the index."""
    if not text or not text.strip():
        raise InputError("empty text: nothing to tag")
    settings = searcher.settings.annotate
    entities = extractor(settings.spacy_model).extract(text).to_dict()
    themes = Annotators(settings).tag([text], None, searcher.embedder)[0]
    return {
        **entities,
        "themes": [t.to_dict() for t in themes],
        "similar": searcher.similar_text(text, k).to_dict()["results"],
    }


def tag_files(searcher: Searcher, paths: Sequence[str], k: int = 5) -> Iterator[dict[str, Any]]:
    """``tag_text`` of each file (``-`` is standard input), with the file named in ``file``."""
    for path in paths:
        yield {"file": path, **tag_text(searcher, _read_text(path), k)}


def tag_batch(searcher: Searcher, path: Path, k: int = 5) -> Iterator[dict[str, Any]]:
    """A batch file: JSONL objects with a ``text`` field, or one file path a line."""
    items = list(_batch_items(path))  # a bad line fails before anything is printed
    for number, kind, value in items:
        text = value if kind == "text" else _read_text(value)
        yield {
            "line": number,
            **({"file": value} if kind == "file" else {}),
            **tag_text(searcher, text, k),
        }


def _batch_items(path: Path) -> Iterator[tuple[int, str, str]]:
    for number, line in _lines(path):
        if line.lstrip().startswith("{"):
            yield number, "text", _json_text(path, number, line)
        else:
            if not Path(line).is_file():
                raise InputError(f"{path}:{number}: no such file {line!r}")
            yield number, "file", line


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Path(path).read_text(encoding="cp1252")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def themed_index(searcher: Searcher, min_cluster_size: int | None = None):
    """The catalogue of the indexed corpus by theme, with sub-groups found by clustering."""
    from .themes import build_catalogue, load_taxonomy

    settings = searcher.settings.annotate
    themes = (
        None
        if settings.tagger
        else load_taxonomy(Path(settings.taxonomy) if settings.taxonomy else None)
    )
    entries = catalogue_entries(searcher)
    extra = {} if min_cluster_size is None else {"min_cluster_size": min_cluster_size}
    return build_catalogue(entries, themes, **extra)


def train_tagger(labelled: Path, out: Path, folds: int = 5, model: str | None = None):
    """Learn a user's taxonomy from labelled texts; save it to ``out``; the CV report."""
    from .embed import make_embedder
    from .themes import SupervisedTagger, read_labelled
    from .themes.features import document_vectors

    texts, labels = read_labelled(Path(labelled))  # refuses bad lines, one label, empty texts
    embed = Settings().embed
    embedder = make_embedder(
        embed if not model else Settings().with_section("embed", model=model).embed
    )
    vectors = document_vectors(embedder, texts)
    tagger = SupervisedTagger(embedder)
    report = tagger.cross_validate(texts, labels, folds=folds, vectors=vectors)
    tagger.fit(texts, labels, vectors=vectors)
    tagger.save(Path(out))
    return report


def render_themed_index(searcher: Searcher, fmt: str = "md") -> str:
    from .themes import render_catalogue

    return render_catalogue(themed_index(searcher), fmt)


def make_filters(
    themes: Sequence[str] = (),
    region: str | None = None,
    departement: str | None = None,
    actor_kinds: Sequence[str] = (),
) -> Filters:
    """Filters from what a person types: région and département by name or code."""
    from .extract import resolve_departement, resolve_region
    from .extract.model import ORGANISATION_KINDS

    region_code = resolve_region(region) if region else None
    if region and not region_code:
        raise InputError(f"--region {region!r}: no such région (give its name or INSEE code)")
    departement_code = resolve_departement(departement) if departement else None
    if departement and not departement_code:
        raise InputError(
            f"--departement {departement!r}: no such département "
            "(give its name or code, e.g. Jura or 39)"
        )
    unknown = sorted(set(actor_kinds) - set(ORGANISATION_KINDS))
    if unknown:
        raise InputError(
            f"--actor-kind {', '.join(unknown)}: unknown; choose among "
            + ", ".join(ORGANISATION_KINDS)
        )
    return Filters(tuple(themes), region_code, departement_code, tuple(actor_kinds))


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
    for number, line in _lines(path):
        yield _json_text(path, number, line) if line.lstrip().startswith("{") else line


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line.strip()


def _json_text(path: Path, number: int, line: str) -> str:
    try:
        text = json.loads(line).get("text")
    except (ValueError, AttributeError) as exc:
        raise InputError(f"{path}:{number}: invalid JSON ({exc})") from exc
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{path}:{number}: no text field")
    return text


def query_batch(searcher: Searcher, path: Path, k: int, filters: Filters) -> Iterator[Results]:
    queries = list(read_queries(path))  # a bad line fails before any result is printed
    for text in queries:
        yield searcher.query(text, k, filters)
