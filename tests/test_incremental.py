"""Keeping an index current: add, remove, unchanged rebuilds, searches during an update."""

import threading

import pytest
from test_index_store import CountingEmbedder

from pipeline.errors import NotFoundError
from pipeline.index import add, build, commit, remove
from pipeline.search import Searcher
from pipeline.settings import Settings


@pytest.fixture
def jsonl(tmp_path):
    def write(name, *rows):
        path = tmp_path / name
        path.write_text(
            "".join(f'{{"id": "{i}", "title": "{t}", "text": "{x}"}}\n' for i, t, x in rows)
        )
        return path

    return write


def test_add_embeds_only_the_new_documents(tmp_path, jsonl, fake_embedder):
    counting = CountingEmbedder(fake_embedder)
    first = jsonl("a.jsonl", ("1", "Bois", "Une scierie locale."), ("2", "Vélo", "Des vélos."))
    build([first], tmp_path / "ix", Settings(), embedder=counting)
    before = counting.embedded
    more = jsonl("b.jsonl", ("3", "Compost", "Un compost partagé au jardin."))
    report = add([more], tmp_path / "ix", embedder=counting)
    assert report.documents == 3 and counting.embedded - before == report.embedded == 1
    ids = [d.id for d in Searcher.open(tmp_path / "ix", embedder=fake_embedder).store.documents]
    assert ids == ["a/1", "a/2", "b/3"]


def test_adding_a_known_id_replaces_it(tmp_path, jsonl, fake_embedder):
    build(
        [jsonl("a.jsonl", ("1", "Bois", "Une scierie."))],
        tmp_path / "ix",
        Settings(),
        embedder=fake_embedder,
    )
    add(
        [jsonl("a.jsonl", ("1", "Bois", "Une scierie mobile et un séchoir."))],
        tmp_path / "ix",
        embedder=fake_embedder,
    )
    docs = Searcher.open(tmp_path / "ix", embedder=fake_embedder).store.documents
    assert [(d.id, d.text) for d in docs] == [("a/1", "Une scierie mobile et un séchoir.")]


def test_remove_drops_documents_and_refuses_unknown_ids(tmp_path, jsonl, fake_embedder):
    path = jsonl("a.jsonl", ("1", "Bois", "Une scierie."), ("2", "Vélo", "Des vélos."))
    counting = CountingEmbedder(fake_embedder)
    build([path], tmp_path / "ix", Settings(), embedder=counting)
    before = (tmp_path / "ix" / "CURRENT").read_text()
    with pytest.raises(NotFoundError, match="a/9"):
        remove(["a/9"], tmp_path / "ix", embedder=counting)
    assert (tmp_path / "ix" / "CURRENT").read_text() == before
    embedded = counting.embedded
    report = remove(["a/2"], tmp_path / "ix", embedder=counting)
    assert report.documents == 1 and counting.embedded == embedded  # nothing re-embedded
    assert Searcher.open(tmp_path / "ix", embedder=fake_embedder).query("vélos").hits[0].id == "a/1"


def test_searches_during_updates_see_a_whole_index(tmp_path, small_documents, fake_embedder):
    """Readers open snapshots while a writer swaps them: every read sees 2 or 3 documents."""
    commit(small_documents[:2], tmp_path, Settings(), fake_embedder)
    seen, errors, stop = set(), [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                searcher = Searcher.open(tmp_path, embedder=fake_embedder)
                hits = searcher.query("bois", k=10).hits
                assert len(hits) == len(searcher.store.documents)
                seen.add(len(hits))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    for round_ in range(15):
        commit(small_documents[: 2 + round_ % 2], tmp_path, Settings(), fake_embedder)
    stop.set()
    for thread in readers:
        thread.join()
    assert errors == [] and seen <= {2, 3} and seen
