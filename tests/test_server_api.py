"""The HTTP API over a small index built with the hashing embedder and hand-made annotations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pipeline.cli import cli
from pipeline.documents import Document
from pipeline.embed import HashingEmbedder
from pipeline.embed.heads import ProfileHead
from pipeline.index import commit
from pipeline.server import create_app
from pipeline.server.app import STATIC
from pipeline.settings import Settings

SETTINGS = Settings().with_section("embed", model="hash:64")
XSS_TITLE = '<img src=x onerror="window.pwned=1"> Scierie <script>'

DOCUMENTS = [
    Document("t/bois", "Filière bois local",
             "Scierie mobile à Saint-Dié-des-Vosges et bois d'œuvre. L'association Bois des Vosges "
             "fédère les artisans qui construisent en bois local.", {"territory": "Vosges"}),
    Document("t/bois-2", "Bois énergie",
             "Des chaufferies au bois déchiqueté alimentent les écoles de la vallée.", {}),
    Document("t/monnaie", "Monnaie locale",
             "Une monnaie citoyenne locale circule entre commerçants du Lot-et-Garonne. "
             "La coopérative Abeille finance des projets.", {}),
    Document("t/repas", "Cantines bio",
             "Les cantines de Montpellier servent des repas bio et locaux. "
             "Les producteurs livrent chaque jour.", {}),
    Document("t/xss", XSS_TITLE, "<script>window.pwned = 1</script> Une scierie coopérative.", {}),
]  # fmt: skip

# (place text, kind, code, département, région), (organisation text, kind), theme
ANNOTATIONS = {
    "t/bois": (("Saint-Dié-des-Vosges", "commune", "88413", "88", "44"),
               ("Bois des Vosges", "association"), ("foret-bois", "Forêt & bois")),
    "t/monnaie": (("Lot-et-Garonne", "departement", "47", "47", "75"),
                  ("Abeille", "cooperative"), ("finance-solidaire", "Monnaie locale")),
    "t/repas": (("Montpellier", "commune", "34172", "34", "76"),
                None, ("alimentation", "Alimentation & agriculture")),
}  # fmt: skip


class HandMadeAnnotations:
    """Stands for the extractor and the theme tagger: known entities at known offsets."""

    def versions(self) -> dict[str, str]:
        return {"hand-made": "1"}

    def annotate(self, documents, doc_vectors, progress=None):
        return [self._one(doc) for doc in documents]

    def _one(self, doc: Document):
        if doc.id not in ANNOTATIONS:
            return {}, []
        place, org, (theme_id, label) = ANNOTATIONS[doc.id]
        start = doc.text.index(place[0])
        places = [
            {
                "text": place[0],
                "start": start,
                "end": start + len(place[0]),
                "kind": place[1],
                "code": place[2],
                "name": place[0],
                "departement": place[3],
                "region": place[4],
                "confidence": 0.9,
                "candidates": [],
            }
        ]
        orgs = []
        if org:
            at = doc.text.index(org[0])
            orgs = [
                {
                    "name": org[0],
                    "kind": org[1],
                    "acronym": None,
                    "start": at,
                    "end": at + len(org[0]),
                }
            ]
        entities = {
            "places": places,
            "organisations": orgs,
            "persons": [],
            "territory": {"departements": [place[3]], "regions": [place[4]]},
        }
        return entities, [{"id": theme_id, "label": label, "score": 0.8, "evidence": ["bois"]}]


def build_index(index_dir: Path, documents=DOCUMENTS) -> Path:
    commit(list(documents), index_dir, SETTINGS, HashingEmbedder(64), HandMadeAnnotations())
    return index_dir


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    return build_index(tmp_path_factory.mktemp("server") / "index")


@pytest.fixture(scope="module")
def client(index_dir):
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        yield client


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args) + ["--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- search and similar answer as the CLI does -----------------------------------------------


def without_map(answer: dict) -> dict:
    """The API's answer less ``map`` (where the results are, for the page): the CLI's JSON."""
    assert set(answer["map"]) >= {"departements", "regions_only", "without_territory"}
    return {k: v for k, v in answer.items() if k != "map"}


def test_search_answers_with_the_json_of_the_cli(client, index_dir):
    answer = client.get("/api/search", params={"q": "monnaie citoyenne", "k": 3})
    assert answer.status_code == 200
    assert without_map(answer.json()) == cli_json(
        "query", "monnaie citoyenne", "--index", str(index_dir), "-k", "3"
    )
    assert answer.json()["results"][0]["id"] == "t/monnaie"


def test_similar_answers_with_the_json_of_the_cli_and_never_the_initiative_itself(
    client, index_dir
):
    answer = client.get("/api/similar", params={"id": "t/repas"}).json()
    assert without_map(answer) == cli_json("similar", "t/repas", "--index", str(index_dir))
    assert "t/repas" not in [h["id"] for h in answer["results"]]
    assert len(answer["results"]) == len(DOCUMENTS) - 1


def test_a_projets_comme_question_runs_similar_like_the_bare_cli_question(client, index_dir):
    answer = client.get("/api/search", params={"q": "projets comme Cantines bio"}).json()
    assert without_map(answer) == cli_json("projets comme Cantines bio", "--index", str(index_dir))
    assert answer["query"] == "Cantines bio"
    assert "t/repas" not in [h["id"] for h in answer["results"]]


@pytest.mark.parametrize(("params", "expected"), [
    ({"theme": "foret-bois"}, ["t/bois"]),
    ({"region": "75"}, ["t/monnaie"]),
    ({"departement": "34"}, ["t/repas"]),
    ({"actor_kind": ["cooperative", "association"]}, ["t/bois", "t/monnaie"]),
    ({"theme": "foret-bois", "region": "75"}, []),
])  # fmt: skip
def test_filters_keep_the_initiatives_that_carry_them(client, params, expected):
    answer = client.get("/api/search", params={"q": "bois monnaie cantines", **params})
    assert answer.status_code == 200
    assert sorted(h["id"] for h in answer.json()["results"]) == expected


def test_filter_choices_name_the_territories_found_in_the_index(client):
    choices = client.get("/api/filters").json()
    assert {t["id"] for t in choices["themes"]} == {
        "foret-bois",
        "finance-solidaire",
        "alimentation",
    }
    regions = {r["code"]: r["name"] for r in choices["regions"]}
    assert regions == {"44": "Grand Est", "75": "Nouvelle-Aquitaine", "76": "Occitanie"}
    assert {d["code"] for d in choices["departements"]} == {"88", "47", "34"}
    assert {a["id"] for a in choices["actor_kinds"]} == {"association", "cooperative"}


# -- where the results are: the map ------------------------------------------------------------


def test_search_and_similar_say_where_their_results_are_as_the_schema_says(client):
    from pipeline.server.schemas import DocumentModel, SearchResultsModel

    answer = client.get("/api/search", params={"q": "bois monnaie cantines"}).json()
    SearchResultsModel.model_validate(answer)
    where = answer["map"]
    assert where["total"] == len(answer["results"]) == len(DOCUMENTS)
    assert {d["code"]: d["count"] for d in where["departements"]} == {"88": 1, "47": 1, "34": 1}
    assert where["without_territory"] == 2 and where["regions_only"] == []  # t/bois-2, t/xss
    assert [step["label"] for step in where["legend"]] == ["1"]
    narrowed = client.get("/api/similar", params={"id": "t/bois", "departement": "47"}).json()
    SearchResultsModel.model_validate(narrowed)
    assert [d["code"] for d in narrowed["map"]["departements"]] == ["47"]
    doc = client.get("/api/documents/t/repas").json()
    DocumentModel.model_validate(doc)
    assert [(d["code"], d["name"]) for d in doc["map"]["departements"]] == [("34", "Hérault")]


def test_the_base_map_is_served_from_the_server_with_its_credit(client):
    from pipeline.server.schemas import BasemapModel

    answer = client.get("/api/basemap")
    assert answer.status_code == 200
    basemap = BasemapModel.model_validate(answer.json())
    assert len(basemap.departements) == 101 and "CC BY 4.0" in basemap.attribution
    assert "http" not in answer.text.replace("https://creativecommons", "")
    openapi = client.get("/api/openapi.json").json()
    assert "/api/basemap" in openapi["paths"]
    schemas = openapi["components"]["schemas"]
    assert "map" in schemas["SearchResultsModel"]["properties"]
    assert "SearchResultsModel" in json.dumps(openapi["paths"]["/api/similar"])


def test_the_themed_index_gives_the_counts_of_its_maps_as_csv(client):
    answer = client.get("/api/themes", params={"format": "map-csv"})
    assert answer.status_code == 200
    assert 'filename="catalogue-carte.csv"' in answer.headers["content-disposition"]
    lines = answer.text.splitlines()
    assert lines[0] == "theme_id,theme_label,place,code,name,count"
    assert "foret-bois,Forêt & bois,departement,88,Vosges,1" in lines
    assert ",,sans_territoire,,,2" in lines  # the whole corpus comes first


# -- documents and titles ----------------------------------------------------------------------


def test_a_document_comes_with_its_text_entities_and_themes(client):
    doc = client.get("/api/documents/t/bois").json()
    assert doc["title"] == "Filière bois local"
    place = doc["entities"]["places"][0]
    assert doc["text"][place["start"] : place["end"]] == "Saint-Dié-des-Vosges"
    assert doc["themes"][0]["id"] == "foret-bois"
    assert doc["meta"] == {"territory": "Vosges"}
    assert "digest" not in doc


def test_an_id_with_a_slash_may_be_percent_encoded(client):
    assert client.get("/api/documents/t%2Fmonnaie").json()["id"] == "t/monnaie"


def test_titles_complete_a_prefix_ignoring_case_and_accents(client):
    found = client.get("/api/titles", params={"prefix": "FILIERE"}).json()
    assert found == [{"id": "t/bois", "title": "Filière bois local"}]
    assert len(client.get("/api/titles", params={"limit": 2}).json()) == 2


def test_status_says_what_the_server_answers_from(client):
    status = client.get("/api/status").json()
    assert status["documents"] == len(DOCUMENTS)
    assert status["model"] == "hash:64"


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/api/search?q=bois&k=0", "/api/search?q=bois&k=beaucoup", "/api/search",
    "/api/search?q=%20%20", "/api/titles?limit=0",
])  # fmt: skip
def test_a_bad_parameter_is_a_400_in_json(client, url):
    answer = client.get(url)
    assert answer.status_code == 400
    assert answer.json()["status"] == 400 and answer.json()["message"]


def test_an_unknown_id_is_a_404(client):
    for url in (
        "/api/documents/t/nothing",
        "/api/similar?id=vélo",
        "/api/search?q=projets comme vélo cargo",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert "vélo" in answer.json()["message"] or "nothing" in answer.json()["message"]


def test_an_ambiguous_name_is_a_400_listing_the_candidates(client):
    answer = client.get("/api/similar", params={"id": "bois"})
    assert answer.status_code == 400
    candidates = {c["id"] for c in answer.json()["candidates"]}
    assert {"t/bois", "t/bois-2"} <= candidates


def test_an_unknown_route_is_a_json_404(client):
    answer = client.get("/api/nothing")
    assert answer.status_code == 404 and answer.json()["status"] == 404


def test_a_tag_body_without_text_is_a_400(client):
    assert client.post("/api/tag", json={"texte": "oups"}).status_code == 400
    assert (
        client.post(
            "/api/tag", content=b"not json", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )


def test_a_body_above_the_limit_is_a_413_announced_or_streamed(client):
    big = {"text": "bois " * 50_000}
    answer = client.post("/api/tag", json=big)
    assert answer.status_code == 413 and "200 kB" in answer.json()["message"]

    def chunks():  # no content-length: the limit counts bytes as they arrive
        yield b'{"text": "'
        for _ in range(30):
            yield b"bois " * 2_000
        yield b'"}'

    answer = client.post("/api/tag", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413


# -- the index: missing, rebuilt, broken -------------------------------------------------------


def test_no_index_is_a_503_until_one_is_built(tmp_path):
    index_dir = tmp_path / "index"
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/search", params={"q": "bois"})
        assert answer.status_code == 503 and "build" in answer.json()["message"]
        assert client.get("/").status_code == 200  # the page still loads and says so
        index_dir.mkdir()
        (index_dir / ".building-123").mkdir()
        assert "being built" in client.get("/api/status").json()["message"]
        (index_dir / ".building-123").rmdir()
        build_index(index_dir)
        assert client.get("/api/status").json()["documents"] == len(DOCUMENTS)


def test_a_new_snapshot_is_picked_up_by_the_next_request(tmp_path):
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        assert client.get("/api/status").json()["documents"] == 2
        build_index(index_dir, DOCUMENTS[:3])
        assert client.get("/api/status").json()["documents"] == 3
        assert client.get("/api/documents/t/monnaie").status_code == 200


def test_a_snapshot_that_fails_its_checks_leaves_the_previous_one_in_service(tmp_path):
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        assert client.get("/api/status").json()["documents"] == 2
        build_index(index_dir, DOCUMENTS[:3])
        live = index_dir / (index_dir / "CURRENT").read_text().strip()
        with open(live / "documents.jsonl", "a", encoding="utf-8") as handle:
            handle.write("\n")  # the checksum no longer matches
        assert client.get("/api/status").json()["documents"] == 2
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/status")  # a fresh server has nothing else to offer
        assert answer.status_code == 503 and "checksum" in answer.json()["message"]


def test_a_current_that_is_not_utf8_is_one_json_error_and_the_live_snapshot_serves(tmp_path):
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        assert client.get("/api/status").json()["documents"] == 2
        (index_dir / "CURRENT").write_bytes(b"v-\xff\xfe\n")
        assert client.get("/api/status").json()["documents"] == 2
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/status")
        assert answer.status_code == 503 and "CURRENT" in answer.json()["message"]


def test_a_snapshot_whose_profile_head_has_moved_leaves_the_previous_one_in_service(tmp_path):
    head = tmp_path / "head.npz"
    ProfileHead(("a", "b"), np.ones((2, 64), np.float32), np.zeros(2, np.float32), "hash:64").save(
        head
    )
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        assert client.get("/api/status").json()["documents"] == 2
        named = SETTINGS.with_section("fusion", profile=str(head))
        commit(DOCUMENTS[:3], index_dir, named, HashingEmbedder(64), HandMadeAnnotations())
        head.unlink()
        assert client.get("/api/status").json()["documents"] == 2
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/search", params={"q": "bois"})
        assert answer.status_code == 503 and "--profile none" in answer.json()["message"]


def test_no_route_writes_to_the_index(client, index_dir):
    def listing():
        return sorted(
            (str(p), p.stat().st_size, p.stat().st_mtime_ns)
            for p in index_dir.rglob("*")
            if p.name != ".lock"
        )

    before = listing()
    for url in (
        "/api/search?q=bois",
        "/api/similar?id=t/bois",
        "/api/documents/t/bois",
        "/api/titles?prefix=b",
        "/api/filters",
        "/api/status",
    ):
        assert client.get(url).status_code == 200
    client.post("/api/tag", json={"text": "Une scierie à Saint-Dié-des-Vosges."})
    assert listing() == before


# -- the page and its files --------------------------------------------------------------------


def test_the_page_and_its_files_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and 'lang="fr"' in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    for name in ("app.js", "style.css", "search.js", "views.js", "dom.js", "http.js"):
        assert client.get(f"/static/{name}").status_code == 200, name


def test_the_page_loads_nothing_from_elsewhere():
    for path in STATIC.iterdir():
        # The SVG namespace is a name (an attribute, or createElementNS's first argument).
        text = path.read_text(encoding="utf-8").replace('"http://www.w3.org/2000/svg"', "")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path.name


def test_the_scripts_never_parse_data_as_html():
    for path in STATIC.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{path.name} uses {sink}"


@pytest.mark.parametrize("url", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
    "/static/%2e%2e/%2e%2e/errors.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
])  # fmt: skip
def test_no_file_outside_the_static_folder_is_served(client, url):
    answer = client.get(url)
    assert answer.status_code == 404
    assert "import" not in answer.text and "root:" not in answer.text


def test_the_openapi_description_is_served_and_the_cdn_docs_are_not(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for route in (
        "/api/search",
        "/api/similar",
        "/api/documents/{doc_id}",
        "/api/tag",
        "/api/themes",
        "/api/titles",
    ):
        assert route in paths
    assert client.get("/docs").status_code == 404


def test_a_request_for_another_host_name_is_refused(index_dir):
    with TestClient(create_app(index_dir), base_url="http://attacker.example") as client:
        assert client.get("/api/status").status_code == 400
    with TestClient(
        create_app(index_dir, allowed_hosts=None), base_url="http://192.0.2.1"
    ) as client:
        assert client.get("/api/status").status_code == 200


# -- tag and the themed index ------------------------------------------------------------------


def test_tag_gives_entities_themes_territory_and_nearest_initiatives(client):
    text = "À Montpellier, les cantines servent des repas bio et locaux livrés par les producteurs."
    answer = client.post("/api/tag", json={"text": text})
    assert answer.status_code == 200
    tagged = answer.json()
    for key in ("places", "organisations", "territory", "themes", "similar"):
        assert key in tagged, key
    assert any(text[p["start"] : p["end"]] == "Montpellier" for p in tagged["places"])
    similar = tagged["similar"]
    hits = similar if isinstance(similar, list) else similar["results"]
    assert hits and hits[0]["id"] == "t/repas"


def test_the_themed_index_as_json_and_as_a_page_to_share(client):
    catalogue = client.get("/api/themes").json()
    assert catalogue["initiatives"] == len(DOCUMENTS)
    listed = {i["id"] for t in catalogue["themes"] for i in t["initiatives"]}
    assert {"t/bois", "t/monnaie", "t/repas"} <= listed
    page = client.get("/api/themes", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<script" not in page.text.lower()
    assert "attachment" in client.get("/api/themes?format=csv").headers["content-disposition"]
    assert client.get("/api/themes?format=pdf").status_code == 400
