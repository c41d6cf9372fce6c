"""Places in real prose: the gold sentences of tests/data/place_sentences.tsv (245 short texts
in the styles case studies are written in, with the codes a careful reader resolves), and one
test per way of writing a place, each read by a general mechanism (official data, context
cues, the size of towns), never by a list of these sentences."""

from __future__ import annotations

import pytest

from pipeline.extract import Extractor
from tests.place_gold import Score, read_gold

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def scored(extractor) -> Score:
    golds = read_gold()
    score = Score()
    for gold, entities in zip(golds, extractor.extract_many(g.text for g in golds), strict=True):
        score.add(gold, entities)
    return score


def test_the_fixture_is_large_and_covers_every_style():
    golds = read_gold()
    assert len(golds) >= 150 and len({g.id for g in golds}) == len(golds)
    styles = {g.style for g in golds}
    wanted = {"accentless_a", "big_city", "institution_of_town", "old_region", "merged_commune",
              "departement_variant", "pays_petr", "code_in_parens", "river_departement",
              "adjective_hint", "passing_mention", "safeguard_word", "ambiguous"}  # fmt: skip
    assert wanted <= styles


def test_regions_are_found_with_high_recall_and_precision(scored):
    assert scored.recall("région") >= 0.93, scored.misses
    assert scored.precision("région") >= 0.97, scored.misses
    assert scored.precision("département") >= 0.95, scored.misses


def test_no_wrong_reading_where_a_safeguard_applies(scored):
    """Common words, rivers, persons and homonyms stay what they are. Places named in passing
    ("comme à Paris") are the one style still read as places: counted, not hidden."""
    passing = {g.id for g in read_gold() if g.style == "passing_mention"}
    assert [w for w in scored.wrong_readings if w.split()[0] not in passing] == []


def places(extractor, text):
    entities = extractor.extract(text)
    return {(p.kind, p.code) for p in entities.places if p.code}, entities.territory


def test_sentence_initial_a_without_accent_is_a_preposition(extractor):
    found, territory = places(extractor, "A Besancon, la SCIC ouvre un magasin de producteurs.")
    assert ("commune", "25056") in found and territory.regions == ("27",)


def test_big_towns_whose_names_are_words_are_read_after_a_preposition(extractor):
    found, _ = places(extractor, "L'association est née à Paris, puis les habitants de Tours "
                                 "ont suivi, comme ceux de Valence.")  # fmt: skip
    assert {("commune", "75056"), ("commune", "37261"), ("commune", "26362")} <= found


def test_a_big_town_does_not_settle_a_small_homonym_by_size_alone(extractor):
    found, _ = places(extractor, "Une AMAP livre ses paniers à Mont, près du marché.")
    assert ("commune", "40192") not in found  # Mont-de-Marsan is not "Mont"


def test_institutions_named_after_their_town_give_the_town(extractor):
    for text, code in [("Le CCAS de Grenoble pilote des paniers solidaires.", "38185"),
                       ("La Caf de Cambrai cofinance un camion-épicerie.", "59122"),
                       ("La MJC de Chambéry organise un repair café.", "73065")]:  # fmt: skip
        found, _ = places(extractor, text)
        assert ("commune", code) in found, text


def test_a_longer_place_name_is_not_an_institution_of_its_last_word(extractor):
    found, _ = places(extractor, "Le projet couvre seulement le Pont de Montvert cette année.")
    assert ("commune", "15135") not in found  # Montvert (Cantal)


def test_former_communes_are_read_as_the_commune_they_joined(extractor):
    found, territory = places(extractor, "L'association est basée à Courcouronnes depuis 2012.")
    assert ("commune", "91228") in found and territory.departements == ("91",)


def test_departements_as_people_write_them(extractor):
    found, _ = places(extractor, "Un jardin dans le Val Marne, une ressourcerie en Ile et "
                                 "Vilaine, une autre en côte d'or.")  # fmt: skip
    assert {("departement", "94"), ("departement", "35"), ("departement", "21")} <= found


def test_a_code_in_parentheses_settles_a_first_part_and_a_departement(extractor):
    found, _ = places(extractor, "Le tiers-lieu de Carhaix (29) héberge une épicerie.")
    assert ("commune", "29024") in found
    found, territory = places(extractor, "Dans l'Allier (03), les agriculteurs s'organisent.")
    assert ("commune", "65005") not in found and territory.departements == ("03",)


