"""Search an index: free-text queries and "projects like X", with filters and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from . import store
from .docstore import DocumentStore, StoredDocument
from .embed import Embedder, make_embedder
from .errors import InputError
from .facets import Facets, facets_of
from .fusion import best_per_document, fuse
from .index import VectorIndex
from .lexical import LexicalIndex, LexicalQuery
from .names import find_row, normalise_name
from .passages import split_passages
from .profile import CorpusProfiles, index_profile, read_corpus
from .reasons import describe_shared
from .settings import Settings


@dataclass(frozen=True)
class Filters:
    themes: tuple[str, ...] = ()  # all of them
    region: str | None = None  # INSEE code
    departement: str | None = None
    actor_kinds: tuple[str, ...] = ()  # any of them

    def accepts(self, facets: Facets) -> bool:
        return (
            all(t in facets.themes for t in self.themes)
            and (self.region is None or self.region in facets.regions)
            and (self.departement is None or self.departement in facets.departements)
            and (not self.actor_kinds or bool(facets.actor_kinds & set(self.actor_kinds)))
        )

    @property
    def active(self) -> bool:
        return bool(self.themes or self.region or self.departement or self.actor_kinds)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float
    passage: str
    places: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    metadata: dict[str, Any]
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "passage": self.passage,
            "places": self.places,
            "organisations": self.organisations,
            "themes": self.themes,
            "metadata": self.metadata,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "results": [h.to_dict() for h in self.hits]}


class Searcher:
    """An opened index snapshot. Loading is checked; the embedder loads on first query."""

    def __init__(self, folder: Path, manifest: store.Manifest, embedder: Embedder | None = None):
        self.folder = folder
        self.manifest = manifest
        self.settings = Settings.from_dict(manifest.settings)
        self.store = DocumentStore.load(folder)
        self.vectors = VectorIndex.load(folder)
        self.lexical = LexicalIndex.load(folder)
        self._embedder = embedder
        self._profiles: dict[str | None, CorpusProfiles | None] = {}

    @classmethod
    def open(
        cls, index_dir: Path, model: str | None = None, embedder: Embedder | None = None
    ) -> Searcher:
        folder = store.snapshot(index_dir)
        asked = embedder.model_id if embedder is not None else model
        return cls(folder, store.read_manifest(folder, model=asked), embedder)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embed)
        return self._embedder

    def corpus_profiles(self) -> CorpusProfiles | None:
        """The profile head of the settings read over this index (kept per head name: the
        benchmarks switch settings on an open searcher); None when there is none."""
        name = self.settings.fusion.profile
        if name not in self._profiles:
            head = index_profile(name, self.manifest.model, self.manifest.dim)
            self._profiles[name] = head and read_corpus(
                head, self.vectors.vectors_, self.store.passages.doc, len(self.store.documents)
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
        own = np.flatnonzero(self.store.passages.doc == row)
        dense = np.asarray(self.vectors.vectors_[own]).mean(axis=0)
        dense /= max(float(np.linalg.norm(dense)), 1e-9)
        lexical = self.lexical.query(f"{target.title}\n{target.text}")
        ranked = self.rank(dense, lexical, k, filters, exclude=row)
        hits = [self._hit(r, s, p, reasons=self._reasons(row, r)) for r, s, p in ranked]
        return Results(target.title, hits)

    def similar_text(self, text: str, k: int = 10, filters: Filters = Filters()) -> Results:
        """Initiatives like a new text: its passages embedded as the index's are."""
        limit = min(self.settings.passages.max_tokens, self.embedder.max_tokens)
        chunks = [p.text for p in split_passages(0, text, self.embedder.count_tokens, limit)]
        if not chunks:
            raise InputError("empty text: nothing to compare")
        dense = self.embedder.embed_passages(chunks).mean(axis=0)
        dense /= max(float(np.linalg.norm(dense)), 1e-9)
        ranked = self.rank(dense, self.lexical.query(text), k, filters, exclude=None)
        return Results(_shorten(text), [self._hit(r, s, p) for r, s, p in ranked])

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
    ) -> list[tuple[int, float, int]]:
        if k < 1:
            raise InputError(f"-k must be at least 1, got {k}")
        allowed = self._allowed_rows(filters, exclude)
        candidates = self._candidates(dense, lexical, allowed)
        if candidates.size == 0:
            return []
        dense_scores = np.asarray(self.vectors.vectors_[candidates]) @ dense
        fusion = self.settings.fusion
        scores = dense_scores
        if fusion.enabled:
            profile, profile_weight = self._profile_scores(dense, candidates)
            scores = fuse(
                dense_scores,
                self.lexical.scores(lexical, candidates),
                fusion.dense_weight,
                lexical.coverage,
                profile,
                profile_weight,
            )
        docs, rows, scores = self._count_for_parents(candidates, scores, filters)
        if exclude is not None:
            keep = (docs != exclude) & (self.store.parent[docs] != exclude)
            docs, rows, scores = docs[keep], rows[keep], scores[keep]
        docs, best, rows = best_per_document(docs, rows, scores)
        return [(int(d), float(s), int(r)) for d, s, r in zip(docs[:k], best[:k], rows[:k])]

    def _profile_scores(self, dense: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, float]:
        """Chance that the query and each passage's document carry the same label, and the
        weight it gets: the setting times the head's certainty about the query; nothing when
        the head does not fit this corpus."""
        fusion = self.settings.fusion
        corpus = self.corpus_profiles()
        if corpus is None or corpus.fit < fusion.profile_min_fit:
            return np.zeros(rows.size), 0.0
        profiles = corpus.profiles[self.store.passages.doc[rows]]
        scores, certainty = corpus.head.match(dense, profiles)
        return scores, fusion.profile_weight * certainty

    def _count_for_parents(self, rows: np.ndarray, scores: np.ndarray, filters: Filters):
        """Each passage counts for its document and for that document's parent, if any."""
        docs = self.store.passages.doc[rows]
        parents = self.store.parent[docs]
        has = parents >= 0
        if filters.active and has.any():
            # Only passages that have a parent: its filters decide whether they count for it.
            where = np.flatnonzero(has)
            has[where] = [filters.accepts(self.facets[p]) for p in parents[where]]
        return (
            np.concatenate([docs, parents[has]]),
            np.concatenate([rows, rows[has]]),
            np.concatenate([scores, scores[has]]),
        )

    def theme_ids(self) -> set[str]:
        """Themes a filter may name: those of the index's taxonomy and those stored."""
        known = {t for f in self.facets for t in f.themes}
        annotate = self.settings.annotate
        if annotate.themes and not annotate.tagger:
            from .themes import load_taxonomy

            try:
                known |= {
                    t.id
                    for t in load_taxonomy(Path(annotate.taxonomy) if annotate.taxonomy else None)
                }
            except InputError:  # the taxonomy file moved since the build: stored ones count
                pass
        return known

    def _allowed_rows(self, filters: Filters, exclude: int | None) -> np.ndarray | None:
        if not filters.active:
            return None
        if unknown := sorted(set(filters.themes) - self.theme_ids()):
            raise InputError(
                f"--theme {', '.join(unknown)}: unknown theme; known: "
                + ", ".join(sorted(self.theme_ids()))
            )
        docs = [i for i, f in enumerate(self.facets) if filters.accepts(f) and i != exclude]
        return self.store.passages.rows_of(np.array(docs, dtype=np.int32))

    def _candidates(
        self, dense: np.ndarray, lexical: LexicalQuery, allowed: np.ndarray | None
    ) -> np.ndarray:
        n = self.settings.fusion.candidates
        if allowed is not None:  # filtered: score the allowed passages exactly
            if allowed.size <= n:
                return allowed
            dense_scores = np.asarray(self.vectors.vectors_[allowed]) @ dense
            lexical_scores = self.lexical.scores(lexical, allowed)
            return np.union1d(allowed[_top(dense_scores, n)], allowed[_top(lexical_scores, n)])
        _, rows = self.vectors.search(dense[None, :], n)
        found = rows[0][rows[0] >= 0]
        if self.settings.fusion.enabled:
            lexical_scores = self.lexical.scores(lexical)
            top = _top(lexical_scores, n)
            found = np.union1d(found, top[lexical_scores[top] > 0])
        return found.astype(np.int64)

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


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    if scores.size <= n:
        return np.arange(scores.size)
    return np.argpartition(-scores, n)[:n]
