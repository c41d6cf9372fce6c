"""Places and organisations in French texts, resolved to official geography and kinds of actor.

from pipeline.extract import Extractor
entities = Extractor().extract("Implanté à Trentels (Lot-et-Garonne), le PTCE TERA ...")
entities.places[0].code        # "47315"
entities.territory             # Territory(departements=("47",), regions=("75",))
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..settings import AnnotateSettings
from .gazetteer import (
    GAZETTEER_SOURCE,
    departement_name,
    epci_territories,
    region_name,
    resolve_departement,
    resolve_region,
)
from .model import Entities, Organisation, Place, Territory

__all__ = [
    "Entities",
    "Extractor",
    "Organisation",
    "Place",
    "Territory",
    "departement_name",
    "epci_territories",
    "region_name",
    "resolve_departement",
    "resolve_region",
]

EXTRACTOR_VERSION = "3"  # raise when a change of rules changes what is extracted

# Contact details are metadata, never entities: they are blanked (same length, so offsets
# still point into the original text) before the text reaches spaCy.
# Each alternative starts only where a word starts (the lookbehinds), so that a long word is
# scanned once, not once per letter: linear time on any text, a 100,000-letter word included.
_CONTACTS = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|\[email[^\]]*\]"  # an e-mail hidden by a web page
    r"|(?:https?://|www\.)\S+"  # address on the web
    r"|(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b"  # French phone number
)


def mask_contacts(text: str) -> str:
    return _CONTACTS.sub(lambda m: " " * len(m.group()), text)


class Extractor:
    """Runs the French spaCy model plus our components; load once, reuse for many texts."""

    def __init__(self, spacy_model: str = AnnotateSettings().spacy_model) -> None:
        from .components import build_pipeline

        self.spacy_model = spacy_model
        self.nlp = build_pipeline(spacy_model)
        # What produced the annotations: a build reuses stored entities only when it matches.
        self.version = (
            f"tisser-extract {EXTRACTOR_VERSION}; {spacy_model} {self.nlp.meta.get('version')}; "
            f"{GAZETTEER_SOURCE}"
        )

    def extract(self, text: str) -> Entities:
        return self.extract_many([text])[0]

    def extract_many(self, texts: Iterable[str], batch_size: int = 32) -> list[Entities]:
        """Entities of each text, in order; texts go through ``nlp.pipe`` in batches."""
        originals = [t or "" for t in texts]
        docs = self.nlp.pipe((mask_contacts(t) for t in originals), batch_size=batch_size)
        return [_entities(doc, text) for doc, text in zip(docs, originals, strict=True)]


def _entities(doc, original: str) -> Entities:
    # The masked text has the original's length: give back the original's words.
    places = tuple(Place(original[p.start : p.end], *_fields(p)[1:]) for p in doc._.places)
    return Entities(places, doc._.organisations, doc._.persons, doc._.territory)


def _fields(place: Place) -> tuple:
    return (place.text, place.start, place.end, place.kind, place.code, place.name,
            place.departement, place.region, place.confidence, place.candidates)  # fmt: skip
