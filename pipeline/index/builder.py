"""The one module that chains the stages: sources -> passages -> embeddings -> annotations ->
index snapshot.

``build``, ``add`` and ``remove`` all end in ``commit``: it writes a complete new snapshot,
reusing the embeddings and annotations of every passage and document whose content is
unchanged, so an unchanged corpus re-embeds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..documents import Document, Problem
from ..embed import Embedder, make_embedder
from ..embed.heads import CorpusProfiles, ProfileFit, index_profile, read_corpus
from ..embed.passages import Passage, embedding_input, split_passages
from ..errors import PARAM, EmptyCorpusError, InputError, ParameterError
from ..settings import FusionSettings, Settings
from ..sources import SourceOptions, iter_records
from . import snapshots
from .annotate import Annotators
from .docstore import DocumentStore, StoredDocument, content_digest
from .lexical import LexicalIndex
from .manifest import Verify
from .passages import PassageTable
from .vectors import VECTORS, VectorIndex

# Measures, at build, whether the profile head gains on the corpus (GateMeasure.to_dict()).
ProfileGate = Callable[
    [VectorIndex, LexicalIndex, DocumentStore, CorpusProfiles, FusionSettings], dict | None
]

_EMBED_CHUNK = 256


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def close(self) -> object: ...


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class Feedback:
    """What a build tells its caller while it works: each record it skips, and a progress bar
    for each long step. This one says nothing; a front end overrides what it shows."""

    def problem(self, problem: Problem) -> None:
        pass

    def progress(self, desc: str, total: int, unit: str = "passage") -> ProgressBar:
        return _Silent()


SILENT = Feedback()


@dataclass(frozen=True)
class BuildReport:
    documents: int
    passages: int
    embedded: int  # passages embedded by this run
    reused: int  # passages whose embedding came from the previous snapshot
    skipped: int  # records reported as problems
    exact: bool  # flat (exact) or approximate vector index
    seconds: float
    profile: ProfileFit | None = None  # whether search uses an action profile here


def load_documents(
    sources: Sequence[Path],
    options: SourceOptions = SourceOptions(),
    feedback: Feedback = SILENT,
) -> tuple[list[Document], int]:
    """Documents of ``sources`` and the count of skipped records.

    Each skipped record goes to ``feedback``; with ``options.strict`` the first one is an
    InputError.
    """
    for source in sources:
        if not Path(source).exists():
            raise InputError(f"{source}: no such file or folder")
    documents, skipped = [], 0
    for record in iter_records(list(sources), options):
        if isinstance(record, Problem):
            if options.strict:
                raise ParameterError("strict", f"{record} ({PARAM})")
            skipped += 1
            feedback.problem(record)
        else:
            documents.append(record)
    return documents, skipped


def build(
    sources: Sequence[Path],
    index_dir: Path,
    settings: Settings = Settings(),
    *,
    options: SourceOptions = SourceOptions(),
    embedder: Embedder | None = None,
    annotate: bool = False,
    feedback: Feedback = SILENT,
    gate: ProfileGate | None = None,
) -> BuildReport:
    """Index ``sources`` into ``index_dir``, replacing what it held."""
    started = time.perf_counter()
    snapshots.check_writable(index_dir)  # before reading anything: it may take minutes
    documents, skipped = load_documents(sources, options, feedback)
    if not documents:
        names = ", ".join(str(s) for s in sources)
        raise EmptyCorpusError(
            f"no document to index in {names} ({skipped} record(s) skipped): "
            "give Markdown, text, JSONL or CSV files"
        )
    report = commit(documents, index_dir, settings, embedder, annotate, feedback, gate=gate)
    return finished(report, skipped=skipped, started=started)


def finished(report: BuildReport, skipped: int, started: float) -> BuildReport:
    return BuildReport(
        report.documents,
        report.passages,
        report.embedded,
        report.reused,
        skipped,
        report.exact,
        time.perf_counter() - started,
        report.profile,
    )


def commit(
    documents: list[Document],
    index_dir: Path,
    settings: Settings,
    embedder: Embedder | None = None,
    annotate: bool | Annotators = False,
    feedback: Feedback = SILENT,
    lock: bool = True,
    gate: ProfileGate | None = None,
    verified: bool = False,
) -> BuildReport:
    """Write ``documents`` as the new live snapshot of ``index_dir``.

    ``annotate`` runs the entity extractor and theme tagger of ``settings.annotate`` (or
    is an object with ``versions()`` and ``annotate(documents, vectors, embedder)``);
    ``lock=False`` when the caller already holds the index lock (read-modify-write);
    ``gate`` measures whether the profile head gains on the corpus (pipeline/search/gate.py:
    search is above this layer, the caller hands it in); ``verified`` when the caller has
    hashed the live snapshot in full under the lock it holds (add, remove): not hashed again.
    """
    started = time.perf_counter()
    embedder = embedder or make_embedder(settings.embed)
    annotators = _annotators(annotate, settings)
    previous = _previous(index_dir, embedder.model_id, "stat" if verified else "hash")
    head = index_profile(settings.fusion.profile, embedder.model_id, embedder.dim)  # fail early
    passages, digests = _passages(documents, embedder, settings)
    vectors, reused = _embeddings(documents, passages, digests, embedder, previous, feedback)
    stored = _annotate(documents, passages, vectors, previous, annotators, embedder)
    docstore = DocumentStore(stored, PassageTable.from_passages(passages, digests))
    vector_index = VectorIndex.build(vectors, settings.index.exact_below)
    lexical = LexicalIndex.fit([p.text for p in passages])
    profile = head and _profile_fit(head, vector_index, lexical, docstore, settings.fusion, gate)
    with snapshots.writing(index_dir, lock=lock) as folder:
        names = docstore.save(folder) + vector_index.save(folder) + lexical.save(folder)
        counts = {"documents": len(stored), "passages": len(passages)}
        manifest = snapshots.Manifest.new(
            model=embedder.model_id,
            dim=embedder.dim,
            counts=counts,
            files=snapshots.file_entries(folder, names),
            settings=settings.to_dict(),
            annotators=annotators.versions() if annotators else {},
            profile_gate=(profile and profile.gate) or {},
        )
        snapshots.write_manifest(folder, manifest)
    return BuildReport(
        len(stored),
        len(passages),
        len(passages) - reused,
        reused,
        0,
        vector_index.exact,
        time.perf_counter() - started,
        profile,
    )


def _profile_fit(head, vector_index, lexical, docstore, fusion, gate) -> ProfileFit:
    """The head read over the corpus, and measured on its labels where the gate applies (a
    head the user named takes part whatever: ``profile_min_fit`` 0)."""
    corpus = read_corpus(
        head, vector_index.vectors_, docstore.passages.doc, len(docstore.documents)
    )
    measured = None
    if gate is not None and fusion.profile_min_fit > 0:
        measured = gate(vector_index, lexical, docstore, corpus, fusion)
    return ProfileFit(fusion.profile, corpus.fit, fusion.profile_min_fit, measured)


def _annotators(annotate: bool | Annotators, settings: Settings) -> Annotators | None:
    if annotate is True:
        return Annotators(settings.annotate, settings.passages.max_tokens)
    return annotate or None  # False, or an object that annotates (tests give their own)


@dataclass(frozen=True)
class _Previous:
    digest_rows: dict[str, int]  # passage digest -> row in vectors
    vectors: np.ndarray
    documents: dict[str, StoredDocument]  # content digest -> stored document
    annotator_versions: dict[str, str]


def _previous(index_dir: Path, model_id: str, verify: Verify) -> _Previous | None:
    """What the live snapshot can lend: embeddings of the same model, annotations."""
    if not snapshots.has_index(index_dir):
        return None
    try:
        folder = snapshots.snapshot(index_dir)
        # Hashed in full: what is reused goes into the new snapshot with fresh checksums.
        needs = (*DocumentStore.FILES, VECTORS)
        manifest = snapshots.read_manifest(folder, verify=verify, needs=needs)
        docstore = DocumentStore.load(folder)
        vectors = np.load(folder / VECTORS, mmap_mode="r")
    except Exception:  # an unreadable old index lends nothing; the build starts afresh
        return None
    rows = (
        {}
        if manifest.model != model_id
        else {str(d): i for i, d in enumerate(docstore.passages.digest)}
    )
    documents = {d.digest: d for d in docstore.documents}
    return _Previous(rows, vectors, documents, manifest.annotators)


def _passages(
    documents: list[Document], embedder: Embedder, settings: Settings
) -> tuple[list[Passage], list[str]]:
    passages: list[Passage] = []
    digests: list[str] = []
    limit = min(settings.passages.max_tokens, embedder.max_tokens)
    for row, doc in enumerate(documents):
        for passage in split_passages(
            row, doc.text, embedder.count_tokens, limit, settings.passages.overlap_sentences
        ):
            passages.append(passage)
            digests.append(passage.digest(doc.title, embedder.model_id))
    return passages, digests


def _embeddings(
    documents: list[Document],
    passages: list[Passage],
    digests: list[str],
    embedder: Embedder,
    previous: _Previous | None,
    feedback: Feedback,
) -> tuple[np.ndarray, int]:
    vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
    known = previous.digest_rows if previous else {}
    missing = [i for i, d in enumerate(digests) if d not in known]
    for i, digest in enumerate(digests):
        if digest in known:
            vectors[i] = previous.vectors[known[digest]]
    texts = [embedding_input(documents[passages[i].doc].title, passages[i].text) for i in missing]
    # Sorting by length keeps each batch's padding small: the main cost on a CPU.
    order = sorted(range(len(missing)), key=lambda j: len(texts[j]))
    bar = feedback.progress("embedding passages", len(missing))
    for chunk in _chunks(order, _EMBED_CHUNK):
        vectors[[missing[j] for j in chunk]] = embedder.embed_passages([texts[j] for j in chunk])
        bar.update(len(chunk))
    bar.close()
    return vectors, len(passages) - len(missing)


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _annotate(
    documents: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    previous: _Previous | None,
    annotators: Annotators | None,
    embedder: Embedder,
) -> list[StoredDocument]:
    """Entities and themes per document; unchanged documents keep their stored ones."""
    digests = [content_digest(d) for d in documents]
    reusable = (
        previous.documents
        if previous and annotators and (previous.annotator_versions == annotators.versions())
        else {}
    )
    fresh = [i for i, digest in enumerate(digests) if digest not in reusable]
    annotations = {}
    if annotators and fresh:
        doc_vectors = _vectors_by_document(passages, vectors, len(documents))
        results = annotators.annotate(
            [documents[i] for i in fresh], [doc_vectors[i] for i in fresh], embedder
        )
        annotations = dict(zip(fresh, results))
    stored = []
    for i, (doc, digest) in enumerate(zip(documents, digests)):
        if i in annotations:
            entities, themes = annotations[i]
        elif digest in reusable:
            entities, themes = reusable[digest].entities, reusable[digest].themes
        else:
            entities, themes = {}, []
        stored.append(
            StoredDocument(doc.id, doc.title, doc.text, doc.meta, digest, entities, themes)
        )
    return stored


def _vectors_by_document(
    passages: list[Passage], vectors: np.ndarray, count: int
) -> list[np.ndarray]:
    rows: list[list[int]] = [[] for _ in range(count)]
    for i, passage in enumerate(passages):
        rows[passage.doc].append(i)
    return [vectors[r] for r in rows]
