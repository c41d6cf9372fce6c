"""Tisser: text mining and semantic search for French territorial economic cooperations."""

import os

# torch and FAISS each bring an OpenMP runtime; with threads that spin while they wait, each
# slows the other down: a query embedded right after a FAISS search took 1.9 s instead of
# 20 ms here. Must be set before either library loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .api import build, open_index
from .documents import Document, Problem
from .errors import TisserError
from .query import Filters, Hit, Results, Searcher
from .settings import Settings

__all__ = [
    "Document",
    "Filters",
    "Hit",
    "Problem",
    "Results",
    "Searcher",
    "Settings",
    "TisserError",
    "build",
    "open_index",
]
