"""Documents that name a parent (France PAT actions and their PAT): the parent never repeats
its child's hit, in `query`, `similar` and `similar --all`; it is found by its own text."""

import pytest

from pipeline.documents import Document
from pipeline.index import commit
from pipeline.search import Searcher
from pipeline.settings import Settings

PAT = "france-pat/1"
LEGUMERIE = "france-pat/1/action/1"
COMPOST = "france-pat/1/action/2"


@pytest.fixture
def pat_index(tmp_path, fake_embedder):
    docs = [
        Document(PAT, "PAT du Pays Lédonien", "Relocaliser l'alimentation du territoire.", {}),
        Document(LEGUMERIE, "Légumerie", "Une légumerie pour les cantines.", {"parent": PAT}),
        Document(COMPOST, "Compostage", "Composter les déchets des cantines.", {"parent": PAT}),
        Document("france-pat/2", "PAT de la Métropole", "Une légumerie métropolitaine.", {}),
        Document("france-pat/3", "PAT du Jura", "Relocaliser l'alimentation du Jura.", {}),
    ]
    commit(docs, tmp_path, Settings(), fake_embedder)
    return Searcher.open(tmp_path, embedder=fake_embedder)


def test_a_query_lists_the_action_but_not_its_pat_on_the_same_passage(pat_index):
    hits = pat_index.query("légumerie cantines", k=5).hits
    assert hits[0].id == LEGUMERIE
    by_id = {h.id: h for h in hits}
    assert by_id[PAT].passage == "Relocaliser l'alimentation du territoire."  # its own text
    assert by_id[PAT].score < by_id[LEGUMERIE].score
    assert all(h.passage != by_id[LEGUMERIE].passage for h in hits if h.id != LEGUMERIE)


def test_a_pat_is_found_by_its_own_text(pat_index):
    hits = pat_index.query("relocaliser l'alimentation du territoire", k=2).hits
    assert hits[0].id == PAT and hits[0].passage.startswith("Relocaliser")


def test_an_action_is_not_like_its_pat_through_its_own_passage(pat_index):
    for hit in pat_index.similar(LEGUMERIE, k=4).hits:
        assert "légumerie pour les cantines" not in hit.passage
        if hit.id == PAT:
            assert hit.passage == "Relocaliser l'alimentation du territoire."


def test_a_pat_is_not_like_its_own_actions(pat_index):
    ids = [h.id for h in pat_index.similar(PAT, k=4).hits]
    assert ids == ["france-pat/3", "france-pat/2"]


def test_similar_all_gives_the_same_neighbours(pat_index):
    for neighbours in pat_index.similar_all(k=4):
        assert neighbours.results == pat_index.similar(neighbours.id, 4)
        passages = [h.passage for h in neighbours.results.hits]
        assert len(passages) == len(set(passages))  # no hit repeated by a parent
