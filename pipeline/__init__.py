"""Tisser: text mining and semantic search for French territorial economic cooperations."""

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
