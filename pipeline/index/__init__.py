"""The index: what a build writes and a search reads.

Owns the passage table (``passages``), the versioned snapshots with their atomic swap
(``snapshots``), their sealed manifest and its checks (``manifest``), the opening of a
snapshot checked against it (``opening``), the document store (``docstore``), the vectors
(``vectors``, FAISS), the lexical index (``lexical``), the annotations made at build
(``annotate``: entities and themes), the build that chains sources -> passages -> embeddings
-> annotations -> snapshot (``builder``) and keeping an index current (``update``: add,
remove). Imports sources, embed, extract and themes; never search, catalogue or the front ends.
"""

from .annotate import Annotators
from .builder import SILENT, BuildReport, Feedback, build, commit, load_documents
from .docstore import DocumentStore, StoredDocument
from .lexical import LexicalIndex, LexicalQuery
from .snapshots import Manifest, has_index, live_settings
from .update import add, remove
from .vectors import VectorIndex

__all__ = [
    "SILENT",
    "Annotators",
    "BuildReport",
    "DocumentStore",
    "Feedback",
    "LexicalIndex",
    "LexicalQuery",
    "Manifest",
    "StoredDocument",
    "VectorIndex",
    "add",
    "build",
    "commit",
    "has_index",
    "live_settings",
    "load_documents",
    "remove",
]
