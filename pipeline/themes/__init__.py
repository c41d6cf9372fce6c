"""Transition themes: a taxonomy, a zero-shot and a supervised tagger, and the themed index."""

from .catalogue import build_catalogue, render_catalogue, themes_of_entries
from .features import FeatureSettings
from .labelled import read_labelled
from .model import (
    Catalogue,
    CatalogueEntry,
    CatalogueItem,
    Report,
    SubGroup,
    Theme,
    ThemeScore,
    ThemeSection,
    shared_themes,
)
from .supervised import SupervisedTagger
from .taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from .zero_shot import DEFAULT_THRESHOLD, ZeroShotTagger

__all__ = [
    "DEFAULT_TAXONOMY",
    "DEFAULT_THRESHOLD",
    "Catalogue",
    "CatalogueEntry",
    "CatalogueItem",
    "FeatureSettings",
    "Report",
    "SubGroup",
    "SupervisedTagger",
    "Theme",
    "ThemeScore",
    "ThemeSection",
    "ZeroShotTagger",
    "build_catalogue",
    "load_taxonomy",
    "read_labelled",
    "render_catalogue",
    "shared_themes",
    "themes_of_entries",
]
