"""The text loader (initiatives in plain text) and the Markdown loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.documents import Document, Problem
from pipeline.sources.front_matter import FrontMatterError, parse_fields
from pipeline.sources.markdown import iter_markdown
from pipeline.sources.text import iter_text

LONG = "Un paragraphe assez long qui décrit la coopération, ses acteurs et son territoire."


def split(records):
    records = list(records)
    return (
        [r for r in records if isinstance(r, Document)],
        [r for r in records if isinstance(r, Problem)],
    )


def write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


# --- text ---------------------------------------------------------------------------------


def test_text_splits_initiatives_on_titles_and_keeps_contact_out_of_the_text(tmp_path):
    path = write(
        tmp_path,
        "recueil.txt",
        "-\nRecueil de coopérations\nPremière coopération\n"
        f"{LONG}\nDeuxième paragraphe.\nContact : [email protected]\n"
        f"Lire aussi : un entretien.\nSeconde coopération : le bois\n{LONG}\n",
    )
    docs, problems = split(iter_text(path))
    assert problems == []
    assert [d.title for d in docs] == ["Première coopération", "Seconde coopération : le bois"]
    first, second = docs
    assert first.text == f"{LONG}\n\nDeuxième paragraphe."
    assert first.meta == {
        "contact": "[email protected]",
        "read_also": "un entretien.",
        "source": str(path),
        "line": 3,
    }
    assert "Contact" not in first.text and "Lire aussi" not in first.text
    assert second.meta == {"source": str(path), "line": 8}  # the last one has no contact
    assert first.id == "recueil/premiere-cooperation"
    assert second.id == "recueil/seconde-cooperation-le-bois"


def test_text_title_needs_a_paragraph_after_it(tmp_path):
    # "Titre court" is followed by another title candidate: it is part of the header.
    path = write(tmp_path, "a.txt", f"Titre court\nVrai titre\n{LONG}\n")
    docs, _ = split(iter_text(path))
    assert [d.title for d in docs] == ["Vrai titre"]


def test_text_single_initiative_without_contact_is_one_document(tmp_path):
    path = write(tmp_path, "seule.txt", f"Une seule initiative\n{LONG}\n{LONG}\n")
    docs, problems = split(iter_text(path))
    assert problems == [] and len(docs) == 1
    assert docs[0].title == "Une seule initiative"
    assert docs[0].text == f"{LONG}\n\n{LONG}"


def test_text_without_any_title_is_one_document_named_after_the_file(tmp_path):
    path = write(tmp_path, "notes.txt", f"{LONG}\n\n{LONG}\nContact : Marie\n")
    docs, _ = split(iter_text(path))
    assert [(d.id, d.title) for d in docs] == [("notes/notes", "notes")]
    assert docs[0].text == f"{LONG}\n\n{LONG}" and docs[0].meta["contact"] == "Marie"


def test_text_lines_after_contact_continue_the_contact(tmp_path):
    content = f"Titre\n{LONG}\nContact : Marie Dupont\n06 00 00 00 00\nSuite\n{LONG}\n"
    docs, _ = split(iter_text(write(tmp_path, "a.txt", content)))
    assert docs[0].meta["contact"] == "Marie Dupont\n06 00 00 00 00"
    assert [d.title for d in docs] == ["Titre", "Suite"]


def test_text_joins_hard_wrapped_lines_and_reads_crlf_and_cp1252(tmp_path):
    content = "Titre de l’initiative\r\nUn paragraphe coupé\r\nen deux lignes.\r\n"
    docs, _ = split(iter_text(write(tmp_path, "a.txt", content, encoding="cp1252")))
    assert docs[0].title == "Titre de l’initiative"
    assert docs[0].text == "Un paragraphe coupé en deux lignes."


def test_text_empty_file_is_a_problem(tmp_path):
    path = write(tmp_path, "vide.txt", "\n\n")
    _, problems = split(iter_text(path))
    assert [str(p) for p in problems] == [f"{path}: empty file"]


# --- markdown -----------------------------------------------------------------------------


def test_markdown_front_matter_gives_id_title_and_meta(tmp_path):
    path = write(
        tmp_path,
        "fiche.md",
        "---\nid: seed/x\ntitle: \"Titre : avec deux-points\"\ntags: [a, 'b c']\n"
        'acteurs:\n  - Mairie\n  - "SCIC \\"Bois\\""\nsource: Recueil\ncode: 012\n---\n\n'
        "# Un titre dans le corps\n\nLe texte.\n",
    )
    docs, problems = split(iter_markdown(path))
    assert problems == []
    (doc,) = docs
    assert (doc.id, doc.title) == ("seed/x", "Titre : avec deux-points")
    assert doc.text == "# Un titre dans le corps\n\nLe texte."
    assert doc.meta == {
        "tags": ["a", "b c"],
        "acteurs": ["Mairie", 'SCIC "Bois"'],
        "origin": "Recueil",  # meta["source"] is the file
        "code": "012",  # strings stay strings
        "source": str(path),
    }


def test_markdown_title_from_heading_else_stem_and_id_from_folder(tmp_path):
    folder = tmp_path / "fiches"
    folder.mkdir()
    with_heading = write(folder, "a.md", "Intro.\n\n# Le titre\n\nCorps.\n")
    bare = write(folder, "b.md", "Juste du texte.\n")
    (a,), _ = split(iter_markdown(with_heading))
    (b,), _ = split(iter_markdown(bare))
    assert (a.id, a.title, a.text) == ("fiches/a", "Le titre", "Intro.\n\nCorps.")
    assert (b.id, b.title, b.text) == ("fiches/b", "b", "Juste du texte.")


def test_markdown_bad_front_matter_and_empty_body_are_problems(tmp_path):
    unclosed = write(tmp_path, "u.md", "---\nid: x\n\nTexte\n")
    nested = write(tmp_path, "n.md", "---\nid: x\nlieu:\n  ville: Dole\n---\nTexte\n")
    empty = write(tmp_path, "e.md", "---\nid: x\n---\n\n")
    reasons = [str(p) for path in (unclosed, nested, empty) for p in split(iter_markdown(path))[1]]
    assert reasons == [
        f"{unclosed}:1: front matter opened by `---` is never closed",
        f"{nested}:4: front matter line is not `key: value`",
        f"{empty}:4: empty text (nothing after the front matter)",
    ]


def test_front_matter_list_item_without_key_is_refused():
    with pytest.raises(FrontMatterError) as caught:
        parse_fields(["titre: x", "- orphelin"], first_line=2)
    assert caught.value.line == 3


def test_a_front_matter_id_or_title_given_as_a_list_is_reported_not_replaced(tmp_path):
    """An id written as a list was silently replaced by the file's own id."""
    flow = write(tmp_path, "f.md", "---\ntitle: T\nid: [a, b]\n---\nTexte.\n")
    block = write(tmp_path, "b.md", "---\ntitle:\n  - un\n  - deux\n---\nTexte.\n")
    empty = write(tmp_path, "e.md", "---\nid:\n---\nTexte.\n")  # an empty key: no id given
    reasons = [str(p) for path in (flow, block) for p in split(iter_markdown(path))[1]]
    assert reasons == [
        f"{flow}:3: the front-matter id is a list (['a', 'b']); give one id",
        f"{block}:2: the front-matter title is a list (['un', 'deux']); give one title",
    ]
    docs, problems = split(iter_markdown(empty))
    assert problems == [] and docs[0].id.endswith("/e")
