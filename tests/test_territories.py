"""The counts behind the maps: where results and themes are, by département, on a small mixed
corpus (hand-made places, the hashing embedder) and on the seed; the base map they are drawn on."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pipeline import api
from pipeline.documents import Document
from pipeline.embed import HashingEmbedder
from pipeline.extract import Territory
from pipeline.index import commit
from pipeline.search.basemap import load_basemap
from pipeline.search.territories import LEVELS, map_counts, shade_steps
from pipeline.settings import Settings

SETTINGS = Settings().with_section("embed", model="hash:64")
AIRE = "200030435"  # CC d'Aire-sur-l'Adour: communes in the Landes (40) and the Gers (32)

# id -> (text, places as (text, kind, code, département, région), territory as extraction
# gave it, theme)
MIXED = {
    "m/adour": ("La communauté de communes d'Aire-sur-l'Adour fédère les producteurs de lait.",
                [("Aire-sur-l'Adour", "epci", AIRE, "40", "75")], (("40",), ("75",)),
                "alimentation"),
    "m/vosges": ("Le Parc naturel régional des Ballons des Vosges anime la filière bois.",
                 [("Ballons des Vosges", "pnr", "pnr-ballons-des-vosges", None, None)],
                 (("68", "70", "88", "90"), ("27", "44")), "foret-bois"),
    "m/occitanie": ("En Occitanie, un réseau de producteurs de lait bio s'organise.",
                    [("Occitanie", "region", "76", None, "76")], ((), ("76",)), "alimentation"),
    "m/nowhere": ("Une monnaie locale circule entre commerçants et producteurs de lait.",
                  [], ((), ()), "alimentation"),
    "m/gers": ("À Auch, dans le Gers, les cantines achètent le lait des producteurs.",
               [("Auch", "commune", "32013", "32", "76")], (("32",), ("76",)), "alimentation"),
    "m/guadeloupe": ("En Guadeloupe, des producteurs de lait et de bois coopèrent.",
                     [("Guadeloupe", "region", "01", "971", "01")], (("971",), ("01",)),
                     "foret-bois"),
    "m/miquelon": ("À Saint-Pierre-et-Miquelon, les producteurs de lait s'associent.",
                   [], (("975",), ()), "alimentation"),
}  # fmt: skip
# Where the map counts each: the EPCI widened to its two départements, a région alone nowhere.
PLACED = {
    "m/adour": {"40", "32"}, "m/vosges": {"68", "70", "88", "90"}, "m/occitanie": set(),
    "m/nowhere": set(), "m/gers": {"32"}, "m/guadeloupe": {"971"}, "m/miquelon": {"975"},
}  # fmt: skip
LABELS = {"alimentation": "Alimentation & agriculture", "foret-bois": "Forêt & bois"}


class MixedAnnotations:
    """Stands for the extractor and the tagger: the places and territory of MIXED."""

    def versions(self) -> dict[str, str]:
        return {"mixed": "1"}

    def annotate(self, documents, doc_vectors, progress=None):
        return [self._one(doc) for doc in documents]

    def _one(self, doc: Document):
        text, places, (departements, regions), theme = MIXED[doc.id]
        found = []
        for name, kind, code, departement, region in places:
            start = text.index(name)
            found.append({
                "text": name, "start": start, "end": start + len(name), "kind": kind,
                "code": code, "name": name, "departement": departement, "region": region,
                "confidence": 0.9, "candidates": [],
            })  # fmt: skip
        entities = {
            "places": found,
            "organisations": [],
            "persons": [],
            "territory": {"departements": list(departements), "regions": list(regions)},
        }
        return entities, [{"id": theme, "label": LABELS[theme], "score": 0.8, "evidence": []}]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> api.Searcher:
    index_dir = tmp_path_factory.mktemp("mixed") / "index"
    documents = [Document(i, i.split("/")[1].title(), t[0], {}) for i, t in MIXED.items()]
    commit(documents, index_dir, SETTINGS, HashingEmbedder(64), MixedAnnotations())
    return api.open_index(index_dir)


def _counts(answer: dict) -> dict[str, int]:
    return {d["code"]: d["count"] for d in answer["departements"]}


# -- the rules ---------------------------------------------------------------------------------


def test_an_initiative_counts_once_in_each_of_its_departements():
    counts = map_counts([Territory(("39", "25"), ("27",)), Territory(("39",), ("27",))])
    assert {d.code: d.count for d in counts.departements} == {"25": 1, "39": 2}
    assert counts.total == 2 and counts.without_territory == 0 and not counts.regions_only


def test_a_region_alone_shades_nothing_and_no_territory_is_counted_apart():
    counts = map_counts([Territory((), ("76",)), Territory((), ("76", "75")), Territory()])
    assert counts.departements == ()
    assert {r.code: r.count for r in counts.regions_only} == {"75": 1, "76": 2}
    assert [r.name for r in counts.regions_only] == ["Nouvelle-Aquitaine", "Occitanie"]
    assert counts.without_territory == 1 and counts.total == 3


def test_the_most_placed_departement_gets_the_darkest_shade():
    one_each = map_counts([Territory(("34",)), Territory(("47",))])
    assert {d.level for d in one_each.departements} == {LEVELS}
    many = map_counts([Territory(("34",))] * 10 + [Territory(("47",))])
    levels = {d.code: d.level for d in many.departements}
    assert levels["34"] == LEVELS and 0 < levels["47"] < LEVELS
    assert shade_steps(10) == (1, 2, 3, 6, 10)
    legend = many.to_dict()["legend"]
    assert [step["label"] for step in legend] == ["1", "2", "3 à 5", "6 à 9", "10"]


def test_a_collectivity_the_base_map_does_not_draw_is_counted_and_said_off_the_map():
    counts = map_counts([Territory(("975",)), Territory(("971",))])
    on_map = {d.code: d.on_map for d in counts.departements}
    assert on_map == {"971": True, "975": False}


def test_the_base_map_draws_every_departement_of_the_gazetteer_but_the_small_collectivities():
    from pipeline.extract.gazetteer import load_gazetteer

    basemap = load_basemap()
    drawn = set(basemap.paths)
    official = set(load_gazetteer().departements)
    assert drawn <= official
    assert official - drawn == {"975", "977", "978", "984", "986", "987", "988", "989"}
    assert {"2A", "2B", "69", "971", "972", "973", "974", "976"} <= drawn
    overseas = [i for i in basemap.insets if not i.zoom]
    assert sorted(c for i in overseas for c in i.departements) == [
        "971",
        "972",
        "973",
        "974",
        "976",
    ]
    x0, y0, width, height = map(float, basemap.view_box.split())
    for inset in basemap.insets:  # every inset inside the drawing
        x, y, w, h = inset.box
        assert x0 <= x and y0 <= y and x + w <= x0 + width and y + h <= y0 + height


# -- a small mixed corpus ----------------------------------------------------------------------


def test_the_counts_of_a_search_follow_the_rules_on_a_mixed_corpus(mixed):
    results = api.query(mixed, "producteurs de lait bois", k=len(MIXED))
    assert len(results.hits) == len(MIXED)
    answer = api.map_counts(mixed, results)
    assert _counts(answer) == {
        "40": 1, "32": 2,  # the EPCI over two départements counts in each; Auch in the Gers
        "68": 1, "70": 1, "88": 1, "90": 1,  # the park alone: each of its départements
        "971": 1, "975": 1,
    }  # fmt: skip
    assert [(r["code"], r["count"]) for r in answer["regions_only"]] == [("76", 1)]
    assert answer["without_territory"] == 1
    assert answer["total"] == len(MIXED)
    assert {d["code"] for d in answer["departements"] if not d["on_map"]} == {"975"}


def test_a_departement_of_the_map_filters_the_initiatives_it_counts(mixed):
    """Clicking the Gers on the map sets the filter 32: the two initiatives counted there."""
    filters = api.make_filters(departement="32")
    results = api.query(mixed, "producteurs de lait", k=10, filters=filters)
    assert sorted(h.id for h in results.hits) == ["m/adour", "m/gers"]
    assert _counts(api.map_counts(mixed, results)) == {"32": 2, "40": 1}


def test_the_counts_of_a_search_are_those_of_its_results_only(mixed):
    results = api.query(mixed, "filière bois", k=2)
    answer = api.map_counts(mixed, results)
    assert answer["total"] == 2
    expected: dict[str, int] = {}
    for hit in results.hits:
        for code in PLACED[hit.id]:
            expected[code] = expected.get(code, 0) + 1
    assert _counts(answer) == expected


def test_a_park_alone_places_its_initiative_in_each_of_its_departements():
    from pipeline.extract.gazetteer import load_gazetteer
    from pipeline.extract.model import Place
    from pipeline.extract.places import territory_of

    park = Place("Ballons des Vosges", 0, 18, "pnr", "pnr-ballons-des-vosges",
                 "Parc naturel régional des Ballons des Vosges", None, None, 0.9)  # fmt: skip
    territory = territory_of(load_gazetteer(), [park])
    assert territory.departements == ("68", "70", "88", "90")
    assert map_counts([territory]).to_dict()["departements"][0]["count"] == 1


def test_an_initiative_page_carries_its_territory_as_the_map_draws_it(mixed):
    assert _counts(api.document(mixed, "m/adour")["map"]) == {"32": 1, "40": 1}
    occitanie = api.document(mixed, "m/occitanie")["map"]
    assert occitanie["departements"] == [] and occitanie["regions_only"][0]["code"] == "76"
    assert api.document(mixed, "m/nowhere")["map"]["without_territory"] == 1


def test_the_themed_index_carries_the_counts_of_its_maps_in_every_format(mixed):
    catalogue = api.themed_index(mixed)
    food = next(s for s in catalogue.sections if s.theme.id == "alimentation")
    expected = {"40": 1, "32": 2, "975": 1}
    assert {d.code: d.count for d in food.map.departements} == expected
    data = json.loads(api.render_catalogue(catalogue, "json"))
    food_json = next(t for t in data["themes"] if t["id"] == "alimentation")
    assert _counts(food_json["map"]) == expected
    assert food_json["map"]["without_territory"] == 1
    assert data["map"]["total"] == len(MIXED)
    rows = list(csv.DictReader(io.StringIO(api.render_catalogue(catalogue, "map-csv"))))
    food_rows = [r for r in rows if r["theme_id"] == "alimentation"]
    assert {
        r["code"]: int(r["count"]) for r in food_rows if r["place"] == "departement"
    } == expected
    assert [
        (r["place"], r["code"], r["count"]) for r in food_rows if r["place"] != "departement"
    ] == [
        ("region_seule", "76", "1"),
        ("sans_territoire", "", "1"),
    ]
    markdown = api.render_catalogue(catalogue, "md")
    assert (
        "- Départements : Gers (32) (2), Landes (40) (1), Saint-Pierre-et-Miquelon (975) (1)"
        in markdown
    )
    assert "- Région seule : Occitanie (1)" in markdown
    assert "- Sans territoire : 1 initiative" in markdown


def test_the_themed_page_draws_one_map_per_theme_in_one_file(mixed):
    page = api.render_catalogue(api.themed_index(mixed), "html")
    shown = [s for s in api.themed_index(mixed).sections if s.count]
    assert page.count('<figure class="map">') == len(shown) + 1  # and the whole corpus
    assert page.count('<path id="dep-') == len(load_basemap().paths)  # the shapes, once
    assert '<use href="#dep-32" class="l5"><title>Gers (32) : 2 initiatives</title></use>' in page
    for external in ("<script", "<link", "src=", "http://", "https://", "@import", "url("):
        assert external not in page
    assert "CC BY 4.0" in page
    assert "<dt>Hors carte</dt><dd>Saint-Pierre-et-Miquelon (975) (1)</dd>" in page
    assert "<dt>Sans territoire</dt><dd>1 initiative</dd>" in page


# -- the seed ----------------------------------------------------------------------------------


def test_the_seed_initiatives_are_each_in_their_departement(hashed_index: Path):
    searcher = api.open_index(hashed_index)
    results = api.query(searcher, "coopération territoriale", k=10)
    answer = api.map_counts(searcher, results)
    assert answer["total"] == 4
    assert _counts(answer) == {"34": 1, "39": 1, "47": 1, "68": 1}
    assert answer["regions_only"] == [] and answer["without_territory"] == 0
    assert all(d["level"] == LEVELS for d in answer["departements"])
    like = api.ask(searcher, "projets comme Vivre le bois local", k=10)
    assert _counts(api.map_counts(searcher, like)) == {"34": 1, "39": 1, "47": 1}
