"""The themed index of a corpus: a catalogue by theme and territory to browse and share.

Owns the entries read from an opened index (``entries``), the sections per theme with their
territories and actors (``sections``), the sub-groups found by clustering (``clusters``), and
the renderers: Markdown, CSV and JSON (``render``), one self-contained HTML page
(``html_page``). Reads search results and the themes' taxonomy; writes nothing.
"""

from __future__ import annotations

from ..search import Searcher
from ..themes import load_taxonomy
from .entries import catalogue_entries
from .model import Catalogue, CatalogueEntry, CatalogueItem, SubGroup, ThemeSection
from .render import FORMATS, render_catalogue
from .sections import build_catalogue, themes_of_entries

__all__ = [
    "FORMATS",
    "Catalogue",
    "CatalogueEntry",
    "CatalogueItem",
    "SubGroup",
    "ThemeSection",
    "build_catalogue",
    "catalogue_entries",
    "render_catalogue",
    "themed_index",
    "themes_of_entries",
]


def themed_index(searcher: Searcher, min_cluster_size: int | None = None) -> Catalogue:
    """The catalogue of the indexed corpus by theme, with sub-groups found by clustering: the
    themes of the index's taxonomy in its order, or those a trained tagger gave."""
    settings = searcher.settings.annotate
    themes = None if settings.tagger else load_taxonomy(settings.taxonomy)
    extra = {} if min_cluster_size is None else {"min_cluster_size": min_cluster_size}
    return build_catalogue(catalogue_entries(searcher), themes, **extra)
