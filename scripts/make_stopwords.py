"""Regenerate pipeline/data/stopwords.txt from spaCy's French and English stop-word lists.

    python scripts/make_stopwords.py

The words are folded as Tisser compares them (pipeline/text.py: lower case, no accents). The
French ones come first; the English ones follow a line ``# English`` (those that are not
French stop words too): the theme tagger reads French texts with the French list only, search
drops both so that an English query's small words do not count. Source: spaCy (MIT),
spacy/lang/fr/stop_words.py and spacy/lang/en/stop_words.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.text import fold  # noqa: E402

OUT = ROOT / "pipeline" / "data" / "stopwords.txt"


def main() -> None:
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    french = sorted({fold(w) for w in FRENCH})
    english = sorted({fold(w) for w in ENGLISH} - set(french))
    lines = [
        f"# French, then English stop words, accents folded; from spaCy {spacy.__version__} (MIT),",
        "# spacy/lang/{fr,en}/stop_words.py, by scripts/make_stopwords.py",
        *french,
        "# English",
        *english,
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(french)} French, {len(english)} English words")


if __name__ == "__main__":
    main()
