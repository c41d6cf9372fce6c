"""The one public Python API: one call per user action. The CLI and the HTTP server call these
functions and nothing else of the library (a contract in pyproject.toml checks it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .documents import Problem
from .errors import InputError, ParameterError
from .index import SILENT, Annotators, BuildReport, Feedback, has_index, live_settings, snapshots
from .index import add as _add
from .index import build as _build
from .index import remove as _remove
from .index.configure import (
    check_settings,
    settings_for,
    settings_to_search,
    with_profile,
    with_themes,
)
from .search import Filters, Neighbours, Results, Searcher, read_question
from .search.gate import gate_of_build
from .search.render import (
    NEIGHBOUR_FORMATS,
    describe_gate,
    format_neighbours,
    format_results,
    format_summary,
    format_tagged,
)
from .settings import Settings, SettingsFile, read_settings_file
from .sources import SourceOptions
from .sources.batch import read_queries, read_tag_batch, read_text_file

if TYPE_CHECKING:  # the catalogue and the taggers load on first use: commands start faster
    from .catalogue import Catalogue

__all__ = [
    "NEIGHBOUR_FORMATS",
    "BuildReport",
    "Feedback",
    "Filters",
    "Neighbours",
    "Problem",
    "Results",
    "Searcher",
    "Settings",
    "SettingsFile",
    "SourceOptions",
    "add",
    "ask",
    "build",
    "check_index",
    "check_search_settings",
    "describe_build",
    "document",
    "filter_choices",
    "has_index",
    "index_settings",
    "make_filters",
    "map_basemap",
    "map_counts",
    "open_index",
    "query",
    "query_batch",
    "read_settings",
    "remove",
    "render_catalogue",
    "render_neighbours",
    "render_results",
    "render_tagged",
    "render_themed_index",
    "settings_for",
    "similar",
    "similar_all",
    "status",
    "suggest_titles",
    "tag_batch",
    "tag_files",
    "tag_text",
    "themed_index",
    "titles",
    "train_tagger",
    "warm_up",
    "with_profile",
    "with_themes",
]

# -- building and keeping an index ---------------------------------------------------------


def build(
    sources: Sequence[Path],
    index_dir: Path,
    settings: Settings = Settings(),
    options: SourceOptions = SourceOptions(),
    feedback: Feedback = SILENT,
) -> BuildReport:
    """Index ``sources`` (files and folders) into ``index_dir``, replacing what it held; the
    settings are checked before anything is read. ``feedback`` hears of each skipped record
    and of progress."""
    check_settings(settings)
    return _build(
        sources,
        index_dir,
        settings,
        options=options,
        annotate=True,
        feedback=feedback,
        gate=gate_of_build,
    )


def add(
    files: Sequence[Path],
    index_dir: Path,
    options: SourceOptions = SourceOptions(),
    feedback: Feedback = SILENT,
) -> BuildReport:
    """Add the documents of ``files`` to the index, replacing those with the same id."""
    return _add(
        files, index_dir, options=options, annotate=True, feedback=feedback, gate=gate_of_build
    )


def remove(ids: Sequence[str], index_dir: Path) -> BuildReport:
    """Remove documents by id; an unknown id changes nothing."""
    return _remove(ids, index_dir, annotate=True, gate=gate_of_build)


def describe_build(report: BuildReport, index_dir: Path) -> str:
    """What a build, add or remove did, for a person."""
    return format_summary(report, index_dir)


# -- settings ------------------------------------------------------------------------------


def read_settings(path: Path) -> SettingsFile:
    """What a settings file (TOML, the sections of pipeline/settings.py) changes, checked."""
    return read_settings_file(path)


def index_settings(index_dir: Path) -> Settings:
    """The settings the live index was built with."""
    return live_settings(index_dir)


def describe_profile_gate(index_dir: Path) -> str | None:
    """What the live index's build measured of the profile head on its labels, for a person;
    None when it measured nothing (no head, no labels: the fit rule decides)."""
    gate = snapshots.read_manifest(snapshots.snapshot(index_dir), verify="none").profile_gate
    return f"action profile {gate['profile']}: {describe_gate(gate)}" if gate else None


def check_search_settings(index_dir: Path, config: SettingsFile) -> Settings:
    """The settings a search of the live index would use with ``config`` (refused when the
    file changes what the index holds)."""
    return settings_to_search(live_settings(index_dir), config, index_dir)


# -- opening an index ----------------------------------------------------------------------


def open_index(
    index_dir: Path,
    model: str | None = None,
    taxonomy: Path | None = None,
    tagger: Path | None = None,
    config: SettingsFile | None = None,
) -> Searcher:
    """The live index, searched with its own settings, or with what a settings file changes
    of what a search may change: the fusion of scores and the themes (another taxonomy or
    tagger re-tags in memory)."""
    searcher = Searcher.open(index_dir, model=model)
    wanted = settings_to_search(searcher.settings, config, index_dir)
    wanted = with_themes(wanted, taxonomy, tagger)
    if wanted.annotate != searcher.settings.annotate:
        searcher.retag(Annotators(wanted.annotate, wanted.passages.max_tokens))
    searcher.settings = wanted
    return searcher


WARM_UP_TEXT = "Une coopérative de Lyon fédère les artisans du bois local."


def warm_up(searcher: Searcher) -> None:
    """Load, and run once, what a first query and a first tag use (the embedder, spaCy, the
    theme tagger, the profile head, the facets), so that no request waits for it."""
    searcher.facets  # noqa: B018
    searcher.corpus_profiles()
    if searcher.store.documents:
        query(searcher, WARM_UP_TEXT)
        tag_text(searcher, WARM_UP_TEXT)


def check_index(index_dir: Path) -> str:
    """Every file of the live index hashed against its manifest, then loaded and checked
    against the others (opening only compares sizes and times): one line saying what was
    verified; IndexMismatchError naming the first damaged file."""
    searcher = Searcher.open(index_dir, verify="hash")
    counts, files = searcher.manifest.counts, len(searcher.manifest.files)
    return (
        f"ok: {counts['documents']} documents, {counts['passages']} passages, "
        f"{files} files match their checksums"
    )


# -- asking --------------------------------------------------------------------------------


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
        raise ParameterError("region", f"{region!r}: no such région (give its name or INSEE code)")
    departement_code = resolve_departement(departement) if departement else None
    if departement and not departement_code:
        raise ParameterError(
            "departement",
            f"{departement!r}: no such département (give its name or code, e.g. Jura or 39)",
        )
    unknown = sorted(set(actor_kinds) - set(ORGANISATION_KINDS))
    if unknown:
        raise ParameterError(
            "actor_kinds",
            f"{', '.join(unknown)}: unknown; choose among " + ", ".join(ORGANISATION_KINDS),
        )
    return Filters(tuple(themes), region_code, departement_code, tuple(actor_kinds))


def ask(searcher: Searcher, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
    """A bare question: "projets comme X" runs ``similar``, anything else ``query``."""
    question = read_question(text)
    if question.is_like:
        return searcher.similar(question.name, k, filters)
    return searcher.query(text, k, filters)


def query(searcher: Searcher, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
    """Initiatives matching free text, best first."""
    return searcher.query(text, k, filters)


def query_batch(searcher: Searcher, path: Path, k: int, filters: Filters) -> Iterator[Results]:
    """``query`` for each query of a batch file (all its lines are checked first)."""
    for text in read_queries(path):
        yield searcher.query(text, k, filters)


def similar(searcher: Searcher, name: str, k: int = 10, filters: Filters = Filters()) -> Results:
    """Initiatives like the one named (an id, a title or part of one), with the reasons."""
    return searcher.similar(name, k, filters)


def similar_all(
    searcher: Searcher, k: int = 10, filters: Filters = Filters(), feedback: Feedback = SILENT
) -> Iterator[Neighbours]:
    """``similar`` of every indexed document, in index order, from the stored vectors (no
    document is embedded again): the related-initiatives table. ``k`` and the filters are
    checked before the first document; ``feedback`` shows the progress."""
    table = searcher.similar_all(k, filters)
    return _with_progress(
        table, feedback.progress("neighbours", len(searcher.store.documents), "document")
    )


def _with_progress(table: Iterator[Neighbours], bar) -> Iterator[Neighbours]:
    try:
        for neighbours in table:
            yield neighbours
            bar.update(1)
    finally:
        bar.close()


def render_neighbours(table: Iterable[Neighbours], fmt: str = "text") -> Iterator[str]:
    """The related-initiatives table as text pieces, one per document (``NEIGHBOUR_FORMATS``:
    ``text``, ``jsonl`` as ``similar --json`` gives results, ``csv`` one row per neighbour)."""
    return format_neighbours(table, fmt)


def render_results(results: Results) -> str:
    """A ranked list a person reads: title, score, territory, themes, reasons, passage."""
    return format_results(results)


# -- tagging -------------------------------------------------------------------------------


def tag_text(searcher: Searcher, text: str, k: int = 5) -> dict[str, Any]:
    """Entities, territory, themes of a new text, and the nearest initiatives of the index."""
    from .extract import Entities
    from .index.annotate import extractor

    if not text or not text.strip():
        raise InputError("empty text: nothing to tag")
    settings = searcher.settings
    annotate = settings.annotate  # what the index's documents were given, a new text gets
    entities = extractor(annotate.spacy_model).extract(text) if annotate.entities else Entities()
    annotators = Annotators(annotate, settings.passages.max_tokens)
    themes = annotators.tag([text], None, searcher.embedder)[0] if annotate.themes else []
    return {
        **entities.to_dict(),
        "themes": [t.to_dict() for t in themes],
        "similar": searcher.similar_text(text, k).to_dict()["results"],
    }


def tag_files(searcher: Searcher, paths: Sequence[str], k: int = 5) -> Iterator[dict[str, Any]]:
    """``tag_text`` of each file (``-`` is standard input), with the file named in ``file``."""
    for path in paths:
        text = read_text_file(path)
        if not text.strip():
            raise InputError(f"{path}: empty text, nothing to tag")
        yield {"file": path, **tag_text(searcher, text, k)}


def tag_batch(searcher: Searcher, path: Path, k: int = 5) -> Iterator[dict[str, Any]]:
    """A batch file: JSONL objects with a ``text`` field, or one file path a line."""
    for item in read_tag_batch(path):
        yield {
            "line": item.line,
            **({"file": item.file} if item.file else {}),
            **tag_text(searcher, item.text, k),
        }


def render_tagged(tagged: dict[str, Any]) -> str:
    """What ``tag_text`` found, for a person."""
    return format_tagged(tagged)


def train_tagger(labelled: Path, out: Path, folds: int = 5, model: str | None = None):
    """Learn a user's taxonomy from labelled texts; save it to ``out``; the CV report."""
    from .embed import document_vectors, make_embedder
    from .themes import FeatureSettings, SupervisedTagger, read_labelled

    texts, labels = read_labelled(Path(labelled))  # refuses bad lines, one label, empty texts
    settings = Settings()
    if model:
        settings = settings.with_section("embed", model=model)
    embedder = make_embedder(settings.embed)
    features = FeatureSettings(passage_tokens=settings.passages.max_tokens)
    vectors = document_vectors(embedder, texts, features.passage_tokens)
    tagger = SupervisedTagger(embedder, features)
    report = tagger.cross_validate(texts, labels, folds=folds, vectors=vectors)
    tagger.fit(texts, labels, vectors=vectors)
    tagger.save(Path(out))
    return report


