"""Transition themes: tagging only.

Owns the taxonomy and its checks (``taxonomy``), finding cue terms by lemma (``cues``), the
zero-shot tagger (``zero_shot``), the supervised tagger learned from a user's labelled texts
(``supervised``, ``features``, ``labelled``, ``evaluation``, ``persistence``) and the records
of tagging (``model``). The themed index built from the tags lives in pipeline/catalogue/.
"""

from .cues import lemmatiser
from .features import FeatureSettings
from .labelled import read_labelled
from .model import Report, Theme, ThemeScore, shared_themes
from .supervised import SupervisedTagger
from .taxonomy import DEFAULT_TAXONOMY, load_taxonomy, taxonomy_path
from .zero_shot import DEFAULT_THRESHOLD, ZeroShotTagger

__all__ = [
    "DEFAULT_TAXONOMY",
    "DEFAULT_THRESHOLD",
    "FeatureSettings",
    "Report",
    "SupervisedTagger",
    "Theme",
    "ThemeScore",
    "ZeroShotTagger",
    "lemmatiser",
    "load_taxonomy",
    "read_labelled",
    "shared_themes",
    "taxonomy_path",
]
