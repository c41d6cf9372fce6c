"""Tisser: text mining and semantic search for French territorial economic cooperations.

The public Python API is ``pipeline.api``; its main names are here too. The stages, in the
order data flows through them, are described in ARCHITECTURE.md.
"""

import os

__version__ = "0.2.0"

# torch and FAISS each bring an OpenMP runtime; with threads that spin while they wait, each
# slows the other down: a query embedded right after a FAISS search took 1.9 s instead of
# 20 ms here. Must be set before either library loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .api import build, open_index  # noqa: E402
from .documents import Document, Problem  # noqa: E402
from .errors import TisserError  # noqa: E402
from .search import Filters, Hit, Results, Searcher  # noqa: E402
from .settings import Settings  # noqa: E402

__all__ = [
    "Document",
    "Filters",
    "Hit",
    "Problem",
    "Results",
    "Searcher",
    "Settings",
    "TisserError",
    "__version__",
    "build",
    "open_index",
]
