"""Cold commands load only what they need, and their light paths answer as the full ones do:
the default model on onnxruntime against sentence-transformers, TF-IDF queries weighted
without scikit-learn against its ``transform``."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import ROOT

from pipeline.index.lexical import LexicalIndex
from pipeline.text import words

HEAVY = ("torch", "sentence_transformers", "transformers", "spacy", "faiss", "sklearn")
TEXTS = [
    "monnaie locale",
    "Une monnaie citoyenne locale, l’Abeille, circule dans trois communes rurales.",
    "local currency and basic income",
    "Les habitants ont racheté l’ancienne usine pour y installer 12 ateliers d’artisans. " * 60,
    "  espaces   en trop\tet « guillemets »  ",
]


def heavy_modules_after(*args: str) -> tuple[int, list[str]]:
    """(exit code, heavy packages imported) of ``search.py args`` in a new process."""
    code = (
        "import sys\nfrom pipeline.cli import main\nstatus = 0\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit as exc:\n    status = exc.code or 0\n"
        f"print({{'status': status, 'heavy': sorted(set(sys.modules) & set({HEAVY!r}))}})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = eval(done.stdout.strip().splitlines()[-1])  # our own print of a dict literal
    return found["status"], found["heavy"]


def test_help_and_usage_errors_import_no_heavy_package():
    assert heavy_modules_after("--help") == (0, [])
    assert heavy_modules_after("query", "--help") == (0, [])
    status, heavy = heavy_modules_after("query", "x", "-k", "zero")
    assert status == 2 and heavy == []


def test_query_weights_as_scikit_learn_transform_does():
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = [
        "La filière bois locale coopère avec les scieries du Jura.",
        "Une monnaie locale circule entre les commerces et les producteurs.",
        "Les producteurs livrent les cantines : filière courte, repas bio.",
        "Energie citoyenne : les habitants financent les éoliennes.",
    ]
    lexical = LexicalIndex.fit(corpus)
    reference = TfidfVectorizer(
        analyzer=words, vocabulary=lexical.vocabulary_, sublinear_tf=True, dtype=np.float32
    )
    reference.idf_ = lexical.idf_
    queries = [*corpus, "bois bois bois local", "", "nothing known here", TEXTS[3]]
    ours = lexical.transform(queries)
    theirs = reference.transform(queries).astype(np.float32).tocsr()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), atol=1e-7)
    assert np.allclose(lexical.transform(corpus).toarray(), lexical.matrix_.toarray(), atol=1e-7)


FLOAT32 = {"quantize": False}


@pytest.fixture(scope="module")
def both_paths():
    """The float32 default model on onnxruntime, and on sentence-transformers (the full path)."""
    from pipeline.embed import make_embedder
    from pipeline.settings import EmbedSettings

    settings = EmbedSettings(**FLOAT32)
    return make_embedder(settings), make_embedder(settings, runtime="torch")


@pytest.mark.real
def test_onnx_path_gives_the_vectors_of_sentence_transformers(both_paths):
    from pipeline.embed.onnx_runtime import OnnxEmbedder

    onnx, full = both_paths
    assert isinstance(onnx, OnnxEmbedder) and not isinstance(full, OnnxEmbedder)
    assert onnx.model_id == full.model_id and onnx.dim == full.dim
    assert onnx.max_tokens == full.max_tokens
    for light, heavy in (
        (onnx.embed_queries, full.embed_queries),
        (onnx.embed_passages, full.embed_passages),
    ):
        np.testing.assert_allclose(light(TEXTS), heavy(TEXTS), atol=1e-5)
        np.testing.assert_allclose(light(TEXTS[:1]), heavy(TEXTS[:1]), atol=1e-5)
    assert [onnx.count_tokens(t) for t in TEXTS] == [full.count_tokens(t) for t in TEXTS]


@pytest.mark.real
def test_query_and_similar_answer_alike_on_both_paths(tmp_path, both_paths):
    from conftest import CORPUS

    from pipeline.index import build
    from pipeline.search import Searcher
    from pipeline.settings import Settings

    onnx, full = both_paths
    settings = Settings().with_section("embed", **FLOAT32)
    build([CORPUS], tmp_path / "index", settings, embedder=onnx, annotate=False)
    light = Searcher.open(tmp_path / "index", embedder=onnx)
    full = Searcher.open(tmp_path / "index", embedder=full)
    for text in TEXTS:
        ours, theirs = light.query(text, k=4), full.query(text, k=4)
        assert [h.id for h in ours.hits] == [h.id for h in theirs.hits]
        assert np.allclose([h.score for h in ours.hits], [h.score for h in theirs.hits], atol=1e-5)
    text = TEXTS[3]
    assert [h.id for h in light.similar_text(text, 4).hits] == [
        h.id for h in full.similar_text(text, 4).hits
    ]


@pytest.mark.real
def test_a_cold_query_loads_no_torch_and_no_spacy(seed_index, real_embedder):
    status, heavy = heavy_modules_after("query", "monnaie locale", "--index", str(seed_index))
    assert status == 0 and heavy == ["faiss"]  # the vector index itself
    status, heavy = heavy_modules_after("similar", "tera", "--index", str(seed_index))
    assert status == 0 and heavy == ["faiss"]


@pytest.mark.real
def test_int8_vectors_are_their_own_model_and_an_index_says_which(both_paths):
    from pipeline.embed import INT8_SUFFIX, make_embedder
    from pipeline.embed.e5_convert import e5_small_path
    from pipeline.embed.e5_onnx import RECORD, onnx_folder
    from pipeline.errors import IndexMismatchError
    from pipeline.search.searcher import _embedder_of
    from pipeline.settings import EmbedSettings, Settings

    float32 = both_paths[0]
    int8 = make_embedder(EmbedSettings(quantize=True))
    assert int8.model_id == float32.model_id + INT8_SUFFIX
    cosines = np.sum(int8.embed_passages(TEXTS) * float32.embed_passages(TEXTS), axis=1)
    assert cosines.min() >= 0.98 and cosines.min() < 1 - 1e-6  # close, yet other vectors
    checks = json.loads((onnx_folder(e5_small_path()) / RECORD).read_text())["checks"]
    assert all(check["passed"] for check in checks.values())
    with pytest.raises(IndexMismatchError, match="rebuild"):
        # an index of int8 vectors, read with settings that ask for float32: refused
        index = SimpleNamespace(model=int8.model_id, dim=int8.dim)
        _embedder_of(index, Settings().with_section("embed", **FLOAT32))
