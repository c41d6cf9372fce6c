"""`similar --all`: every initiative's nearest others in one run, as `similar` gives them."""

import csv
import io
import json

import pytest
from conftest import run
from test_cli import assert_one_line_error

from pipeline.cli import atomic_file
from pipeline.search import Filters, Searcher, searcher

CSV_HEADER = "id,title,rank,neighbour_id,neighbour_title,score,shared_themes"
SEED_IDS = {"seed/tera", "seed/clus-ter-jura", "seed/vivre-le-bois-local", "seed/p2a-montpellier"}


def similar_json(index, doc_id, *options):
    done = run("similar", doc_id, "--index", index, "--json", *options)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"]


def test_each_document_gets_the_results_of_similar(hashed_index):
    done = run("similar", "--all", "--index", hashed_index, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4 and {line["id"] for line in lines} == SEED_IDS
    for line in lines:
        assert set(line) == {"id", "title", "results"}
        ids = [r["id"] for r in line["results"]]
        assert len(ids) == 3 and line["id"] not in ids and set(ids) < SEED_IDS
        assert line["results"] == similar_json(hashed_index, line["id"])


def test_json_is_json_lines_and_filters_apply_as_in_similar(hashed_index):
    options = ("--theme", "alimentation", "-k", "2")
    done = run("similar", "--all", "--json", "--index", hashed_index, *options)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    for line in lines:
        assert line["results"] == similar_json(hashed_index, line["id"], *options)
        assert all("alimentation" in {t["id"] for t in r["themes"]} for r in line["results"])


def test_documents_searched_in_several_blocks_get_the_same_neighbours(hashed_index, monkeypatch):
    monkeypatch.setattr(searcher, "_BLOCK", 3)  # the seed's 4 documents in two blocks
    opened = Searcher.open(hashed_index)
    table = list(opened.similar_all(k=3))
    assert [n.id for n in table] == [d.id for d in opened.store.documents]
    for neighbours in table:
        assert neighbours.results == opened.similar(neighbours.id, 3)
    filters = Filters(themes=("gouvernance",))
    for neighbours in opened.similar_all(k=2, filters=filters):
        assert neighbours.results == opened.similar(neighbours.id, 2, filters)


def test_csv_has_one_row_per_neighbour(hashed_index):
    done = run("similar", "--all", "--index", hashed_index, "--format", "csv", "-k", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 8 and {r["id"] for r in rows} == SEED_IDS
    jsonl = run("similar", "--all", "--index", hashed_index, "--json", "-k", "2").stdout
    for line in map(json.loads, jsonl.splitlines()):
        mine = [r for r in rows if r["id"] == line["id"]]
        assert [r["rank"] for r in mine] == ["1", "2"]
        for row, result in zip(mine, line["results"], strict=True):
            assert row["neighbour_id"] == result["id"] != row["id"]
            assert float(row["score"]) == pytest.approx(result["score"], abs=1e-4)
            shared = [s for s in row["shared_themes"].split(" ; ") if s]
            labels = {t["label"] for t in result["themes"]}
            assert set(shared) <= labels
            reason = next((r for r in result["reasons"] if r.startswith("thèmes communs")), "")
            assert all(label in reason for label in shared) and bool(shared) == bool(reason)


def test_text_lists_each_document_and_its_neighbours(hashed_index):
    done = run("similar", "--all", "--index", hashed_index, "-k", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 8 and sum(line.startswith("== ") for line in lines) == 4
    assert all(line.startswith("  1. ") for line in lines[1::2])


def test_out_writes_the_file_whole(hashed_index, tmp_path):
    out = tmp_path / "table" / "voisins.csv"
    out.parent.mkdir()
    done = run("similar", "--all", "--index", hashed_index, "--format", "csv", "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and str(out) in done.stderr
    shown = run("similar", "--all", "--index", hashed_index, "--format", "csv").stdout
    assert out.read_text(encoding="utf-8") == shown
    assert [p.name for p in out.parent.iterdir()] == ["voisins.csv"]  # no temporary file left
    failed = run("similar", "--all", "--index", hashed_index, "--theme", "nope", "--out", out)
    assert failed.returncode == 1 and out.read_text(encoding="utf-8") == shown
    assert [p.name for p in out.parent.iterdir()] == ["voisins.csv"]


def test_an_index_of_one_document_has_no_neighbours(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seul.md").write_text("# Seul\n\nUne ressourcerie solidaire en ville.\n")
    index = tmp_path / "index"
    assert run("build", corpus, "--index", index, "--model", "hash:64").returncode == 0
    done = run("similar", "--all", "--index", index, "--json")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["results"] for line in done.stdout.splitlines()] == [[]]
    done = run("similar", "--all", "--index", index, "--format", "csv")
    assert done.returncode == 0 and done.stdout.splitlines() == [CSV_HEADER]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (("-k", "0"), ["-k"]),
        (("-k", "deux"), ["-k"]),
        (("seed/tera",), ["--all", "seed/tera"]),
        (("--format", "xml"), ["--format", "xml"]),
        (("--json", "--format", "csv"), ["--json", "csv"]),
    ],
)
def test_bad_options_exit_2_with_one_line(hashed_index, options, words):
    done = run("similar", "--all", "--index", hashed_index, *options)
    assert_one_line_error(done, *words, code=2)
    assert done.stdout == ""


def test_out_must_name_a_file_in_a_folder_that_exists(hashed_index, tmp_path):
    folder = run("similar", "--all", "--index", hashed_index, "--out", tmp_path)
    assert_one_line_error(folder, "--out", "folder", code=2)
    missing = tmp_path / "none" / "voisins.csv"
    done = run("similar", "--all", "--index", hashed_index, "--out", missing)
    assert_one_line_error(done, "--out", "no folder", code=2)
    assert not missing.parent.exists()
    assert_one_line_error(run("similar", "seed/tera", "--out", tmp_path / "x.csv"), code=2)


def test_a_failed_write_leaves_the_previous_file_and_no_temporary_one(tmp_path):
    out = tmp_path / "voisins.csv"
    out.write_text("before\n")
    with pytest.raises(RuntimeError), atomic_file(out) as handle:
        handle.write("half a table")
        raise RuntimeError("interrupted")
    assert out.read_text() == "before\n" and list(tmp_path.iterdir()) == [out]
