"""What extraction returns: places, organisations, persons and the territory of a document."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

PLACE_KINDS = ("commune", "epci", "departement", "region", "pnr", "pays", "other")
ORGANISATION_KINDS = (
    "collectivite",
    "epci",
    "etat_agence",
    "association",
    "cooperative",
    "entreprise",
    "recherche_enseignement",
    "reseau",
    "pnr",
    "autre",
)


@dataclass(frozen=True)
class Place:
    """A place named in a text, resolved to official geography when the text allows it.

    ``code`` is the INSEE code (commune, département, région), the SIREN (EPCI) or a PNR id;
    it is None when the name is ambiguous, and ``candidates`` then lists the possible codes.
    ``departement`` and ``region`` are the codes of the parents, when known.
    """

    text: str
    start: int
    end: int
    kind: str
    code: str | None
    name: str | None
    departement: str | None
    region: str | None
    confidence: float
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organisation:
    """An organisation, once per document, at its first full mention."""

    name: str
    kind: str
    acronym: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Territory:
    """The départements and régions (codes, sorted) a document is about."""

    departements: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entities:
    places: tuple[Place, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    persons: tuple[str, ...] = ()
    territory: Territory = Territory()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``from_dict`` reads it back."""
        places = []
        for place in self.places:
            row = asdict(place)
            row["candidates"] = list(place.candidates)
            places.append(row)
        return {
            "places": places,
            "organisations": [asdict(o) for o in self.organisations],
            "persons": list(self.persons),
            "territory": {
                "departements": list(self.territory.departements),
                "regions": list(self.territory.regions),
            },
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entities:
        places = tuple(
            Place(**{**p, "candidates": tuple(p.get("candidates", ()))})
            for p in d.get("places", ())
        )
        territory = d.get("territory", {})
        return cls(
            places=places,
            organisations=tuple(Organisation(**o) for o in d.get("organisations", ())),
            persons=tuple(d.get("persons", ())),
            territory=Territory(
                tuple(territory.get("departements", ())), tuple(territory.get("regions", ()))
            ),
        )
