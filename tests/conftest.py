"""Shared fixtures: a fake embedder for fast tests, the real model loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.documents import Document
from pipeline.embed import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder(64)


@pytest.fixture
def small_documents() -> list[Document]:
    return [
        Document(
            "t/bois",
            "Filière bois local",
            "Scierie mobile et bois d'œuvre. Les artisans construisent en bois local.",
            {"territory": "Vosges"},
        ),
        Document(
            "t/monnaie",
            "Monnaie locale",
            "Une monnaie citoyenne locale circule entre commerçants. Elle finance des projets.",
            {},
        ),
        Document(
            "t/repas",
            "Cantines bio",
            "Les cantines servent des repas bio et locaux. Les producteurs livrent chaque jour.",
            {},
        ),
    ]


@pytest.fixture(scope="session")
def real_embedder():
    from pipeline.embed import make_embedder
    from pipeline.settings import EmbedSettings

    return make_embedder(EmbedSettings())


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, real_embedder) -> Path:
    """The seed corpus indexed with the real model, built once for the session."""
    from pipeline.build import build
    from pipeline.settings import Settings

    index_dir = tmp_path_factory.mktemp("seed") / "index"
    build([CORPUS], index_dir, Settings(), embedder=real_embedder, annotate=True)
    return index_dir
