"""The real entry point, run as a user runs it: exit codes, stdout, one-line errors."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT, run


def assert_one_line_error(done, *words, code=1):
    assert done.returncode == code
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0]


def test_build_reports_a_summary(tmp_path):
    done = run("build", CORPUS, "--index", tmp_path / "ix", "--model", "hash:64")
    assert done.returncode == 0
    assert "indexed 4 documents, skipped 0" in done.stderr


def test_query_json_has_the_documented_shape(hashed_index):
    done = run("query", "monnaie locale", "--index", hashed_index, "--json", "-k", "2")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["query"] == "monnaie locale" and len(out["results"]) == 2
    first = out["results"][0]
    assert set(first) >= {
        "id",
        "title",
        "score",
        "passage",
        "places",
        "organisations",
        "themes",
        "metadata",
    }
    assert "contact" in first["metadata"] and "@" not in first["passage"]
    assert out["results"][0]["score"] >= out["results"][1]["score"]


def test_similar_by_partial_name_excludes_itself(hashed_index):
    done = run("similar", "bois local", "--index", hashed_index, "--json")
    ids = [r["id"] for r in json.loads(done.stdout)["results"]]
    assert sorted(ids) == ["seed/clus-ter-jura", "seed/p2a-montpellier", "seed/tera"]


@pytest.mark.parametrize(
    "question",
    [
        "projets comme Vivre le bois local",
        "projects like vivre le bois local",
        "initiatives similaires à Vivre le bois local",
    ],
)
def test_a_bare_question_runs_similar(hashed_index, question):
    done = run(question, "--index", hashed_index, "--json")
    assert done.returncode == 0, done.stderr
    ids = [r["id"] for r in json.loads(done.stdout)["results"]]
    assert "seed/vivre-le-bois-local" not in ids and len(ids) == 3


def test_other_bare_text_runs_a_query(hashed_index):
    done = run("monnaie citoyenne", "--index", hashed_index, "--json")
    assert json.loads(done.stdout)["query"] == "monnaie citoyenne"


def test_human_output_is_a_ranked_list(hashed_index):
    done = run("query", "forêt bois", "--index", hashed_index, "-k", "2")
    assert done.stdout.startswith("1. ") and "\n2. " in done.stdout
    assert "territoire :" in done.stdout and "«" in done.stdout


def test_batch_queries_print_one_json_object_per_line(hashed_index, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"text": "monnaie"}\n\n{"text": "bois"}\n')
    done = run("query", "--batch", batch, "--index", hashed_index, "-k", "1")
    lines = done.stdout.strip().splitlines()
    assert [json.loads(line)["query"] for line in lines] == ["monnaie", "bois"]
    plain = tmp_path / "q.txt"
    plain.write_text("monnaie\nbois\n")
    done = run("query", "--batch", plain, "--index", hashed_index)
    assert len(done.stdout.strip().splitlines()) == 2


def test_bad_batch_line_names_file_and_line(hashed_index, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"text": "ok"}\n{"text": \n')
    assert_one_line_error(run("query", "--batch", batch, "--index", hashed_index), "q.jsonl:2")


def test_errors_are_one_line_with_exit_code_1(hashed_index, tmp_path):
    assert_one_line_error(run("similar", "vélo cargo", "--index", hashed_index), "vélo cargo")
    assert_one_line_error(run("query", "bois", "--index", tmp_path / "none"), "no index")
    assert_one_line_error(
        run("build", tmp_path / "missing.md", "--index", tmp_path / "x", "--model", "hash:64"),
        "missing.md",
    )


def test_a_command_line_that_cannot_run_exits_2(hashed_index):
    assert_one_line_error(run("query", "bois", "--bogus"), "--bogus", code=2)
    for command in ("query", "similar", "tag"):
        done = run(command, "bois", "-k", "0", "--index", hashed_index)
        assert_one_line_error(done, "-k", code=2)
    assert_one_line_error(run("query", "--index", hashed_index), "TEXT", code=2)


def test_bad_records_are_reported_and_skipped_or_fatal_with_strict(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fiches.jsonl").write_text(
        '{"id": "1", "title": "A", "text": "Une ressourcerie solidaire."}\n'
        '{"id": "2", "title": "B"\n'
        '{"id": "3", "title": "C", "text": ""}\n'
    )
    done = run("build", corpus, "--index", tmp_path / "ix", "--model", "hash:64")
    assert done.returncode == 0
    assert "fiches.jsonl:2:" in done.stderr and "fiches.jsonl:3:" in done.stderr
    assert "indexed 1 documents, skipped 2" in done.stderr
    strict = run("build", corpus, "--index", tmp_path / "ix2", "--model", "hash:64", "--strict")
    assert_one_line_error(strict, "fiches.jsonl:2:")
    assert not (tmp_path / "ix2" / "CURRENT").exists()


def test_a_failed_build_keeps_the_previous_index(hashed_index, tmp_path):
    before = (hashed_index / "CURRENT").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_line_error(run("build", empty, "--index", hashed_index, "--model", "hash:64"))
    assert (hashed_index / "CURRENT").read_text() == before
    assert run("query", "bois", "--index", hashed_index).returncode == 0


def test_first_query_builds_the_missing_default_index(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    # The default model is the real one; the fake one is asked through the environment.
    done = subprocess.run(
        [sys.executable, str(ROOT / "search.py"), "query", "bois"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "TISSER_MODEL": "hash:64"},
    )
    assert done.returncode == 0, done.stderr
    assert "building it from corpus/" in done.stderr
    assert (tmp_path / "index" / "CURRENT").is_file()


def test_add_and_remove_from_the_command_line(hashed_index, tmp_path):
    fiche = tmp_path / "fiche.md"
    fiche.write_text("---\nid: fiches/velo\ntitle: Vélo-école\n---\n\nUn atelier de réparation.\n")
    done = run("add", fiche, "--index", hashed_index)
    assert done.returncode == 0, done.stderr
    assert "indexed 5 documents" in done.stderr and "1 embedded" in done.stderr
    assert_one_line_error(run("remove", "fiches/nope", "--index", hashed_index), "fiches/nope")
    done = run("remove", "fiches/velo", "--index", hashed_index)
    assert done.returncode == 0 and "indexed 4 documents" in done.stderr


def test_themes_out_naming_a_folder_or_a_missing_one_is_one_line(hashed_index, tmp_path):
    """`themes --out FOLDER` was a traceback, after writing its temporary file beside the
    folder (at the filesystem root for `--out /tmp`); a missing folder too."""
    for out, words in ((tmp_path, "is a folder"), (tmp_path / "nope" / "t.md", "no folder")):
        done = run("themes", "--index", hashed_index, "--out", out)
        assert_one_line_error(done, str(out), words, code=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_themes_out_writes_its_temporary_file_beside_the_target(hashed_index, tmp_path):
    done = run("themes", "--index", hashed_index, "--out", "t.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "t.md"]


def test_a_tagger_manifest_holding_a_list_is_one_line(hashed_index, tmp_path):
    tagger = tmp_path / "tagger"
    tagger.mkdir()
    (tagger / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    done = run("query", "bois", "--index", hashed_index, "--tagger", tagger)
    assert_one_line_error(done, "manifest.json", "not a tagger manifest")
