"""The metadata store: documents with their annotations, and the passage table.

Row i of the passage table is row i of the vector index; each passage names its document row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Document
from .passages import Passage

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


@dataclass(frozen=True)
class PassageTable:
    doc: np.ndarray  # int32, document row of each passage
    start: np.ndarray  # int32 character offsets in the document text
    end: np.ndarray
    digest: np.ndarray  # str, embedding cache key (see Passage.digest)

    def __len__(self) -> int:
        return int(self.doc.shape[0])

    @classmethod
    def from_passages(cls, passages: list[Passage], digests: list[str]) -> PassageTable:
        return cls(
            doc=np.array([p.doc for p in passages], dtype=np.int32),
            start=np.array([p.start for p in passages], dtype=np.int32),
            end=np.array([p.end for p in passages], dtype=np.int32),
            digest=np.array(digests, dtype="U32"),
        )

    def rows_of(self, doc_rows: np.ndarray) -> np.ndarray:
        """Passage rows belonging to any of ``doc_rows``."""
        return np.flatnonzero(np.isin(self.doc, doc_rows))


class DocumentStore:
    def __init__(self, documents: list[StoredDocument], passages: PassageTable):
        self.documents = documents
        self.passages = passages
        self.row_of = {d.id: i for i, d in enumerate(documents)}
        # A document whose meta names a ``parent`` (a France PAT action) also counts as a
        # passage of that parent: a PAT is found by what its actions say.
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
