"""Search an index: free-text queries and "projects like X", with filters and reasons."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from ..embed import TORCH_INT8_SUFFIX, Embedder, mean_vector, shared_embedder, split_passages
from ..embed.heads import CorpusProfiles
from ..errors import IndexMismatchError, InputError, ParameterError
from ..index import LexicalQuery, StoredDocument
from ..index.manifest import Manifest, Verify
from ..index.opening import OpenedSnapshot, check_embedder, open_snapshot
from ..settings import Settings
from ..text import shorten
from .facets import Facets, Filters, facets_of
from .names import find_row, normalise_name
from .profile import corpus_profiles
from .ranking import Candidates, Ranking
from .reasons import describe_shared
from .results import Hit, Neighbours, Results

_BLOCK = 256  # documents whose neighbours are searched at once by ``similar_all``


class Searcher:
    """An opened index snapshot. Loading is checked; the embedder loads on first query, once
    per process for all the snapshots that embed alike.

    ``settings`` are the index's; a caller may replace them (the benchmarks compare fusion
    settings on one open index): every query reads them afresh.
    """

    def __init__(self, opened: OpenedSnapshot, embedder: Embedder | None = None):
        self.folder = opened.folder
        self.manifest = opened.manifest
        self.settings = Settings.from_dict(opened.manifest.settings)
        self.store = opened.store
        self.vectors = opened.vectors
        self.lexical = opened.lexical
        if embedder is not None:
            check_embedder(self.manifest, embedder)
        self.ranking = Ranking(
            self.vectors, self.lexical, self.store.passages.doc, self.store.parent
        )
        self._embedder = embedder
        self._profiles: dict[str | None, CorpusProfiles | None] = {}

    @classmethod
    def open(
        cls,
        index_dir: Path,
        model: str | None = None,
        embedder: Embedder | None = None,
        verify: Verify = "stat",
    ) -> Searcher:
        """The live snapshot of ``index_dir``: its manifest, the sizes of its files and how
        they fit together are checked (``verify="hash"`` also hashes every file)."""
        asked = embedder.model_id if embedder is not None else model
        return cls(open_snapshot(index_dir, asked, verify), embedder)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = _embedder_of(self.manifest, self.settings)
        return self._embedder

    def corpus_profiles(self) -> CorpusProfiles | None:
        """The profile head of the settings read over this index (kept per head name: the
        benchmarks switch settings on an open searcher); None when there is none."""
        name = self.settings.fusion.profile
        if name not in self._profiles:
            self._profiles[name] = corpus_profiles(
                name,
                self.manifest.model,
                self.manifest.dim,
                self.vectors.vectors_,
                self.store.passages.doc,
                len(self.store.documents),
                self.manifest.profile_gate,
            )
        return self._profiles[name]

    @cached_property
    def facets(self) -> list[Facets]:
        return [facets_of(d) for d in self.store.documents]

    # -- queries -------------------------------------------------------------------------

    def query(self, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
        if not text.strip():
            raise InputError("empty query: give some words to search for")
        dense = self.embedder.embed_queries([text])[0]
        lexical = self.lexical.query(text)
        ranked = self.rank(dense, lexical, k, filters, exclude=None)
        return Results(text, [self._hit(row, score, p) for row, score, p in ranked])

    def similar(self, name_or_id: str, k: int = 10, filters: Filters = Filters()) -> Results:
        target = self.find(name_or_id)
        row = self.store.row_of[target.id]
        lexical = self.lexical.query(_whole_text(target))
        return self._similar(row, self._document_vector(row), lexical, k, filters)

    def similar_all(self, k: int = 10, filters: Filters = Filters()) -> Iterator[Neighbours]:
        """``similar`` of every document, in index order: the vector and lexical indexes are
        searched for a block of documents at once, from their stored vectors. A bad ``k`` or
        filter is refused here, before any document."""
        if k < 1:
            raise ParameterError("k", f"must be at least 1, got {k}")
        self._allowed_rows(filters, exclude=None)
        return self._similar_to_each(k, filters)

    def _similar_to_each(self, k: int, filters: Filters) -> Iterator[Neighbours]:
        documents = self.store.documents
        for start in range(0, len(documents), _BLOCK):
            rows = range(start, min(start + _BLOCK, len(documents)))
            dense = np.stack([self._document_vector(row) for row in rows])
            lexical = self.lexical.queries([_whole_text(documents[row]) for row in rows])
            candidates = (
                [None] * len(rows)  # filtered: each document's allowed passages differ
                if filters.active
                else self.ranking.candidates_of_many(dense, lexical, self.settings.fusion)
            )
            for i, row in enumerate(rows):
                results = self._similar(row, dense[i], lexical[i], k, filters, candidates[i])
                doc = documents[row]
                yield Neighbours(doc.id, doc.title, list(doc.themes), results)

    def _similar(
        self,
        row: int,
        dense: np.ndarray,
        lexical: LexicalQuery,
        k: int,
        filters: Filters,
        candidates: Candidates | None = None,
    ) -> Results:
        ranked = self.rank(dense, lexical, k, filters, exclude=row, candidates=candidates)
        hits = [self._hit(r, s, p, reasons=self._reasons(row, r)) for r, s, p in ranked]
        return Results(self.store.documents[row].title, hits)

    def _document_vector(self, row: int) -> np.ndarray:
        own = np.flatnonzero(self.store.passages.doc == row)
        return mean_vector(self.vectors.vectors_[own])

    def similar_text(self, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
        """Initiatives like a new text: its passages embedded as the index's are."""
        passages = self.settings.passages
        limit = min(passages.max_tokens, self.embedder.max_tokens)
        chunks = [
            p.text
            for p in split_passages(
                0, text, self.embedder.count_tokens, limit, passages.overlap_sentences
            )
        ]
        if not chunks:
            raise InputError("empty text: nothing to compare")
        dense = mean_vector(self.embedder.embed_passages(chunks))
        ranked = self.rank(dense, self.lexical.query(text), k, filters, exclude=None)
        return Results(shorten(text, 80), [self._hit(r, s, p) for r, s, p in ranked])

    def retag(self, annotators) -> None:
        """Theme every document again, in memory, with another taxonomy or tagger."""
        texts = [d.text for d in self.store.documents]
        vectors = [
            np.asarray(self.vectors.vectors_[self.store.passages.doc == i])
            for i in range(len(texts))
        ]
        themes = annotators.tag(texts, vectors, self.embedder)
        self.store.documents = [
            replace(d, themes=[t.to_dict() for t in row])
            for d, row in zip(self.store.documents, themes)
        ]
        self.settings = replace(self.settings, annotate=annotators.settings)
        self.__dict__.pop("facets", None)

    def find(self, name_or_id: str) -> StoredDocument:
        """A document by id, or by title: case and accents ignored, partial names accepted."""
        return self.store.documents[find_row(self.store.documents, self.store.row_of, name_or_id)]

    def titles(self, prefix: str = "", limit: int = 20) -> list[tuple[str, str]]:
        wanted = normalise_name(prefix)
        found = [(d.id, d.title) for d in self.store.documents if wanted in normalise_name(d.title)]
        return found[:limit]

    # -- scoring -------------------------------------------------------------------------

    def rank(
        self,
        dense: np.ndarray,
        lexical: LexicalQuery,
        k: int,
        filters: Filters,
        exclude: int | None,
        candidates: Candidates | None = None,
    ) -> list[tuple[int, float, int]]:
        """(document row, score, passage row) of the ``k`` best documents; ``candidates``,
        when given, are the unfiltered ones of this query (``Ranking.candidates_of_many``)."""
        if k < 1:
            raise ParameterError("k", f"must be at least 1, got {k}")
        fusion = self.settings.fusion
        if candidates is None:
            allowed = self._allowed_rows(filters, exclude)
            candidates = self.ranking.candidates(dense, lexical, fusion, allowed)
        if candidates.rows.size == 0:
            return []
        ranked = self.ranking.rank(
            dense,
            candidates,
            fusion,
            self.corpus_profiles() if fusion.enabled else None,
            exclude,
        )
        return [
            (int(d), float(s), int(r))
            for d, s, r in zip(ranked.docs[:k], ranked.scores[:k], ranked.rows[:k])
        ]

    def theme_ids(self) -> set[str]:
        """Themes a filter may name: those of the index's taxonomy and those stored."""
        known = {t for f in self.facets for t in f.themes}
        annotate = self.settings.annotate
        if annotate.themes and not annotate.tagger:
            from ..themes import load_taxonomy

            try:
                known |= {t.id for t in load_taxonomy(annotate.taxonomy)}
            except InputError:  # the taxonomy file moved since the build: stored ones count
                pass
        return known

    def _allowed_rows(self, filters: Filters, exclude: int | None) -> np.ndarray | None:
        if not filters.active:
            return None
        if unknown := sorted(set(filters.themes) - self.theme_ids()):
            raise ParameterError(
                "themes",
                f"{', '.join(unknown)}: unknown theme; known: "
                + ", ".join(sorted(self.theme_ids())),
            )
        docs = [i for i, f in enumerate(self.facets) if filters.accepts(f) and i != exclude]
        return self.store.passages.rows_of(np.array(docs, dtype=np.int32))

    def _hit(
        self, row: int, score: float, passage_row: int, reasons: list[str] | None = None
    ) -> Hit:
        doc = self.store.documents[row]
        entities = doc.entities
        return Hit(
            doc.id,
            doc.title,
            score,
            self.store.passage_text(passage_row),
            list(entities.get("places", [])),
            list(entities.get("organisations", [])),
            list(doc.themes),
            dict(doc.meta),
            reasons or [],
        )

    def _reasons(self, row: int, other: int) -> list[str]:
        return describe_shared(
            self.store.documents[row],
            self.store.documents[other],
            self.facets[row],
            self.facets[other],
        )


def _embedder_of(manifest: Manifest, settings: Settings) -> Embedder:
    """The embedder whose vectors the index holds, by the lightest path that gives them (torch
    only for an index of torch's int8 vectors), shared by the indexes of a process; refused
    when no path gives them."""
    model_id = manifest.model
    runtime = "torch" if model_id.endswith(TORCH_INT8_SUFFIX) else "onnx"
    embedder = shared_embedder(settings.embed, runtime)
    if embedder.model_id != model_id:
        raise IndexMismatchError(
            f"index built with model {model_id!r}, whose query vectors this Tisser makes as "
            f"{embedder.model_id!r}: rebuild with `search.py build`"
        )
    check_embedder(manifest, embedder)
    return embedder


def _whole_text(doc: StoredDocument) -> str:
    """What a document is compared by on the lexical side: its title and text."""
    return f"{doc.title}\n{doc.text}"
