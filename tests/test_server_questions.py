"""The server asks the library as the CLI does: one question grammar, one set of names for
errors (the API's), candidates that are those the message lists, settings from a file."""

from __future__ import annotations

import re
from functools import partial

import pytest
from fastapi.testclient import TestClient
from test_server_api import DOCUMENTS, SETTINGS, HandMadeAnnotations, build_index

from pipeline import __version__, api
from pipeline.embed import HashingEmbedder
from pipeline.errors import InputError
from pipeline.index import commit
from pipeline.server import create_app


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("questions") / "index")


@pytest.fixture(scope="module")
def client(index_dir):
    with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
        yield client


@pytest.mark.parametrize(
    ("typed", "prefix", "ids"),
    [
        ("projets comme Bois", "projets comme ", {"t/bois", "t/bois-2"}),
        ("Projects like cantines", "Projects like ", {"t/repas"}),
        ("les initiatives similaires à monn", "les initiatives similaires à ", {"t/monnaie"}),
        ("bois", "", {"t/bois", "t/bois-2"}),
        ("projets comme B", "projets comme ", set()),  # one letter: nothing yet
        ("projets comme ", "projets comme ", set()),
    ],
)
def test_suggestions_read_the_question_as_search_does(client, typed, prefix, ids):
    answer = client.get("/api/suggest", params={"q": typed})
    assert answer.status_code == 200
    assert answer.json()["prefix"] == prefix
    assert {t["id"] for t in answer.json()["titles"]} == ids


def test_an_ambiguous_name_lists_as_candidates_the_initiatives_its_message_names(client):
    answer = client.get("/api/similar", params={"id": "bois"}).json()
    named = set(re.findall(r"(t/[\w-]+) \(", answer["message"]))
    assert named == {c["id"] for c in answer["candidates"]} == {"t/bois", "t/bois-2"}
    asked = client.get("/api/search", params={"q": "projets comme bois"}).json()
    assert asked["candidates"] == answer["candidates"]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"actor_kind": "nope"}, "actor_kind nope: unknown"),
        ({"theme": "nope"}, "theme nope: unknown theme"),
        ({"region": "Nowhere"}, "region 'Nowhere': no such région"),
    ],
)
def test_errors_name_the_parameters_as_the_api_spells_them(client, params, says):
    answer = client.get("/api/search", params={"q": "bois", **params})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(says)
    assert "--" not in answer.json()["message"]


def test_the_api_describes_its_version_and_no_route_that_is_not_there(client):
    description = client.get("/api/openapi.json").json()
    assert description["info"]["version"] == __version__
    assert "/api/suggest" in description["paths"]
    operations = [op for path in description["paths"].values() for op in path.values()]
    responses = [code for op in operations for code in op["responses"]]
    assert "501" not in responses


def settings_file(tmp_path, text: str):
    path = tmp_path / "tisser.toml"
    path.write_text(text)
    return api.read_settings(path)


def test_a_server_searches_with_the_settings_of_a_file(index_dir, client, tmp_path):
    config = settings_file(tmp_path, "[fusion]\ndense_weight = 0.0\nprofile = 'none'\n")
    opener = partial(api.open_index, config=config)
    params = {"q": "chaufferies", "k": 5}
    with TestClient(create_app(index_dir, opener=opener), base_url="http://127.0.0.1") as other:
        lexical = other.get("/api/search", params=params).json()["results"]
    default = client.get("/api/search", params=params).json()["results"]
    assert lexical[0]["id"] == default[0]["id"] == "t/bois-2"
    assert [h["score"] for h in lexical] != [h["score"] for h in default]
    assert api.open_index(index_dir, config=config).settings.fusion.dense_weight == 0.0


def test_settings_that_do_not_fit_the_index_leave_it_unserved_with_the_reason(index_dir, tmp_path):
    config = settings_file(tmp_path, "[passages]\nmax_tokens = 12\n")
    with pytest.raises(InputError, match=r"tisser.toml:2: passages.max_tokens differs"):
        api.open_index(index_dir, config=config)
    opener = partial(api.open_index, config=config)
    with TestClient(create_app(index_dir, opener=opener), base_url="http://127.0.0.1") as other:
        answer = other.get("/api/status")
    assert answer.status_code == 503 and "passages.max_tokens differs" in answer.json()["message"]


def test_a_search_may_turn_themes_off_and_change_the_batch_size(index_dir, tmp_path):
    config = settings_file(tmp_path, "[annotate]\nthemes = false\n[embed]\nbatch_size = 4\n")
    searcher = api.open_index(index_dir, config=config)
    assert all(d.themes == [] for d in searcher.store.documents)
    assert searcher.settings.embed.batch_size == 4
    assert not api.filter_choices(searcher)["themes"]


def test_a_new_snapshot_that_does_not_fit_the_settings_leaves_the_previous_one_in_service(
    tmp_path,
):
    index_dir = build_index(tmp_path / "index")
    config = settings_file(tmp_path, "[passages]\nmax_tokens = 200\n")  # as the index has it
    opener = partial(api.open_index, config=config)
    with TestClient(create_app(index_dir, opener=opener), base_url="http://127.0.0.1") as client:
        before = client.get("/api/status").json()["snapshot"]
        other = SETTINGS.with_section("passages", max_tokens=12)
        commit(list(DOCUMENTS), index_dir, other, HashingEmbedder(64), HandMadeAnnotations())
        answer = client.get("/api/status")
    assert answer.status_code == 200 and answer.json()["snapshot"] == before