# -- the themed index ----------------------------------------------------------------------


def themed_index(searcher: Searcher, min_cluster_size: int | None = None) -> Catalogue:
    """The catalogue of the indexed corpus by theme, with sub-groups found by clustering."""
    from .catalogue import themed_index as catalogue_of

    return catalogue_of(searcher, min_cluster_size)


def render_catalogue(catalogue: Catalogue, fmt: str = "md") -> str:
    """A themed index as Markdown, one HTML page, CSV or JSON."""
    from .catalogue import render_catalogue as render

    return render(catalogue, fmt)


def render_themed_index(searcher: Searcher, fmt: str = "md") -> str:
    """The themed index of the indexed corpus as Markdown, one HTML page, CSV or JSON."""
    return render_catalogue(themed_index(searcher), fmt)


# -- what a page needs ---------------------------------------------------------------------


def titles(searcher: Searcher, prefix: str = "", limit: int = 10) -> list[dict[str, str]]:
    """Titles containing ``prefix`` (case and accents ignored), in index order."""
    return [{"id": i, "title": t} for i, t in searcher.titles(prefix, limit)]


def suggest_titles(searcher: Searcher, text: str, limit: int = 10) -> dict[str, Any]:
    """Titles to complete what is being typed: after "projets comme " the name being typed,
    else the whole text. ``prefix`` is the question's own words ("" for none)."""
    question = read_question(text)
    part = (question.name or "") if question.prefix else text
    found = titles(searcher, part.strip(), limit) if len(part.strip()) >= 2 else []
    return {"prefix": question.prefix, "titles": found}


