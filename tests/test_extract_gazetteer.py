"""The gazetteer, name matching and the result records, without spaCy (fast)."""

from __future__ import annotations

import json

import pytest

from pipeline.extract import (
    Entities,
    Organisation,
    Place,
    Territory,
    departement_name,
    region_name,
    resolve_departement,
    resolve_region,
)
from pipeline.extract.gazetteer import epci_cores, load_gazetteer, name_key
from pipeline.extract.matching import find_mentions, tokenize


def mentions(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    tokens = tokenize(text)
    return [
        (text[m.start : m.end], m.via, tuple(e.code for e in m.entries))
        for m in find_mentions(load_gazetteer(), tokens)
    ]


def test_name_key_folds_accents_case_hyphens_and_saint():
    assert name_key("Sainte-Marie-aux-Mines") == "sainte marie aux mines"
    assert name_key("STE MARIE AUX MINES") == "sainte marie aux mines"
    assert name_key("St-Étienne") == name_key("Saint-Etienne") == "saint etienne"
    assert name_key("Val d’Argent") == name_key("Val d'Argent") == "val d argent"
    assert name_key("") == ""


@pytest.mark.parametrize(
    ("given", "code"),
    [("Jura", "39"), ("jura", "39"), ("39", "39"), ("1", "01"), ("2a", "2A"),
     ("Lot-et-Garonne", "47"), ("lot et garonne", "47"), ("Côtes-d'Armor", "22")],
)  # fmt: skip
def test_resolve_departement(given, code):
    assert resolve_departement(given) == code


def test_resolve_region_by_name_alias_or_code():
    assert resolve_region("Bourgogne-Franche-Comté") == "27"
    assert resolve_region("bourgogne franche comte") == "27"
    assert resolve_region("PACA") == "93"
    assert resolve_region("27") == "27"


def test_unknown_names_resolve_to_none_and_names_fall_back_to_codes():
    assert resolve_departement("Atlantide") is None
    assert resolve_region("") is None
    assert departement_name("47") == "Lot-et-Garonne"
    assert region_name("75") == "Nouvelle-Aquitaine"
    assert departement_name("00") == "00"


def test_gazetteer_holds_communes_epci_and_parents():
    gaz = load_gazetteer()
    trentels = gaz.communes["47315"]
    assert (trentels.name, trentels.departement, trentels.region) == ("Trentels", "47", "75")
    assert trentels.epci == "200068930"
    assert gaz.epcis["243400017"].name == "Montpellier Méditerranée Métropole"
    assert gaz.departements["39"].region == "27"
    assert "pnr-ballons-des-vosges" in gaz.pnrs
    assert len(gaz.communes) > 34_000


def test_epci_cores_drop_the_legal_prefix_and_the_article():
    assert epci_cores("CC du Val d'Argent") == ["Val d'Argent"]
    assert epci_cores("CC Fumel Vallée du Lot") == ["Fumel Vallée du Lot"]
    assert epci_cores("CA ECLA  (Espace Communautaire Lons Agglomération)") == [
        "ECLA",
        "Espace Communautaire Lons Agglomération",
    ]


def test_longest_match_wins_and_triggers_make_epcis():
    found = mentions(
        "Implanté dans la Communauté de communes de Fumel Vallée du Lot (Lot-et-Garonne)."
    )
    assert ("Communauté de communes de Fumel Vallée du Lot", "core", ("200068930",)) in found
    assert ("Lot-et-Garonne", "name", ("47",)) in found
    assert not any(text == "Lot" for text, _, _ in found)


def test_elision_and_contracted_articles_reach_the_name():
    found = {text: codes for text, _, codes in mentions("la foire d'Argentan et le port du Havre")}
    assert found["Argentan"] == ("61006",)
    assert found["Havre"] == ("76351",)


def test_pays_pattern_reads_petr_and_pays_names():
    found = mentions("le PETR du Pays Lédonien et le pays de Brocéliande")
    assert [(text, via) for text, via, _ in found if via == "pays"] == [
        ("PETR du Pays Lédonien", "pays"),
        ("pays de Brocéliande", "pays"),
    ]


def test_words_glued_by_a_lost_line_break_are_cut():
    assert [t.text for t in tokenize("du territoireLe PAT")] == ["du", "territoire", "Le", "PAT"]
    assert [t.text for t in tokenize("RnPAT")] == ["RnPAT"]


def test_entities_round_trip_through_json():
    entities = Entities(
        places=(Place("Trentels", 10, 18, "commune", "47315", "Trentels", "47", "75", 0.9),
                Place("Saint-Martin", 30, 42, "commune", None, "Saint-Martin", None, None, 0.4,
                      ("32389", "54480"))),
        organisations=(
            Organisation("Agence de la transition écologique", "etat_agence", "ADEME", 50, 84),
        ),
        persons=("Lucie Coulon",),
        territory=Territory(("47",), ("75",)),
    )  # fmt: skip
    data = json.loads(json.dumps(entities.to_dict()))
    assert data["territory"] == {"departements": ["47"], "regions": ["75"]}
    assert data["places"][1]["candidates"] == ["32389", "54480"]
    assert Entities.from_dict(data) == entities
    assert Entities.from_dict({}) == Entities()


def test_a_missing_spacy_model_is_a_model_error_that_says_what_to_install():
    from pipeline.errors import ModelError
    from pipeline.extract import Extractor

    with pytest.raises(ModelError, match="pip install fr-core-news-xx"):
        Extractor("fr_core_news_xx")


def test_contact_masking_keeps_offsets_and_ends_on_a_hostile_word():
    """One 1,000,000-letter word went through the old e-mail pattern once per letter (hours of
    CPU, a frozen server); the pattern now starts only where a word starts. The alarm is a
    guard against a hang, far above the time a linear scan takes."""
    import signal

    from pipeline.extract import mask_contacts

    text = "Écrire à jean.dupont@mairie-x.fr ou au 06 12 34 56 78, www.site.fr"
    masked = mask_contacts(text)
    assert len(masked) == len(text) and "@" not in masked and "06 12" not in masked
    assert masked.startswith("Écrire à ") and "www" not in masked
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("mask_contacts hung"))
    signal.alarm(60)
    try:
        for word in ("a" * 1_000_000, "a." * 500_000, "w" * 1_000_000 + "@x"):
            assert mask_contacts(word) == word  # no contact in it, nothing masked
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
