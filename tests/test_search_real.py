"""The seed corpus with the real model, spaCy and FAISS: what a person asks on day one."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline.api import ask, open_index, render_themed_index, tag_text

pytestmark = pytest.mark.real

SEEDS = {"seed/tera", "seed/clus-ter-jura", "seed/vivre-le-bois-local", "seed/p2a-montpellier"}


@pytest.fixture(scope="module")
def searcher(seed_index):
    return open_index(seed_index)


def test_projets_comme_vivre_le_bois_local_gives_the_three_others(searcher):
    results = ask(searcher, "projets comme Vivre le bois local")
    ids = [h.id for h in results.hits]
    assert set(ids) == SEEDS - {"seed/vivre-le-bois-local"}
    assert all(h.reasons for h in results.hits)  # each says why it is alike


def test_a_local_currency_and_autonomy_income_query_ranks_tera_first(searcher):
    hits = searcher.query("une monnaie locale et un revenu d'autonomie").hits
    assert hits[0].id == "seed/tera"
    assert "monnaie" in hits[0].passage


@pytest.mark.parametrize(("question", "expected"), [
    ("local currency and basic income in a rural area", "seed/tera"),
    ("local timber and forestry in a regional park", "seed/vivre-le-bois-local"),
    ("agroecological food policy of a metropolitan area", "seed/p2a-montpellier"),
])  # fmt: skip
def test_english_queries_work(searcher, question, expected):
    assert searcher.query(question).hits[0].id == expected


def test_results_carry_entities_and_themes(searcher):
    hit = searcher.query("filière forêt-bois", k=1).hits[0]
    assert hit.id == "seed/vivre-le-bois-local"
    assert any(p.get("code") == "68298" for p in hit.places)
    assert hit.themes and hit.themes[0]["id"] == "foret-bois"


def test_filters_by_region_departement_theme_and_actor_kind(searcher):
    from pipeline.api import make_filters

    by_region = searcher.query("coopération", filters=make_filters(region="Occitanie")).hits
    assert [h.id for h in by_region] == ["seed/p2a-montpellier"]
    by_dep = searcher.query("coopération", filters=make_filters(departement="Jura")).hits
    assert [h.id for h in by_dep] == ["seed/clus-ter-jura"]
    by_theme = searcher.query("territoire", filters=make_filters(themes=["foret-bois"])).hits
    assert by_theme[0].id == "seed/vivre-le-bois-local"
    by_kind = searcher.query("territoire", filters=make_filters(actor_kinds=["cooperative"])).hits
    assert "seed/clus-ter-jura" in [h.id for h in by_kind]


def test_tagging_a_new_text(searcher):
    text = (
        "À Trentels, dans le Lot-et-Garonne, une association crée une ressourcerie et "
        "une monnaie locale avec la Communauté de communes de Fumel Vallée du Lot."
    )
    tagged = tag_text(searcher, text)
    assert any(p["code"] == "47315" for p in tagged["places"])
    assert "47" in tagged["territory"]["departements"]
    assert "finance-solidaire" in [t["id"] for t in tagged["themes"]]
    assert tagged["similar"][0]["id"] == "seed/tera"


def test_the_themed_index_groups_the_seed(searcher):
    catalogue = json.loads(render_themed_index(searcher, "json"))
    text = json.dumps(catalogue, ensure_ascii=False)
    assert "Vivre le bois local" in text and "foret-bois" in text


def test_tag_command_reads_stdin_and_prints_json(seed_index):
    done = subprocess.run(
        [sys.executable, str(ROOT / "search.py"), "tag", "-", "--json", "--index", str(seed_index)],
        input="Le Parc naturel régional des Ballons des Vosges soutient la filière bois locale.",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"places", "organisations", "territory", "themes", "similar"}
    assert out["themes"][0]["id"] == "foret-bois"


def test_tag_batch_prints_one_object_per_line_and_names_bad_lines(seed_index, tmp_path):
    batch = tmp_path / "texts.jsonl"
    batch.write_text('{"text": "Une scierie dans les Vosges."}\n{"text": "Un PAT à Dijon."}\n')
    command = [sys.executable, str(ROOT / "search.py"), "tag", "--batch", str(batch),
               "--index", str(seed_index)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["line"] for line in lines] == [1, 2] and all("themes" in x for x in lines)
    batch.write_text('{"text": "ok"}\nnot/a/file.txt\n')
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "texts.jsonl:2" in done.stderr and done.stdout == ""
