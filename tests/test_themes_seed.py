"""The default taxonomy and zero-shot tagger on the four seed cooperations, and their themed
index. Real spaCy model; with the fake and with the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalogue import CatalogueEntry, build_catalogue, render_catalogue
from pipeline.themes import ZeroShotTagger, load_taxonomy

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = {
    "tera": "01-tera.md",
    "jura": "02-clus-ter-jura.md",
    "bois": "03-vivre-le-bois-local.md",
    "p2a": "04-p2a-montpellier.md",
}

pytestmark = pytest.mark.real


def _read(name: str) -> tuple[str, str]:
    """Title and body of a seed Markdown file (front matter between two --- lines)."""
    _, front, body = (CORPUS / name).read_text(encoding="utf-8").split("---\n", 2)
    title = next(line for line in front.splitlines() if line.startswith("title:"))
    return title.split(":", 1)[1].strip().strip('"'), body.strip()


@pytest.fixture(scope="module")
def seed() -> dict[str, tuple[str, str]]:
    return {key: _read(name) for key, name in SEED.items()}


@pytest.fixture(params=["fake_embedder", "real_embedder"])
def tagged(request, seed):
    from pipeline.themes import lemmatiser

    embedder = request.getfixturevalue(request.param)
    tagger = ZeroShotTagger(load_taxonomy(), embedder, lemmatiser())
    results = tagger.tag_many([body for _, body in seed.values()])
    return dict(zip(seed, results, strict=True))


def test_vivre_le_bois_local_is_first_about_forest_and_wood(tagged):
    assert tagged["bois"][0].id == "foret-bois"
    assert "bois" in tagged["bois"][0].evidence


def test_tera_is_about_food_energy_housing_and_local_currency(tagged):
    ids = {t.id for t in tagged["tera"]}
    assert {"alimentation", "energie", "habitat", "finance-solidaire"} <= ids
    currency = next(t for t in tagged["tera"] if t.id == "finance-solidaire")
    assert any("monnaie" in e for e in currency.evidence)


def test_the_p2a_is_first_about_food(tagged):
    assert tagged["p2a"][0].id == "alimentation"


def test_scores_are_in_range_and_sorted(tagged):
    for themes in tagged.values():
        scores = [t.score for t in themes]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


def test_the_themed_index_groups_the_seed_accordingly(tagged, seed):
    entries = [
        CatalogueEntry(key, seed[key][0], tagged[key], summary=seed[key][1][:120]) for key in SEED
    ]
    catalogue = build_catalogue(entries, load_taxonomy())
    members = {s.theme.id: [i.id for i in s.items] for s in catalogue.sections}
    assert members["foret-bois"][0] == "bois"
    assert {"tera", "p2a", "jura"} <= set(members["alimentation"])
    assert "tera" in members["finance-solidaire"] and "tera" in members["energie"]
    assert "bois" not in members["alimentation"]
    page = render_catalogue(catalogue, "html")
    assert "Vivre le bois local" in page and "Forêt &amp; bois" in page
