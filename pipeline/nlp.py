"""The French spaCy pipeline, loaded once per process and shared by every extractor."""

from __future__ import annotations

from functools import lru_cache

from .errors import ModelError

DEFAULT_SPACY_MODEL = "fr_core_news_md"


@lru_cache(maxsize=4)
def load_french(name: str = DEFAULT_SPACY_MODEL):
    """Return the spaCy pipeline ``name``; raise ModelError with the install command if absent."""
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        package = name.replace("_", "-")
        raise ModelError(
            f"spaCy model {name!r} is not installed: pip install {package}==3.8.0"
        ) from exc
