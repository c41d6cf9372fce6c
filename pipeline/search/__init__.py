"""Search: what an opened index answers.

Owns the searcher (``searcher``: queries, "projects like X", a new text's neighbours), the
ranking (``ranking``: candidates, fused scores, best passage per document), the fusion
of scores (``fusion``), the profile head as a ranking score (``profile``), finding a document
by name (``names``), facets, filters and their choices (``facets``), why two initiatives are
alike (``reasons``), the question grammar "projets comme …" (``question``), results
(``results``) and their text for people (``render``). Reads the index; never writes it.
"""

from .facets import Filters
from .question import Question, read_question
from .ranking import Candidates, Ranked, Ranking
from .results import Hit, Neighbours, Results
from .searcher import Searcher

__all__ = [
    "Candidates",
    "Filters",
    "Hit",
    "Neighbours",
    "Question",
    "Ranked",
    "Ranking",
    "Results",
    "Searcher",
    "read_question",
]
