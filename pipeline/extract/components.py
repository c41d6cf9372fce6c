"""The spaCy side: our components, registered the spaCy way, and the pipeline that runs them.

    tok2vec -> entity_ruler (known actors) -> ner -> tisser_gazetteer -> tisser_organisations
            -> tisser_places

Results are left on the Doc: ``doc._.places``, ``doc._.organisations``, ``doc._.persons``,
``doc._.territory``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..text import load_spacy
from .cues import Signals
from .gazetteer import load_gazetteer
from .matching import find_mentions, tokenize
from .org_kinds import ruler_patterns
from .organisations import find_organisations
from .places import find_places, other_places, territory_of

# Components the extractor does not read (leaving them out: 80 PAT texts in 9.7 s instead of 13.4).
UNUSED_COMPONENTS = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
_EXTENSIONS = (
    "tisser_text", "tisser_tokens", "tisser_mentions", "tisser_names", "tisser_person_spans",
    "places", "organisations", "persons", "territory",
)  # fmt: skip
for _name in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class GazetteerMatcher:
    """Finds every gazetteer name and "Pays ..." pattern in the text."""

    def __init__(self) -> None:
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        doc._.tisser_text = doc.text  # spaCy builds doc.text anew at each access
        doc._.tisser_tokens = tokenize(doc._.tisser_text)
        doc._.tisser_mentions = find_mentions(self.gazetteer, doc._.tisser_tokens)
        return doc


class OrganisationFinder:
    """Organisations and persons, from the ruler, the NER and the text's own words."""

    def __call__(self, doc: Doc) -> Doc:
        orgs, persons, person_spans, names = find_organisations(
            doc, doc._.tisser_text, doc._.tisser_tokens, doc._.tisser_mentions
        )
        doc._.organisations = tuple(orgs)
        doc._.persons = tuple(dict.fromkeys(persons))
        doc._.tisser_person_spans = person_spans
        doc._.tisser_names = names
        return doc


class PlaceResolver:
    """Decides which mentions are places, settles homonyms and computes the territory."""

    def __init__(self) -> None:
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.tisser_text
        locations = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "LOC"]
        signals = Signals(locations, doc._.tisser_person_spans, doc._.tisser_names)
        tokens = doc._.tisser_tokens
        places = find_places(self.gazetteer, text, tokens, doc._.tisser_mentions, signals)
        taken = [(p.start, p.end) for p in places] + signals.persons + signals.names
        taken += [(o.start, o.end) for o in doc._.organisations]
        places += other_places(text, tokens, locations, taken)
        doc._.places = tuple(sorted(places, key=lambda p: p.start))
        doc._.territory = territory_of(self.gazetteer, places, text)
        return doc


@Language.factory("tisser_gazetteer")
def make_gazetteer_matcher(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher()


@Language.factory("tisser_organisations")
def make_organisation_finder(nlp: Language, name: str) -> OrganisationFinder:
    return OrganisationFinder()


@Language.factory("tisser_places")
def make_place_resolver(nlp: Language, name: str) -> PlaceResolver:
    return PlaceResolver()


@lru_cache(maxsize=2)
def build_pipeline(spacy_model: str) -> Language:
    """The French model with our components; ModelError when the model is not installed."""
    nlp = load_spacy(spacy_model, exclude=tuple(UNUSED_COMPONENTS))
    ruler = nlp.add_pipe(
        "entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(ruler_patterns())
    for component in ("tisser_gazetteer", "tisser_organisations", "tisser_places"):
        nlp.add_pipe(component)
    return nlp
