"""iter_records: folder walk, format detection, unique ids and call-level errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import bad_inputs

from pipeline.documents import Document, Problem
from pipeline.errors import InputError
from pipeline.sources import FORMATS, SourceOptions, iter_records


def split(records):
    records = list(records)
    return (
        [r for r in records if isinstance(r, Document)],
        [r for r in records if isinstance(r, Problem)],
    )


def make_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a").mkdir()
    (root / ".cache").mkdir()
    (root / "b" / "fiche.md").write_text("---\nid: x/1\n---\nTexte md.\n", encoding="utf-8")
    (root / "a" / "lignes.jsonl").write_text('{"id": 1, "text": "Texte jsonl."}\n')
    (root / "a" / "table.csv").write_text("id;texte\n1;Texte csv.\n", encoding="utf-8")
    (root / "z.txt").write_text("Un titre\nUn paragraphe qui se termine.\n", encoding="utf-8")
    (root / ".gitkeep").write_text("")
    (root / ".cache" / "cache.md").write_text("caché\n")
    (root / "notes.rtf").write_text("{\\rtf1 inconnu}")


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_unknown_files(tmp_path):
    make_tree(tmp_path / "corpus")
    docs, problems = split(iter_records([tmp_path / "corpus"]))
    assert problems == []
    assert [d.id for d in docs] == ["lignes/1", "table/1", "x/1", "z/un-titre"]
    assert [d.meta["source"] for d in docs] == [
        str(tmp_path / "corpus" / "a" / "lignes.jsonl"),
        str(tmp_path / "corpus" / "a" / "table.csv"),
        str(tmp_path / "corpus" / "b" / "fiche.md"),
        str(tmp_path / "corpus" / "z.txt"),
    ]


def test_source_is_the_path_as_given(tmp_path, monkeypatch):
    make_tree(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    docs, _ = split(iter_records([Path("corpus")]))
    assert docs[0].meta["source"] == "corpus/a/lignes.jsonl"


def test_duplicate_ids_across_files_keep_the_first_and_report_the_later(tmp_path):
    first = tmp_path / "a.jsonl"
    second = tmp_path / "sub" / "a.jsonl"
    second.parent.mkdir()
    first.write_text('{"id": 1, "text": "un"}\n{"id": 1, "text": "bis"}\n')
    second.write_text('{"id": 1, "text": "deux"}\n')
    docs, problems = split(iter_records([first, second]))
    assert [d.text for d in docs] == ["un"]
    assert [str(p) for p in problems] == [
        f"{first}:2: duplicate id 'a/1' (first seen at {first}:1)",
        f"{second}:1: duplicate id 'a/1' (first seen at {first}:1)",
    ]


def test_missing_path_and_unknown_file_given_by_name_are_problems(tmp_path):
    unknown = tmp_path / "notes.rtf"
    unknown.write_text("x")
    _, problems = split(iter_records([tmp_path / "absent", unknown]))
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'absent'}: no such file or folder",
        f"{unknown}: unknown file type; choose one with --format",
    ]


def test_unreadable_file_is_a_problem(tmp_path):
    (tmp_path / "lien.md").symlink_to(tmp_path / "disparu.md")  # dangling: listed, unreadable
    (tmp_path / "lien.jsonl").symlink_to(tmp_path / "disparu.jsonl")
    _, problems = split(iter_records([tmp_path]))
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'lien.jsonl'}: cannot read the file: No such file or directory",
        f"{tmp_path / 'lien.md'}: cannot read the file: No such file or directory",
    ]


def test_unknown_format_is_an_input_error_raised_at_call_time(tmp_path):
    with pytest.raises(InputError, match="unknown format 'docx'.*markdown, text"):
        iter_records([tmp_path], SourceOptions(format="docx"))


def test_forced_format_applies_to_every_file(tmp_path):
    path = tmp_path / "export.data"
    path.write_text('{"id": "a", "text": "Texte."}\n')
    docs, _ = split(iter_records([path], SourceOptions(format="jsonl")))
    assert [d.id for d in docs] == ["export/a"]
    assert set(FORMATS) == {"markdown", "text", "jsonl", "csv", "france-pat", "gogocarto"}


def test_json_files_are_gogocarto_when_shaped_so_else_a_problem(tmp_path):
    folder = tmp_path / "carte"
    folder.mkdir()
    element = {"@id": "e1", "name": "AMAP", "label": {"@value": "Paniers."}, "taxonomy": []}
    (folder / "elements.json").write_text(json.dumps({"data": [element]}))
    (folder / "autre.json").write_text(json.dumps([{"id": 1}]))
    docs, problems = split(iter_records([folder]))
    assert [d.id for d in docs] == ["carte/e1"]
    assert len(problems) == 1 and str(problems[0]).startswith(
        f"{folder / 'autre.json'}: not a GoGoCarto export"
    )


def test_a_folder_holding_a_france_pat_export_is_read_as_one(tmp_path):
    folder = tmp_path / "pat"
    folder.mkdir()
    (folder / "pats-20250710.csv").write_text(
        "id;nom_administratif;nom_usuel;descriptions_libre_des_enjeux_du_territoire_par_le_porteur\n"
        "7;PAT du Jura;;Des enjeux.\n",
        encoding="utf-8",
    )
    (folder / "pats-axe-gouvernance-20250710-win1252.csv").write_bytes(
        "id;nom;gouvernance_x_1_nom_de_laction;gouvernance_x_1_descriptif\n7;PAT;Comité;Réunir\n".encode(
            "cp1252"
        )
    )
    # Reached through the folder, its parent, and one of its files: still read once.
    records = iter_records([tmp_path, folder / "pats-20250710.csv"])
    docs, problems = split(records)
    # The folder holds one axis table of nine.
    assert [p.reason.split(":")[0] for p in problems] == 8 * ["axis file missing"]
    assert [d.id for d in docs] == ["france-pat/7", "france-pat/7/action/gouvernance-1"]


def test_a_fifo_is_reported_and_skipped_never_read(tmp_path):
    """`mkfifo x.jsonl; add x.jsonl` waited forever: only regular files are opened."""
    import os

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "fiche.md").write_text("Texte.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "corpus" / "pipe.jsonl")
    os.mkfifo(tmp_path / "alone.md")
    docs, problems = split(iter_records([tmp_path / "corpus", tmp_path / "alone.md"]))
    assert [d.text for d in docs] == ["Texte."]
    assert sorted(Path(p.path).name for p in problems) == ["alone.md", "pipe.jsonl"]
    assert all("not a regular file" in p.reason for p in problems)


def test_binary_files_named_as_text_are_skipped_with_a_reason(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    (tmp_path / "image.md").write_bytes(png)
    (tmp_path / "archive.txt").write_bytes(b"PK\x03\x04" + bytes(range(1, 32)) * 50)
    (tmp_path / "ok.txt").write_text("Un titre\nUn texte.\n", encoding="utf-8")
    docs, problems = split(iter_records([tmp_path]))
    assert [d.title for d in docs] == ["Un titre"]
    assert {Path(p.path).name: "binary content" in p.reason for p in problems} == {
        "archive.txt": True,
        "image.md": True,
    }


def test_a_utf16_file_with_its_bom_is_read(tmp_path):
    (tmp_path / "table.csv").write_bytes("id;texte\n1;Épicerie à Lyon.\n".encode("utf-16"))
    docs, problems = split(iter_records([tmp_path]))
    assert problems == [] and [d.text for d in docs] == ["Épicerie à Lyon."]


def test_folders_nested_thousands_deep_are_walked_without_recursion(tmp_path):
    """2,100 nested folders raised RecursionError (a traceback): the walk is iterative and
    the folder the system cannot open is one Problem."""
    deep = tmp_path / "deep"
    try:
        bad_inputs().make_deep_folders(deep, 2100)
        (deep / "top.md").write_text("# Haut\n\nUn texte.\n", encoding="utf-8")
        docs, problems = split(iter_records([deep]))
    finally:
        bad_inputs().remove_tree(deep)  # pytest's own clean-up recurses, and fails on it
    assert [d.id for d in docs] == ["deep/top"]
    assert len(problems) == 1 and problems[0].reason.startswith("cannot read the folder")
