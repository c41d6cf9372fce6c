"""The metadata store: documents with their annotations, beside the passage table."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..documents import Document
from .passages import PassageTable

DOCUMENTS = "documents.jsonl"
PASSAGES = "passages.npz"


@dataclass(frozen=True)
class StoredDocument:
    id: str
    title: str
    text: str
    meta: dict[str, Any]
    digest: str  # content hash: unchanged documents keep their annotations across updates
    entities: dict[str, Any] = field(default_factory=dict)  # Entities.to_dict()
    themes: list[dict[str, Any]] = field(default_factory=list)  # ThemeScore.to_dict() each

    @property
    def document(self) -> Document:
        return Document(self.id, self.title, self.text, self.meta)


def content_digest(doc: Document) -> str:
    return hashlib.sha256(f"{doc.title}\x00{doc.text}".encode()).hexdigest()[:32]


class DocumentStore:
    FILES = (DOCUMENTS, PASSAGES)

    def __init__(self, documents: list[StoredDocument], passages: PassageTable):
        self.documents = documents
        self.passages = passages
        self.row_of = {d.id: i for i, d in enumerate(documents)}
        # A document whose meta names a ``parent`` present here (a France PAT action and its
        # PAT): search leaves a document's children out of its neighbours.
        self.parent = np.array(
            [self.row_of.get(d.meta.get("parent", ""), -1) for d in documents], dtype=np.int32
        )

    def passage_text(self, row: int) -> str:
        doc = self.documents[int(self.passages.doc[row])]
        return doc.text[int(self.passages.start[row]) : int(self.passages.end[row])]

    def save(self, folder: Path) -> list[str]:
        with open(folder / DOCUMENTS, "w", encoding="utf-8") as handle:
            for doc in self.documents:
                handle.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
        table = self.passages
        np.savez(
            folder / PASSAGES, doc=table.doc, start=table.start, end=table.end, digest=table.digest
        )
        return [DOCUMENTS, PASSAGES]

    @classmethod
    def load(cls, folder: Path) -> DocumentStore:
        with open(folder / DOCUMENTS, encoding="utf-8") as handle:
            documents = [StoredDocument(**json.loads(line)) for line in handle]
        with np.load(folder / PASSAGES) as arrays:
            table = PassageTable(arrays["doc"], arrays["start"], arrays["end"], arrays["digest"])
        return cls(documents, table)
