"""Searching an index built with the fake embedder: ranking, names, filters, edges."""

import pytest

from pipeline.errors import AmbiguousNameError, InputError, NotFoundError
from pipeline.index import commit
from pipeline.search import Filters, Searcher
from pipeline.search.names import normalise_name
from pipeline.settings import Settings


@pytest.fixture
def searcher(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path, Settings(), fake_embedder)
    return Searcher.open(tmp_path, embedder=fake_embedder)


def test_query_ranks_the_document_that_shares_words_first(searcher):
    results = searcher.query("monnaie citoyenne")
    assert results.hits[0].id == "t/monnaie"
    assert "monnaie citoyenne" in results.hits[0].passage
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_k_larger_than_the_corpus_returns_every_document_once(searcher):
    ids = [h.id for h in searcher.query("bois", k=50).hits]
    assert sorted(ids) == ["t/bois", "t/monnaie", "t/repas"]


def test_k_below_one_and_empty_queries_are_refused(searcher):
    # The library names its parameter; the CLI says -k (test_cli), the HTTP API k.
    with pytest.raises(InputError, match="^k must be at least 1") as refused:
        searcher.query("bois", k=0)
    assert refused.value.parameter == "k"
    with pytest.raises(InputError, match="empty query"):
        searcher.query("   ")


def test_similar_never_returns_the_document_itself(searcher):
    results = searcher.similar("t/bois", k=10)
    assert "t/bois" not in [h.id for h in results.hits]
    assert len(results.hits) == 2


def test_names_are_found_by_part_case_and_accents(searcher):
    assert searcher.find("FILIERE BOIS").id == "t/bois"
    assert searcher.find("cantines bio").id == "t/repas"
    assert searcher.find("t/monnaie").id == "t/monnaie"
    assert normalise_name("Clus’Ter  Jura") == "clus ter jura"


def test_unknown_and_ambiguous_names(tmp_path, small_documents, fake_embedder):
    with pytest.raises(NotFoundError):
        Searcher.open(*_twin_index(tmp_path, small_documents, fake_embedder)).find("vélo")
    with pytest.raises(AmbiguousNameError, match="t/bois.*t/bois-2"):
        Searcher.open(*_twin_index(tmp_path, small_documents, fake_embedder)).find("bois")


def _twin_index(tmp_path, documents, embedder):
    from pipeline.documents import Document

    twin = Document("t/bois-2", "Bois énergie", "Chaufferies au bois déchiqueté.", {})
    commit(documents + [twin], tmp_path / "twin", Settings(), embedder)
    return tmp_path / "twin", None, embedder


def test_filters_keep_only_matching_documents(tmp_path, small_documents, fake_embedder):
    from dataclasses import replace

    docs = [
        replace(d, meta={**d.meta, "communes_code_insee": ["88160"]}) if d.id == "t/bois" else d
        for d in small_documents
    ]
    commit(docs, tmp_path, Settings(), fake_embedder)
    searcher = Searcher.open(tmp_path, embedder=fake_embedder)
    hits = searcher.query("monnaie", filters=Filters(departement="88")).hits
    assert [h.id for h in hits] == ["t/bois"]
    assert searcher.query("monnaie", filters=Filters(departement="75")).hits == []


def test_fusion_off_ranks_by_dense_score_alone(tmp_path, small_documents, fake_embedder):
    settings = Settings().with_section("fusion", enabled=False)
    commit(small_documents, tmp_path, settings, fake_embedder)
    hits = Searcher.open(tmp_path, embedder=fake_embedder).query("repas bio").hits
    assert hits[0].id == "t/repas" and -1.0 <= hits[0].score <= 1.0
