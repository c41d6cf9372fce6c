"""The one way text is folded for comparison: case-folded, accents removed."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """ "Énergie Renouvelable" -> "energie renouvelable"; ligatures as NFKD leaves them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
