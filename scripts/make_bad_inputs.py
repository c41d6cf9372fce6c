"""Write the bad-input corpus: one folder per kind of bad input a user may hand Tisser.

    python scripts/make_bad_inputs.py [FOLDER]      (default: tests/bad_inputs/, git-ignored)

`tests/test_bad_inputs.py` writes it into a temporary folder and runs each case through
`build`, `add`, `tag` and `query`. The corpus is made, not committed: it holds a tree 2,100
folders deep, links that loop or lead nowhere, a pipe and a 1,000,000-character document.
Each `Case` says how many documents a build still reads from it (the good records beside the
damage) and whether `tag` reads it as a text.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(200)
GOOD_TEXT = "Une ressourcerie associative collecte les objets à Dole, dans le Jura."
GOOD_RECORD = {"id": "bon", "title": "Ressourcerie", "text": GOOD_TEXT}
DEEP = 2100  # folders: more than Python's recursion limit, and a path longer than PATH_MAX


@dataclass(frozen=True)
class Case:
    """A kind of bad input. ``write`` fills the case's folder and returns the path a user
    would give the commands; ``documents`` is what a build still reads there; ``taggable``
    says whether ``tag`` reads that path as a text."""

    name: str
    write: Callable[[Path], Path]
    documents: int = 0
    taggable: bool = False  # a file of text, not empty
    needs_non_root: bool = False  # a file root can read whatever its mode


def file(name: str, content: bytes | str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def table(*rows: list[str], separator: str = ";") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\n").writerows(rows)
    return out.getvalue()


def long_text(characters: int, paragraph: bool = True) -> str:
    """A French text of ``characters`` characters, in paragraphs or on one line."""
    sentence = f"{GOOD_TEXT} Elle répare, revend et forme des salariés en insertion. "
    repeats = characters // len(sentence) + 1
    if not paragraph:
        return (sentence * repeats)[:characters]
    return "".join(sentence + ("\n\n" if i % 5 == 4 else "") for i in range(repeats))[:characters]


def symlink(name: str, target: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).symlink_to(target)
        return folder / name

    return write


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "tube.jsonl")
    return folder / "tube.jsonl"


def unreadable(folder: Path) -> Path:
    path = file("secret.md", f"# Secret\n\n{GOOD_TEXT}\n")(folder)
    path.chmod(0)
    return path


def folder_named_like_a_file(folder: Path) -> Path:
    (folder / "x.md").mkdir()
    return folder / "x.md"


def deep_folders(folder: Path) -> Path:
    make_deep_folders(folder / "deep", DEEP)
    return folder / "deep"


def make_deep_folders(root: Path, depth: int) -> None:
    """``root/d/d/…/d/deep.md``, ``depth`` folders down, made one relative step at a time:
    the whole path is longer than the system lets one name be."""
    root.mkdir(parents=True, exist_ok=True)
    here = os.open(root, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=here)
        below = os.open("d", os.O_RDONLY, dir_fd=here)
        os.close(here)
        here = below
    handle = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=here)
    os.write(handle, f"# Au fond\n\n{GOOD_TEXT}\n".encode())
    os.close(handle)
    os.close(here)


def remove_tree(root: Path) -> None:
    """Remove a tree however deep (shutil.rmtree recurses, and fails on ``DEEP``): lift the
    content of a sub-folder one level up, remove it, until no sub-folder is left."""
    if not root.is_dir() or root.is_symlink():
        return
    lifted = itertools.count()
    while folders := [e.path for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]:
        top = Path(folders[0])
        top.chmod(0o755)
        for name in os.listdir(top):
            os.rename(top / name, root / f"lifted-{next(lifted)}")
        top.rmdir()
    for entry in os.scandir(root):  # an unreadable file is removed like any other
        Path(entry.path).unlink()
    root.rmdir()


MAIN_HEADER = ["id", "nom_administratif", "nom_usuel", "regions", "departement",
               "communes_code_insee", "descriptions_libre_des_enjeux_du_territoire_par_le_porteur",
               "objectifs_strategiques_1"]  # fmt: skip
AXES = ("culturel-et-gastronomie", "economie-alimentaire", "education-alimentaire",
        "environnement", "gouvernance", "justice-sociale", "nutrition-et-sante",
        "restauration-collective", "urbanisme")  # fmt: skip


def pat_main_table(count: int) -> str:
    rows = [
        [str(n), f"PAT {n}", "", "Bourgogne-Franche-Comté", "Jura", "39198",
         f"Relocaliser l'alimentation du territoire {n}.\nDeuxième ligne.", "Nourrir."]
        for n in range(1, count + 1)
    ]  # fmt: skip
    return table(MAIN_HEADER, *rows)


def pat_axis_table(axis: str, action: str = "") -> bytes:
    header = ["id", "nom", f"{axis}_x_1_nom_de_laction", f"{axis}_x_1_descriptif"]
    rows = [["1", "PAT 1", action, f"{action} pour les cantines." if action else ""]]
    return table(header, *rows).encode("cp1252")


def pat_export_cut(folder: Path) -> Path:
    """The main table cut inside its third PAT: the two before it are kept."""
    export = folder / "pat"
    export.mkdir()
    main = pat_main_table(3).encode()
    (export / "pats-20250710.csv").write_bytes(main[: main.index(b"PAT 3") + 5])
    for axis in AXES:
        (export / f"pats-axe-{axis}-20250710-win1252.csv").write_bytes(pat_axis_table(axis))
    return export


def pat_export_missing_axis(folder: Path) -> Path:
    """One axis table of nine is missing: reported; the PAT and its other action are read."""
    export = folder / "pat"
    export.mkdir()
    (export / "pats-20250710.csv").write_text(pat_main_table(1), encoding="utf-8")
    for axis in AXES[1:]:
        action = "Une légumerie" if axis == "gouvernance" else ""
        (export / f"pats-axe-{axis}-20250710-win1252.csv").write_bytes(pat_axis_table(axis, action))
    return export


FRONT = "---\n{}\n---\n" + GOOD_TEXT + "\n"
CASES = (
    Case("empty-markdown", file("vide.md", b"")),
    Case("empty-text", file("vide.txt", b"")),
    Case("empty-jsonl", file("vide.jsonl", b"")),
    Case("empty-csv", file("vide.csv", b"")),
    Case("empty-json", file("vide.json", b"")),
    Case("only-bom-markdown", file("bom.md", b"\xef\xbb\xbf")),
    Case("only-bom-csv", file("bom.csv", b"\xef\xbb\xbf")),
    Case("only-blank-lines", file("blanc.txt", "\n  \n\t\n\n")),
    Case("binary-as-markdown", file("image.md", PNG)),
    Case("binary-as-text", file("image.txt", PNG)),
    Case("binary-as-csv", file("image.csv", PNG)),
    Case("binary-as-jsonl", file("image.jsonl", PNG)),
    Case("binary-as-json", file("image.json", PNG)),
    Case("nul-inside-text", file("nul.md", f"# Nul\n\n{GOOD_TEXT}\x00{GOOD_TEXT}\n")),
    Case("bad-utf8", file("octets.md", b"# Caf\xc3\n\nCaf\xc3 \x81 bon\n")),
    Case("utf16-without-bom", file("utf16.txt", f"Titre\n{GOOD_TEXT}\n".encode("utf-16-le"))),
    Case(
        "utf16-csv-without-bom",
        file("utf16.csv", table(["id", "texte"], ["1", GOOD_TEXT]).encode("utf-16-le")),
    ),  # fmt: skip
    Case(
        "latin1-markdown", file("latin1.md", f"# Café\n\n{GOOD_TEXT}\n".encode("latin-1")), 1, True
    ),  # fmt: skip
    Case(
        "jsonl-truncated-lines",
        file("coupe.jsonl", '{"id": "a", "text": "Une ress\n{"id": "b", "te\n'),
        taggable=True,
    ),  # fmt: skip
    Case(
        "jsonl-wrong-types",
        file(
            "types.jsonl",
            jsonl(
                {"text": 12},
                {"id": [1], "text": "x"},
                [1, 2],
                "texte",
                None,
                {"text": None},
                {"id": True, "text": "x"},
                {"text": {"a": 1}},
            ),
        ),
        taggable=True,
    ),  # fmt: skip
    Case("jsonl-nested-too-deep", file("profond.jsonl", "[" * 100_000 + "\n"), taggable=True),
    Case(
        "jsonl-lone-surrogate",
        file("demi.jsonl", '{"id": "s", "text": "a\\ud800b"}\n'),
        taggable=True,
    ),  # fmt: skip
    Case(
        "jsonl-control-chars-in-ids",
        file(
            "ids.jsonl",
            jsonl(
                {"id": "a\nb", "text": GOOD_TEXT},
                {"id": "a\x00b", "text": GOOD_TEXT},
                {"id": "c\x1bd", "text": GOOD_TEXT},
            ),
        ),
        taggable=True,
    ),  # fmt: skip
    Case("jsonl-duplicate-ids", file("doublons.jsonl", jsonl(GOOD_RECORD, GOOD_RECORD)), 1, True),
    Case("huge-single-line", file("ligne.txt", long_text(300_000, paragraph=False)), 1, True),
    Case(
        "million-character-document", file("long.md", "# Long\n\n" + long_text(1_000_001)), 1, True
    ),  # fmt: skip
    Case(
        "csv-unterminated-quote",
        file("guillemet.csv", f'id;texte\n1;{GOOD_TEXT}\n2;"jamais fermé\n3;perdu\n4;perdu\n'),
        1,
        True,
    ),  # fmt: skip
    Case(
        "csv-quote-closed-later",
        file("guillemets.csv", f'id;texte\n1;{GOOD_TEXT}\n2;"ouvert\n3;"fermé"\n'),
        1,
        True,
    ),  # fmt: skip
    Case(
        "csv-no-text-column", file("colonnes.csv", table(["id", "nom"], ["1", "A"])), taggable=True
    ),  # fmt: skip
    Case(
        "csv-ragged-rows",
        file("lignes.csv", table(["id", "texte"], ["1", "a", "b"], ["2", "c", "d", "e"])),
        taggable=True,
    ),  # fmt: skip
    Case("csv-only-header", file("entete.csv", "id;titre;texte\n"), taggable=True),
    Case(
        "csv-cut-mid-record", file("coupe.csv", f"id;titre;texte\n1;A;{GOOD_TEXT}\n2;B"), 1, True
    ),  # fmt: skip
    Case("csv-undefined-cp1252-byte", file("cp1252.csv", b"id;texte\n1;caf\x81\n")),
    Case(
        "front-matter-unclosed", file("ouvert.md", "---\nid: x\n" + GOOD_TEXT + "\n"), taggable=True
    ),  # fmt: skip
    Case("front-matter-id-list", file("liste.md", FRONT.format("id: [a, b]")), taggable=True),
    Case(
        "front-matter-garbage",
        file("yaml.md", FRONT.format("a:\n  b: c\n{x: 1}\n: vide")),
        taggable=True,
    ),  # fmt: skip
    Case("front-matter-only", file("entete.md", "---\nid: x\ntitle: T\n---\n"), taggable=True),
    Case(
        "gogocarto-truncated",
        file("elements.json", '{"data": [{"name": "A", "label": "Une ress'),
        taggable=True,
    ),  # fmt: skip
    Case("gogocarto-wrong-shape", file("forme.json", '{"data": {"name": "A"}}'), taggable=True),
    Case(
        "gogocarto-bad-elements",
        file("elements.json", json.dumps({"data": [1, "x", {"name": None}, {"name": "A"}]})),
        taggable=True,
    ),  # fmt: skip
    Case(
        "gogocarto-nested-too-deep",
        file("profond.json", '{"data": ' + "[" * 100_000),
        taggable=True,
    ),  # fmt: skip
    Case("france-pat-main-table-cut", pat_export_cut, 2),
    Case("france-pat-missing-axis-file", pat_export_missing_axis, 2),
    Case("folders-nested-2100-deep", deep_folders),
    Case("folder-named-like-a-file", folder_named_like_a_file),
    Case("symlink-loop", symlink("boucle.md", "boucle.md")),
    Case("dangling-link", symlink("perdu.md", "nulle-part.md")),
    Case("pipe", fifo),
    Case("unreadable-file", unreadable, needs_non_root=True),
    Case("unknown-extension", file("notes.xyz", GOOD_TEXT), taggable=True),
)


def make_case(case: Case, root: Path) -> Path:
    """The case's folder under ``root``, filled; the path to give the commands."""
    folder = root / case.name
    folder.mkdir(parents=True)
    return case.write(folder)


def make_bad_inputs(root: Path) -> dict[str, Path]:
    """Every case under ``root`` (emptied first): case name -> the path to give commands."""
    remove_tree(root)
    return {case.name: make_case(case, root) for case in CASES}


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "tests" / "bad_inputs"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    made = make_bad_inputs(target)
    print(f"wrote {len(made)} kinds of bad input in {target}/")