def test_departements_named_after_rivers_and_compass_points(extractor):
    found, _ = places(extractor, "Il s'implante dans le Nord, et dans les collèges de la Marne.")
    assert {("departement", "59"), ("departement", "51")} <= found
    found, _ = places(extractor, "Le Nord et le Sud du territoire. La mer du Nord. Dans le Nord "
                                 "de la France.")  # fmt: skip
    assert found == set()


def test_a_pays_is_located_by_the_epci_or_the_town_it_is_named_after(extractor):
    _, territory = places(extractor, "Dans le Pays de Caux, les agriculteurs ont créé une CUMA.")
    assert territory.departements == ("76",)  # not Caux (Hérault), a village
    _, territory = places(extractor, "Le Pays de Vitré soutient une légumerie.")
    assert territory.departements == ("35",)


def test_an_overseas_region_is_its_departement(extractor):
    _, territory = places(extractor, "En Martinique, des agriculteurs testent des cultures.")
    assert territory.departements == ("972",) and territory.regions == ("02",)


def test_organisation_names_are_not_cut_at_et_nor_glued_across_brackets(extractor):
    entities = extractor.extract("La coopérative Bois et Toits construit des maisons. La Ville "
                                 "de Lyon (Direction de la Ville), la Communauté urbaine et la "
                                 "Région soutiennent le projet.")  # fmt: skip
    names = {o.name for o in entities.organisations}
    assert "Bois et Toits" in names and "Bois" not in names
    assert not any(")" in n for n in names)


def test_accents_dropped_are_forgiven_accents_changed_are_not(extractor):
    found, _ = places(extractor, "Une recyclerie à Orleans, une autre près d'Epinal.")
    assert {("commune", "45234"), ("commune", "88160")} <= found
    found, _ = places(extractor, "Le long de la Tille, les saules sont taillés.")
    assert found == set()  # the river, not Tillé (Oise)


def test_a_region_named_as_a_funder_is_not_a_second_territory(extractor):
    _, territory = places(extractor, "Basée à Quimper, l'association est soutenue par la Région "
                                     "Centre et par la Région Bretagne.")  # fmt: skip
    assert territory.regions == ("53",)


def test_a_place_the_text_compares_itself_with_is_not_its_territory(extractor):
    _, territory = places(extractor, "Comme à Paris, la ville de Rouen expérimente des "
                                     "composteurs de quartier.")  # fmt: skip
    assert territory.departements == ("76",)


def test_a_division_closing_an_organisation_name_locates_that_branch(extractor):
    _, territory = places(extractor, "L'association Terre de Liens Limousin est ouverte à tous.")
    assert territory.regions == ("75",)
    found, _ = places(extractor, "Celui de la communauté de communes du Haut-Allier.")
    assert ("departement", "03") not in found


def test_a_division_written_as_an_everyday_word_wants_a_cue(extractor):
    found, _ = places(extractor, "Réunion mensuelle chaque premier mercredi du mois.")
    assert found == set()
    found, _ = places(extractor, "Une coopérative à La Réunion transforme les fruits.")
    assert ("region", "04") in found and ("commune", "47222") not in found


def test_a_delegated_commune_is_read_as_the_commune_it_belongs_to(extractor):
    found, _ = places(extractor, "A Tourlaville, une régie de quartier gère une laverie.")
    assert ("commune", "50129") in found  # Cherbourg-en-Cotentin


def test_organisation_names_lose_dangling_words_and_unopened_brackets():
    from pipeline.extract.organisations import tidy_name

    assert tidy_name("Groupe local de") == "Groupe local"
    assert tidy_name("Association de défense des droits inscrits dans la") == (
        "Association de défense des droits inscrits"
    )
    assert tidy_name("Agriculture Paysanne)Paniers") == "Agriculture Paysanne"
    assert tidy_name("Terre de Liens (Limousin)") == "Terre de Liens (Limousin)"


def test_a_name_many_towns_carry_stays_open_with_its_candidates(extractor):
    """Size settles "Valence" (64,000 people against 2,000 in its homonyms together), not
    "Saint-Pierre", carried by many communes besides the one of La Réunion."""
    entities = extractor.extract("Le collectif a installé une boîte à dons à Saint-Pierre.")
    place = next(p for p in entities.places if p.text == "Saint-Pierre")
    assert place.code is None and "97416" in place.candidates and len(place.candidates) > 5
    assert entities.territory.departements == ()
