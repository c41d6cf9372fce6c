"""Kinds of actors: the words that say what an organisation is, and the known organisations."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import DATA_DIR, fold

# Words that name a kind of organisation, folded. Checked on the first words of a name
# ("Université de Poitiers") and after "est une" ("Clus'Ter Jura est une coopérative").
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(["association", "asso", "fondation", "amap", "civam", "gab"], "association"),
    **dict.fromkeys(
        ["cooperative", "scic", "scop", "cae", "cuma", "sica", "coop", "biocoop"], "cooperative"
    ),
    **dict.fromkeys(
        ["entreprise", "societe", "sas", "sarl", "sasu", "eurl", "gaec", "earl", "groupe"],
        "entreprise",
    ),
    **dict.fromkeys(
        ["reseau", "federation", "union", "ptce", "mouvement", "cluster", "interprofession"],
        "reseau",
    ),
    **dict.fromkeys(
        [
            "universite",
            "lycee",
            "ecole",
            "institut",
            "iut",
            "college",
            "laboratoire",
            "campus",
            "inrae",
            "cnrs",
            "mfr",
            "cfppa",
            "eplefpa",
            "umr",
        ],
        "recherche_enseignement",
    ),  # fmt: skip
    **dict.fromkeys(
        ["mairie", "ville", "commune", "departement", "region", "conseil", "collectivite", "ccas"],
        "collectivite",
    ),
    **dict.fromkeys(
        ["petr", "syndicat", "communaute", "metropole", "agglomeration", "agglo", "sivom", "sivu"],
        "epci",
    ),
    **dict.fromkeys(
        ["prefecture", "ministere", "agence", "direction", "office", "chambre", "etablissement"],
        "etat_agence",
    ),
    **dict.fromkeys(["parc", "pnr"], "pnr"),
}
# Legal forms alone ("une SCIC") and policies named by acronyms are not organisations.
NOT_ORGANISATIONS = {
    "scic", "scop", "cae", "cuma", "sas", "sarl", "sa", "eurl", "gaec", "earl", "ess", "pat",
    "pcaet", "scot", "plu", "plui", "cte", "crte", "egalim", "leader", "feader", "feder", "pnns",
    "pna", "sraddet", "tepos", "tepcv", "paen", "ens", "gemapi", "rse", "sau", "ab", "aop", "igp",
    "hve", "maec", "pac", "psn", "dsp", "rhd", "gms", "epci", "amap", "ptce", "pnr", "petr",
    "contact", "cc", "ca", "cu", "ue", "etat", "france", "europe", "bio",
}  # fmt: skip
# Heads of acronym definitions that are not actors: "Projet Alimentaire Territorial (PAT)".
NON_ACTOR_HEADS = {
    "projet", "politique", "programme", "plan", "contrat", "schema", "strategie", "demarche",
    "dispositif", "loi", "charte", "label", "appel", "fonds", "systeme", "zone", "quartier",
    "operation", "pacte", "convention", "observatoire", "diagnostic", "territoire", "circuit",
}  # fmt: skip


def compact(name: str) -> str:
    """Letters and digits only, folded: "Clus'Ter Jura" and "Cluster'Jura" -> "clusterjura"."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


def kind_of(name: str) -> str | None:
    """The kind the first words of ``name`` announce, if any."""
    words = re.findall(r"[^\W_]+", fold(name))
    for word in words[:2]:
        if word in KIND_WORDS:
            return KIND_WORDS[word]
    return None


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    name: str
    kind: str | None
    acronym: str | None
    key: str
    trust: int  # 3 known or official, 2 said by the text, 1 spaCy alone
    embeds_places: bool = False  # place names inside belong to the name ("Clus'Ter Jura")


@dataclass(frozen=True)
class KnownOrganisation:
    id: str
    name: str
    kind: str
    acronym: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def known_organisations() -> dict[str, KnownOrganisation]:
    """Hand-made list of national actors (pipeline/data/gazetteer/organisations.tsv), by id."""
    known = {}
    with open(DATA_DIR / "organisations.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            acronym = row["acronym"] or None
            org = KnownOrganisation(
                id=acronym or compact(row["name"]),
                name=row["name"],
                kind=row["kind"],
                acronym=acronym,
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
            known[org.id] = org
    return known


def ruler_patterns() -> list[dict]:
    """Patterns for spaCy's entity_ruler: acronyms by exact spelling, names by lower case.

    Names are given with both apostrophes and without accents, as texts write them.
    """
    patterns = []
    for org in known_organisations().values():
        if org.acronym:
            patterns.append({"label": "ORG", "pattern": [{"ORTH": org.acronym}], "id": org.id})
            if len(org.acronym) > 3:  # "Ademe"
                spelled = org.acronym.capitalize()
                patterns.append({"label": "ORG", "pattern": [{"ORTH": spelled}], "id": org.id})
        for name in (org.name, *org.aliases):
            for variant in {name, name.replace("'", "’"), fold(name), fold(name).replace("'", "’")}:
                if re.search(r"[\s'’-]", variant):
                    patterns.append({"label": "ORG", "pattern": variant.lower(), "id": org.id})
                else:  # one word ("Carrefour"): only with its capital
                    patterns.append({"label": "ORG", "pattern": [{"ORTH": name}], "id": org.id})
    return patterns
