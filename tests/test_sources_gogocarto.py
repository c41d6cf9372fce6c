"""The GoGoCarto importer, on elements in the shape of Transiscope's export, and on the real
export in ../shared/data/transiscope (marked shared_data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.documents import Document, Problem
from pipeline.sources.gogocarto import iter_gogocarto

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def element(**fields):
    """An element shaped like Transiscope's (contact fields removed there too)."""
    base = {
        "taxonomy": [{"@type": "skos:Concept", "@id": "nourriture"}],
        "taxonomy2": [{"@type": "skos:Concept", "@id": "nourriture"}],
        "name": "AMAP des Coteaux",
        "tags": "AMAP, paniers bio, légumes de saison",
        "site": "http://amap.example.org/",
        "source": ["alternatiba"],
        "long": 1.26,
        "lat": 45.83,
        "label": {"@language": "fr", "@value": "Paniers&nbsp;de légumes.\n\n\n\nChaque jeudi. "},
        "@id": "AMAP%20des%20Coteaux4521",
    }
    base.update(fields)
    return base


def split(records):
    records = list(records)
    return (
        [r for r in records if isinstance(r, Document)],
        [r for r in records if isinstance(r, Problem)],
    )


def write_export(folder: Path, elements: list) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "elements.json"
    context = {"taxonomy": {"@id": "skos:Concept", "@type": "@id"}}
    path.write_text(json.dumps({"@context": context, "data": elements}), encoding="utf-8")
    return path


def test_element_becomes_a_document_with_its_description_as_text(tmp_path):
    path = write_export(tmp_path / "transiscope", [element()])
    (doc,), problems = split(iter_gogocarto(path))
    assert problems == []
    assert doc.id == "transiscope/AMAP%20des%20Coteaux4521"
    assert doc.title == "AMAP des Coteaux"
    assert doc.text == "Paniers de légumes.\n\nChaque jeudi."
    assert doc.meta == {
        "tags": ["AMAP", "paniers bio", "légumes de saison"],
        "categories": ["nourriture"],
        "lat": 45.83,
        "long": 1.26,
        "site": "http://amap.example.org/",
        "origin": ["alternatiba"],
        "element": 0,
        "source": str(path),
    }


def test_irregular_elements(tmp_path):
    elements = [
        # No @id, taxonomy written as a string, name spread over lines, lat as a string.
        element(name="Tous jardiniers\n\nJardin Lou Calen", taxonomy="jardins partagés, insertion",
                lat="43.63", **{"@id": None}),
        # No description: the tags and categories are what there is to read.
        element(name="Artisan vannier", label={"@language": "fr", "@value": ""},
                taxonomy=[{"@id": ""}, {"@id": "0dechet"}], **{"@id": "Artisan4585"}),
        element(name="", **{"@id": "5063"}),
        element(name="Vide", label={"@value": " "}, tags="  ", taxonomy=[{"@id": ""}]),
    ]  # fmt: skip
    path = write_export(tmp_path / "carte", elements)
    docs, problems = split(iter_gogocarto(path))
    garden, basket = docs
    assert (garden.id, garden.title) == (
        "carte/tous-jardiniers-jardin-lou-calen",
        "Tous jardiniers Jardin Lou Calen",
    )
    assert garden.meta["categories"] == ["jardins partagés", "insertion"]
    assert garden.meta["lat"] == 43.63
    assert basket.text == "Mots-clés : AMAP, paniers bio, légumes de saison\nCatégories : 0dechet"
    assert [str(p) for p in problems] == [
        f"{path}: element 2: no name",
        f"{path}: element 3 (Vide): no description, tags nor categories",
    ]


def test_invalid_json_is_a_problem_with_its_line(tmp_path):
    path = tmp_path / "elements.json"
    path.write_text('{"data": [\n{"name": }\n]}')
    _, problems = split(iter_gogocarto(path))
    assert [str(p) for p in problems] == [f"{path}:2: invalid JSON: Expecting value"]


TRANSISCOPE = SHARED_DATA / "transiscope" / "elements.json"


@pytest.mark.shared_data
@pytest.mark.skipif(not TRANSISCOPE.exists(), reason=f"no Transiscope export at {TRANSISCOPE}")
def test_real_transiscope_export():
    docs, problems = split(iter_gogocarto(TRANSISCOPE))
    assert len(docs) == 600 and len(problems) == 100
    assert sum("no name" in p.reason for p in problems) == 1
    assert len({d.id for d in docs}) == 600 and all(d.id.startswith("transiscope/") for d in docs)
    parents = next(d for d in docs if d.id == "transiscope/1%2C2%2C3...Parents4617")
    assert parents.title == "1,2,3...Parents"
    assert parents.text.startswith("Implantée en Creuse à Guéret")
    assert parents.meta["categories"] == ["education"]
    assert isinstance(parents.meta["lat"], float) and isinstance(parents.meta["long"], float)
    assert "&nbsp;" not in " ".join(d.text for d in docs)
