"""Shared fixtures: a fake embedder for fast tests, the real model loaded once per session."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
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
    from pipeline.index import build
    from pipeline.settings import Settings

    index_dir = tmp_path_factory.mktemp("seed") / "index"
    build([CORPUS], index_dir, Settings(), embedder=real_embedder, annotate=True)
    return index_dir


@functools.cache
def bad_inputs():
    """scripts/make_bad_inputs.py as a module: the corpus of bad inputs and its helpers."""
    spec = importlib.util.spec_from_file_location(
        "make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(*args, cwd=ROOT, stdin=None, env=None):
    """search.py with ``args``; ``env`` adds to the environment."""
    return subprocess.run(
        [sys.executable, str(ROOT / "search.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def built_index(tmp_path_factory):
    index = tmp_path_factory.mktemp("cli") / "index"
    done = run("build", CORPUS, "--index", index, "--model", "hash:64")
    assert done.returncode == 0, done.stderr
    return index


@pytest.fixture
def hashed_index(built_index, tmp_path):
    """The seed corpus indexed with the fake embedder: a fresh copy for each test."""
    return Path(shutil.copytree(built_index, tmp_path / "index"))
