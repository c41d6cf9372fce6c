"""Places and organisations in French texts, resolved to official geography and kinds of actor.

from pipeline.extract import Extractor
entities = Extractor().extract("Implanté à Trentels (Lot-et-Garonne), le PTCE TERA ...")
entities.places[0].code        # "47315"
entities.territory             # Territory(departements=("47",), regions=("75",))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from ..settings import AnnotateSettings
from ..text import PIECE_CHARS, read_in_pieces
from .gazetteer import (
    GAZETTEER_SOURCE,
    departement_name,
    epci_territories,
    load_gazetteer,
    region_name,
    resolve_departement,
    resolve_region,
)
from .model import Entities, Organisation, Place, Territory
from .places import territory_of

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
        """Entities of each text, in order; texts go through ``nlp.pipe`` in batches.

        A text longer than ``PIECE_CHARS`` is read in pieces cut between paragraphs (else
        sentences), its entities gathered with offsets into the whole text; a name astride a
        cut, or explained in another piece, may be missed.
        """
        originals = [t or "" for t in texts]
        masked = [mask_contacts(text) for text in originals]
        limit = min(PIECE_CHARS, self.nlp.max_length)
        docs = read_in_pieces(masked, limit, lambda p: self.nlp.pipe(p, batch_size=batch_size))
        found = []
        for text, parts in zip(originals, docs, strict=True):
            read = [_entities(doc, text, offset) for offset, doc in parts]
            found.append(read[0] if len(read) == 1 else _gathered(read, text))
        return found


def _entities(doc, original: str, offset: int = 0) -> Entities:
    """Entities of a piece at ``offset`` in ``original``, with offsets into ``original``."""
    # The masked text has the original's length: give back the original's words.
    places = tuple(
        _shifted(p, offset, text=original[p.start + offset : p.end + offset]) for p in doc._.places
    )
    organisations = tuple(_shifted(o, offset) for o in doc._.organisations)
    return Entities(places, organisations, doc._.persons, doc._.territory)


def _shifted(found: Place | Organisation, offset: int, **changes) -> Place | Organisation:
    return replace(found, start=found.start + offset, end=found.end + offset, **changes)


def _gathered(read: list[Entities], text: str) -> Entities:
    """The entities of a text read in pieces: each organisation and person once, at its first
    mention; the territory of all the places."""
    places = tuple(place for entities in read for place in entities.places)
    organisations = {}
    for entities in read:
        for organisation in entities.organisations:
            organisations.setdefault(organisation.name, organisation)
    persons = tuple(dict.fromkeys(person for entities in read for person in entities.persons))
    territory = territory_of(load_gazetteer(), list(places), text)
    return Entities(places, tuple(organisations.values()), persons, territory)
