"""Extraction with the real French spaCy model: the seed corpus and the hard cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.extract import Entities, Extractor

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_927d59c81998dcfa.txt"
# First words of each seed section, to cut the seed file when corpus/ is not there.
SECTIONS = {
    "tera": "PTCE TERA, un éco-système",
    "clus-ter-jura": "L’écosystème du Clus’Ter Jura",
    "vivre-le-bois-local": "Vivre le bois local au Parc",
    "p2a-montpellier": "Montpellier Méditerranée Métropole : Construire",
}

pytestmark = pytest.mark.real


def _seed_texts() -> dict[str, str]:
    """The four seed texts: corpus/*.md bodies, else the sections of the shared seed file."""
    texts = {}
    for path in sorted((ROOT / "corpus").glob("*.md")):
        for name in SECTIONS:
            if path.stem.endswith(name):
                texts[name] = re.sub(r"\A---\n.*?\n---\n", "", path.read_text("utf-8"), flags=re.S)
    if len(texts) == len(SECTIONS):
        return texts
    if not SEED.exists():
        pytest.skip(f"neither corpus/ nor {SEED} holds the seed texts")
    seed = SEED.read_text("utf-8")
    starts = sorted((seed.index(head), name) for name, head in SECTIONS.items())
    ends = [s for s, _ in starts[1:]] + [len(seed)]
    return {name: seed[start:end] for (start, name), end in zip(starts, ends, strict=True)}


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def seed(extractor) -> dict[str, Entities]:
    texts = _seed_texts()
    return dict(zip(texts, extractor.extract_many(texts.values()), strict=True))


def codes(entities: Entities, kind: str) -> set[str]:
    return {p.code for p in entities.places if p.kind == kind and p.code}


def organisation(entities: Entities, name: str):
    return next((o for o in entities.organisations if o.name == name), None)


def test_tera(seed):
    tera = seed["tera"]
    assert "47315" in codes(tera, "commune")
    assert "200068930" in codes(tera, "epci")
    assert "47" in codes(tera, "departement")
    assert tera.territory.departements == ("47",)
    assert tera.territory.regions == ("75",)
    assert "PTCE TERA" in {o.name for o in tera.organisations}


def test_vivre_le_bois_local(seed):
    bois = seed["vivre-le-bois-local"]
    assert "68298" in codes(bois, "commune")
    assert "246800395" in codes(bois, "epci")
    assert "pnr-ballons-des-vosges" in codes(bois, "pnr")
    assert bois.territory.departements == ("68",)
    assert {o.kind for o in bois.organisations if "Ballons des Vosges" in o.name} == {"pnr"}


def test_clus_ter_jura(seed):
    jura = seed["clus-ter-jura"]
    assert "39" in codes(jura, "departement")
    assert "27" in codes(jura, "region")
    assert jura.territory.departements == ("39",)
    ademe = organisation(jura, "Agence de la transition écologique")
    assert (ademe.kind, ademe.acronym) == ("etat_agence", "ADEME")
    assert organisation(jura, "Clus’Ter Jura").kind == "cooperative"
    pays = [p for p in jura.places if p.kind == "pays"]
    assert pays and all(p.name == "Pays Lédonien" and p.departement == "39" for p in pays)


def test_persons_are_not_organisations_nor_places(seed):
    jura = seed["clus-ter-jura"]
    if "Lucie Coulon" in jura.persons:  # the corpus keeps the contact in front matter
        assert "Lucie Coulon" not in {o.name for o in jura.organisations}
    assert "Clus’Ter Jura" not in jura.persons
    everything = [e for e in seed.values()]
    assert not any(p.code == "79100" for e in everything for p in e.places)  # Coulon (79)
    assert not any(p.code == "11182" for e in everything for p in e.places)  # Lacombe (11)


def test_p2a_montpellier(seed):
    p2a = seed["p2a-montpellier"]
    assert "243400017" in codes(p2a, "epci")
    assert p2a.territory.departements == ("34",)
    assert "P2A" not in {o.name for o in p2a.organisations}  # a policy, not an actor


def test_acronym_and_long_name_are_one_organisation(extractor):
    text = ("L'Agence de la transition écologique (ADEME) finance l'étude. "
            "L'ADEME suit aussi le projet avec la DRAAF Occitanie.")  # fmt: skip
    orgs = extractor.extract(text).organisations
    ademe = [o for o in orgs if o.acronym == "ADEME"]
    assert len(ademe) == 1 and ademe[0].name == "Agence de la transition écologique"
    assert ademe[0].start == text.index("Agence")
    assert any(o.kind == "etat_agence" and o.name.startswith("DRAAF") for o in orgs)


def test_homonyms_are_settled_by_context_or_left_open(extractor):
    alone, pinned, posted, nearby = extractor.extract_many([
        "Le marché se tient à Sainte-Colombe chaque samedi.",
        "Le marché se tient à Sainte-Colombe (Gironde) chaque samedi.",
        "Le marché se tient au 35134 Sainte-Colombe chaque samedi.",
        "En Gironde, le marché se tient à Sainte-Colombe chaque samedi.",
    ])  # fmt: skip
    open_place = next(p for p in alone.places if p.text == "Sainte-Colombe")
    assert open_place.code is None and len(open_place.candidates) > 5
    assert "33390" in open_place.candidates
    assert [p.code for p in pinned.places if p.kind == "commune"] == ["33390"]
    assert [p.code for p in posted.places if p.kind == "commune"] == ["35262"]
    assert [p.code for p in nearby.places if p.kind == "commune"] == ["33390"]


def test_common_words_are_places_only_when_used_as_places(extractor):
    words, place = extractor.extract_many([
        "Bio et local : le Plan Climat vise 50 % de produits bio. Lutter contre le gaspillage. "
        "La Place du marché accueille les producteurs.",
        "Dans le Lot, la ferme est installée à Bio depuis 2019.",
    ])  # fmt: skip
    assert [p for p in words.places if p.kind == "commune"] == []
    assert codes(place, "commune") == {"46030"}
    assert codes(place, "departement") == {"46"}


def test_elisions_articles_and_abbreviations(extractor):
    text = ("La foire d'Argentan, le port du Havre, la cité de St-Malo "
            "et L'Isle-Jourdain dans le Gers.")  # fmt: skip
    found = {p.text: p.code for p in extractor.extract(text).places if p.kind == "commune"}
    assert found == {"Argentan": "61006", "Havre": "76351", "St-Malo": "35288",
                     "L'Isle-Jourdain": "32160"}  # fmt: skip


def test_rivers_and_countries_are_not_communes(extractor):
    text = "Le long de la Vanne et au bord de la Saône, près de la Suisse, coule le Rhône."
    entities = extractor.extract(text)
    assert [p for p in entities.places if p.kind == "commune"] == []


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "The quick brown fox jumps over the lazy dog near the river.",
     "这是一个测试。🙂", "12345 67890 ; ; ;"],
)  # fmt: skip
def test_empty_or_foreign_text_yields_nothing_and_does_not_crash(extractor, text):
    entities = extractor.extract(text)
    assert [p for p in entities.places if p.code] == []
    assert entities.organisations == ()
    assert entities.territory.departements == ()


def test_contacts_are_metadata_not_entities(extractor):
    text = "Contact : [email protected], 06 12 34 56 78, https://www.tera-coop.fr/contact"
    entities = extractor.extract(text)
    found = [p.text for p in entities.places] + [o.name for o in entities.organisations]
    assert not any("@" in f or "06 12" in f or "http" in f for f in found)
    assert entities.persons == ()


def test_the_extractor_says_what_produced_its_results(extractor):
    assert "fr_core_news_md" in extractor.version
    assert "decoupage-administratif 6.0.0" in extractor.version


def test_extract_many_keeps_order_and_matches_extract(extractor, seed):
    texts = list(_seed_texts().values())
    assert [e.to_dict() for e in extractor.extract_many(texts, batch_size=2)] == [
        extractor.extract(t).to_dict() for t in texts
    ]
    assert extractor.extract_many([]) == []


def test_results_are_json_ready_and_point_into_the_text(seed):
    texts = _seed_texts()
    for name, entities in seed.items():
        assert Entities.from_dict(json.loads(json.dumps(entities.to_dict()))) == entities
        for p in entities.places:
            assert texts[name][p.start : p.end] == p.text


def test_a_sentence_opening_on_a_place_names_no_organisation(extractor):
    entities = extractor.extract("Dans le Jura, une SCIC réunit des producteurs laitiers.")
    assert all("Dans" not in o.name for o in entities.organisations)
    assert any(p.code == "39" for p in entities.places)
