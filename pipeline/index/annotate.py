"""Per-document annotations stored at build time: entities (places, organisations) and themes.

The extractor and the taggers are loaded once per process and shared (build, tag, server).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..documents import Document
from ..embed import Embedder
from ..settings import AnnotateSettings, PassageSettings

Annotation = tuple[dict[str, Any], list[dict[str, Any]]]  # (entities, themes), JSON-ready


@lru_cache(maxsize=2)
def extractor(spacy_model: str):
    from ..extract import Extractor

    return Extractor(spacy_model)


@lru_cache(maxsize=4)
def _zero_shot(
    taxonomy: str | None,
    embedder: Embedder,
    threshold: float | None,
    spacy_model: str,
    passage_tokens: int,
):
    from ..themes import DEFAULT_THRESHOLD, ZeroShotTagger, lemmatiser, load_taxonomy

    return ZeroShotTagger(
        load_taxonomy(taxonomy),
        embedder,
        lemmatiser(spacy_model),
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        passage_tokens=passage_tokens,
    )


@lru_cache(maxsize=4)
def _supervised(folder: str, embedder: Embedder, threshold: float | None):
    from ..themes import SupervisedTagger

    tagger = SupervisedTagger.load(Path(folder), embedder)
    if threshold is not None:  # the setting overrides the threshold the tagger was saved with
        tagger.threshold = threshold
    return tagger


class Annotators:
    """Runs the entity extractor and the theme tagger that ``settings`` name.

    ``passage_tokens`` is the passage length of the index (``[passages] max_tokens``): a text
    that comes without its passage vectors is cut as the index cuts its documents.
    ``versions`` names what produced the annotations; a snapshot built by other versions
    lends none of its annotations to the next build.
    """

    def __init__(
        self,
        settings: AnnotateSettings = AnnotateSettings(),
        passage_tokens: int = PassageSettings().max_tokens,
    ):
        self.settings = settings
        self.passage_tokens = passage_tokens

    def versions(self) -> dict[str, str]:
        s = self.settings
        found = {}
        if s.entities:
            from ..extract import EXTRACTOR_VERSION

            found["entities"] = f"{EXTRACTOR_VERSION}; {s.spacy_model}"
        if s.themes:
            from ..themes import taxonomy_path

            source = Path(s.tagger) / "manifest.json" if s.tagger else taxonomy_path(s.taxonomy)
            found["themes"] = f"{_digest(source)}; threshold {s.theme_threshold}"
        return found

    def theme_tagger(self, embedder: Embedder):
        s = self.settings
        if s.tagger:
            return _supervised(s.tagger, embedder, s.theme_threshold)
        return _zero_shot(
            s.taxonomy, embedder, s.theme_threshold, s.spacy_model, self.passage_tokens
        )

    def annotate(
        self, documents: Sequence[Document], doc_vectors: Sequence[np.ndarray], embedder: Embedder
    ) -> list[Annotation]:
        texts = [d.text for d in documents]
        entities: list[dict[str, Any]] = [{} for _ in documents]
        themes: list[list[dict[str, Any]]] = [[] for _ in documents]
        if self.settings.entities and texts:
            entities = [
                e.to_dict() for e in extractor(self.settings.spacy_model).extract_many(texts)
            ]
        if texts:
            themes = [[t.to_dict() for t in row] for row in self.tag(texts, doc_vectors, embedder)]
        return list(zip(entities, themes))

    def tag(
        self, texts: Sequence[str], doc_vectors: Sequence[np.ndarray] | None, embedder: Embedder
    ):
        if not self.settings.themes:
            return [[] for _ in texts]
        tagger = self.theme_tagger(embedder)
        if self.settings.tagger:  # trained on whole texts: it embeds them its own way
            return tagger.predict_scores(list(texts))
        return tagger.tag_many(list(texts), list(doc_vectors) if doc_vectors is not None else None)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"