def document(searcher: Searcher, name_or_id: str) -> dict[str, Any]:
    """One initiative: its text, metadata, entities, themes, and its territory as a map
    draws it (``map``, as ``map_counts`` gives)."""
    from .search.facets import facets_of
    from .search.territories import map_counts as counts_of

    stored = searcher.find(name_or_id)
    return {
        "id": stored.id,
        "title": stored.title,
        "text": stored.text,
        "meta": stored.meta,
        "entities": stored.entities,
        "themes": stored.themes,
        "map": counts_of([facets_of(stored)]).to_dict(),  # not the whole corpus's facets
    }


def filter_choices(searcher: Searcher) -> dict[str, list[dict[str, Any]]]:
    """The themes, régions, départements and kinds of actor the indexed initiatives carry."""
    from .search.facets import filter_choices as choices

    return choices(searcher.store.documents, searcher.facets)


def map_counts(searcher: Searcher, results: Results) -> dict[str, Any]:
    """Where the initiatives of ``results`` are: counts by département (an initiative counts
    in each of its départements), by région for those placed only in a région, and those
    without territory; with the shades of the map's legend."""
    from .search.territories import map_counts as counts_of

    row_of = searcher.store.row_of
    return counts_of(searcher.facets[row_of[hit.id]] for hit in results.hits).to_dict()


def map_basemap() -> dict[str, Any]:
    """The base map of France by département: SVG paths, insets, attribution."""
    from .search.basemap import load_basemap

    return load_basemap().to_dict()


def status(searcher: Searcher) -> dict[str, Any]:
    """What an opened index is: its documents, model, date and snapshot."""
    return {
        "documents": len(searcher.store.documents),
        "model": searcher.manifest.model,
        "created": searcher.manifest.created,
        "snapshot": searcher.folder.name,
    }
