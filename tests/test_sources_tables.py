"""The CSV and JSON Lines loaders."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.documents import Document, Problem
from pipeline.errors import InputError
from pipeline.sources import SourceOptions
from pipeline.sources.csv import iter_csv
from pipeline.sources.delimited import sniff_separator
from pipeline.sources.jsonl import iter_jsonl


def split(records):
    records = list(records)
    return (
        [r for r in records if isinstance(r, Document)],
        [r for r in records if isinstance(r, Problem)],
    )


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "separator", "bom"),
    [("utf-8", ";", False), ("utf-8", ",", True), ("cp1252", ";", False), ("cp1252", ",", False)],
)
def test_csv_encodings_and_separators(tmp_path, encoding, separator, bom):
    s = separator
    content = (
        f"Identifiant{s}Titre{s}Déscription{s}Commune\n12{s}Forêt{s}Filière bois œuvre.{s}Dole\n"
    )
    data = content.encode(encoding)
    path = write(tmp_path, "fiches.csv", b"\xef\xbb\xbf" + data if bom else data)
    docs, problems = split(iter_csv(path))
    assert problems == []
    assert docs == [
        Document(
            "fiches/12",
            "Forêt",
            "Filière bois œuvre.",
            {"Commune": "Dole", "source": str(path), "line": 2},
        )
    ]


def test_csv_tab_separated_and_sniffing_ignores_quoted_separators():
    assert sniff_separator("id\ttitre\ttexte") == "\t"
    assert sniff_separator('"a;b;c",titre,texte') == ","
    assert sniff_separator("id;titre;texte") == ";"


def test_csv_multiline_quoted_fields_keep_physical_line_numbers(tmp_path):
    content = (
        "id;titre;texte\n"
        '1;A;"premier\nparagraphe\n\ntroisième ligne"\n'
        "2;B;\n"  # empty text, on physical line 6
        '3;C;"x; y"\n'
    )
    path = write(tmp_path, "t.csv", content)
    docs, problems = split(iter_csv(path))
    assert [(d.id, d.meta["line"]) for d in docs] == [("t/1", 2), ("t/3", 7)]
    assert docs[0].text == "premier\nparagraphe\n\ntroisième ligne"
    assert docs[1].text == "x; y"
    assert [str(p) for p in problems] == [f"{path}:6: empty text in column 'texte'"]


def test_csv_columns_found_by_name_or_given_by_the_caller(tmp_path):
    path = write(tmp_path, "t.csv", "code,NOM,corps,résumé\nA1,Titre,le corps,le résumé\n")
    docs, problems = split(iter_csv(path))  # no column has a known text name
    assert docs == [] and "no text column" in str(problems[0])
    (doc,), _ = split(iter_csv(path, SourceOptions(text_column="Corps")))
    assert (doc.id, doc.title, doc.text) == ("t/A1", "Titre", "le corps")  # NOM: case-insensitive
    options = SourceOptions(text_column="Corps", title_column="RESUME", id_column="nom")
    (doc,), _ = split(iter_csv(path, options))
    assert (doc.id, doc.title, doc.text) == ("t/Titre", "le résumé", "le corps")
    assert doc.meta == {"code": "A1", "source": str(path), "line": 2}


def test_csv_without_text_column_is_a_problem_and_a_missing_named_column_an_error(tmp_path):
    path = write(tmp_path, "t.csv", "id;titre\n1;A\n")
    _, problems = split(iter_csv(path))
    assert len(problems) == 1 and str(problems[0]).startswith(f"{path}:1: no text column")
    with pytest.raises(InputError, match=r"t\.csv.*'corps'"):
        list(iter_csv(path, SourceOptions(text_column="corps")))


def test_csv_row_without_id_gets_a_slug_of_its_title(tmp_path):
    path = write(tmp_path, "t.csv", "titre;texte\nLa Forêt d’Orient;Texte.\n;Sans titre ici.\n")
    docs, _ = split(iter_csv(path))
    assert [(d.id, d.title) for d in docs] == [
        ("t/la-foret-d-orient", "La Forêt d’Orient"),
        ("t/sans-titre-ici", "Sans titre ici."),
    ]


def test_csv_bad_rows_and_bytes_are_problems_with_lines(tmp_path):
    too_many = write(tmp_path, "a.csv", "id;texte\n1;ok\n2;x;y\n3;ok\n")
    docs, problems = split(iter_csv(too_many))
    assert [d.id for d in docs] == ["a/1", "a/3"]
    assert [str(p) for p in problems] == [f"{too_many}:3: 3 fields where the header has 2"]
    # 0x81 is undefined in cp1252 and invalid in UTF-8.
    undecodable = write(tmp_path, "b.csv", b"id;texte\n1;ok\n2;\x81\n")
    _, problems = split(iter_csv(undecodable))
    assert [str(p) for p in problems] == [
        f"{undecodable}:3: undecodable bytes b'\\x81' (the file is neither UTF-8 nor cp1252)"
    ]


def test_csv_unterminated_quote_keeps_the_rows_before_and_says_what_is_lost(tmp_path):
    """The quote of row 2 was never closed: the rows after it were once swallowed into its
    text, with "skipped 0"."""
    path = write(tmp_path, "q.csv", 'id;texte\n1;ok\n2;"jamais fermé\n3;perdu\n4;perdu\n')
    docs, problems = split(iter_csv(path))
    assert [d.id for d in docs] == ["q/1"]
    assert [str(p) for p in problems] == [
        f"{path}:3: unterminated quote: the field opened in this record runs to the end of the "
        "file; lines 3-5 not read"
    ]


def test_csv_quote_closed_by_a_later_field_is_reported_not_merged(tmp_path):
    path = write(tmp_path, "q.csv", 'id;texte\n1;"ouvert\n2;"fermé"\n3;"ok"\n')
    docs, problems = split(iter_csv(path))
    assert docs == [] and len(problems) == 1
    assert str(problems[0]).startswith(f"{path}:2: text after the closing quote of a cell")
    assert str(problems[0]).endswith("lines 2-4 not read")


def test_csv_cut_in_its_last_record_is_reported(tmp_path):
    path = write(tmp_path, "c.csv", "id;titre;texte\n1;A;ok\n2;B")
    docs, problems = split(iter_csv(path))
    assert [d.id for d in docs] == ["c/1"]
    assert [p.line for p in problems] == [3] and "truncated?" in problems[0].reason
    complete = write(tmp_path, "d.csv", "id;titre;texte\n1;A;ok\n2;B;fin")  # no final newline
    assert [d.id for d in split(iter_csv(complete))[0]] == ["d/1", "d/2"]


def test_text_in_utf16_is_named_as_such(tmp_path):
    """A UTF-16 file without a byte-order mark was called binary, or "no text column"."""
    csv_file = write(tmp_path, "u.csv", "id;texte\n1;été\n", "utf-16-le")
    jsonl_file = write(tmp_path, "u.jsonl", '{"text": "été"}\n', "utf-16")  # with its BOM
    (csv_problem,) = split(iter_csv(csv_file))[1]
    (jsonl_problem,) = split(iter_jsonl(jsonl_file))[1]
    assert csv_problem.reason == "UTF-16 text without a byte-order mark (save it as UTF-8): skipped"
    assert jsonl_problem.reason == "UTF-16 text (JSON Lines must be UTF-8): skipped"


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_records_blank_lines_and_meta(tmp_path):
    path = write(
        tmp_path,
        "fiches.jsonl",
        '{"id": 12, "title": "A", "text": " Texte A. ", "territoire": "Jura", "source": "web"}\n'
        "\n"
        '{"titre": "Sans id", "texte": "Texte B."}\n',
    )
    docs, problems = split(iter_jsonl(path))
    assert problems == []
    assert docs == [
        Document(
            "fiches/12",
            "A",
            "Texte A.",
            {"territoire": "Jura", "origin": "web", "source": str(path), "line": 1},
        ),
        Document("fiches/sans-id", "Sans id", "Texte B.", {"source": str(path), "line": 3}),
    ]


def test_jsonl_bad_lines_are_problems_with_their_line_number(tmp_path):
    path = write(
        tmp_path,
        "f.jsonl",
        b'{"id": 1, "text": "ok"}\n'
        b'{"id": 2, "text": \n'
        b"[1, 2]\n"
        b'{"id": 4, "text": "  "}\n'
        b'{"id": [5], "text": "x"}\n'
        b'{"id": 6, "text": "caf\xe9"}\n'
        b'{"id": 7, "text": "ok"}\n',
    )
    docs, problems = split(iter_jsonl(path))
    assert [d.id for d in docs] == ["f/1", "f/7"]
    assert [str(p) for p in problems] == [
        f"{path}:2: invalid JSON: Expecting value (column 19)",
        f"{path}:3: expected a JSON object, got list",
        f"{path}:4: missing or empty text",
        f"{path}:5: id must be a string or an integer, got [5]",
        f"{path}:6: undecodable bytes b'\\xe9' (JSON Lines must be UTF-8)",
    ]


def test_jsonl_says_what_is_wrong_with_a_text_or_an_id(tmp_path):
    path = tmp_path / "lignes.jsonl"
    path.write_text(
        '{"id": 1, "text": 12}\n{"id": "a\\nb", "text": "Texte."}\n{"id": "ok", "text": "Bon."}\n',
        encoding="utf-8",
    )
    docs, problems = split(iter_jsonl(path))
    assert [d.text for d in docs] == ["Bon."]
    assert [str(p) for p in problems] == [
        f"{path}:1: text must be a string, got 12",
        f"{path}:2: id holds a control character: 'a\\nb'",
    ]


def test_jsonl_refuses_what_python_cannot_hold_with_the_line(tmp_path):
    """Nesting deep enough to overflow the stack where the record is read or written, and
    half a surrogate pair, were tracebacks; a whole surrogate pair (an emoji) is text."""
    deep = '{"text": "t", "x": ' + "[" * 500 + "]" * 500 + "}"
    lines = [deep, "[" * 100_000, '{"text": "a\\ud800"}', '{"text": "ok \\ud83d\\ude00"}']
    path = write(tmp_path, "j.jsonl", "\n".join(lines) + "\n")
    docs, problems = split(iter_jsonl(path))
    assert [d.text for d in docs] == ["ok 😀"]
    assert [str(p) for p in problems] == [
        f"{path}:1: invalid JSON: JSON nested more than 100 deep",
        f"{path}:2: invalid JSON: JSON nested more than 100 deep",
        f"{path}:3: invalid JSON: a \\u escape of half a surrogate pair, which is no text",
    ]
