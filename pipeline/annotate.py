"""Per-document annotations stored at build time: entities (places, organisations) and themes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from .documents import Document

if TYPE_CHECKING:
    from .build import Progress

Annotation = tuple[dict[str, Any], list[dict[str, Any]]]  # (entities, themes), JSON-ready


class Annotators:
    """Runs the entity extractor and the theme tagger over documents.

    ``versions`` names what produced the annotations; a snapshot built by other versions
    lends none of its annotations to the next build.
    """

    def __init__(self, extractor: Any | None = None, tagger: Any | None = None,
                 versions: dict[str, str] | None = None):
        self.extractor = extractor
        self.tagger = tagger
        self._versions = versions or {}

    def versions(self) -> dict[str, str]:
        return dict(self._versions)

    def annotate(
        self,
        documents: Sequence[Document],
        doc_vectors: Sequence[np.ndarray],
        progress: Callable[[str, int], Any] | None = None,
    ) -> list[Annotation]:
        texts = [d.text for d in documents]
        entities = [{} for _ in documents]
        themes: list[list[dict[str, Any]]] = [[] for _ in documents]
        if self.extractor is not None:
            entities = [e.to_dict() for e in self.extractor.extract_many(texts)]
        if self.tagger is not None:
            scored = self.tagger.tag_many(texts, list(doc_vectors))
            themes = [[t.to_dict() for t in doc_themes] for doc_themes in scored]
        return list(zip(entities, themes))
