"""The index folder: snapshots, manifest checks, atomic swap, reuse of embeddings."""

import json

import numpy as np
import pytest

from pipeline.errors import IndexMismatchError, IndexMissingError
from pipeline.index import VectorIndex, commit, snapshots
from pipeline.search import Searcher
from pipeline.settings import Settings


class CountingEmbedder:
    """Wraps an embedder and counts the passages it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.model_id, self.dim, self.max_tokens = inner.model_id, inner.dim, inner.max_tokens
        self.embedded = 0

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)

    def count_tokens(self, text):
        return self.inner.count_tokens(text)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexMissingError, match="search.py build"):
        Searcher.open(tmp_path / "nothing")


def test_manifest_records_model_counts_and_checksums(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path, Settings(), fake_embedder)
    manifest = snapshots.read_manifest(snapshots.snapshot(tmp_path))
    assert manifest.model == "hash:64" and manifest.dim == 64
    assert manifest.counts["documents"] == 3
    assert set(manifest.files) >= {"documents.jsonl", "vectors.npy", "lexical.npz"}
    assert manifest.format_version == snapshots.FORMAT_VERSION


def test_another_model_is_refused_with_one_line(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path, Settings(), fake_embedder)
    with pytest.raises(IndexMismatchError) as info:
        Searcher.open(tmp_path, model="multilingual-e5-small")
    assert "hash:64" in str(info.value) and "\n" not in str(info.value)


def test_a_file_of_another_size_is_refused(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path, Settings(), fake_embedder)
    folder = snapshots.snapshot(tmp_path)
    with open(folder / "documents.jsonl", "a") as handle:
        handle.write("{}\n")
    said = r"documents.jsonl fails its checksum \(size \d+, the manifest says \d+\)"
    with pytest.raises(IndexMismatchError, match=said):
        Searcher.open(tmp_path)


def test_another_format_version_is_refused(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path, Settings(), fake_embedder)
    folder = snapshots.snapshot(tmp_path)
    manifest = json.loads((folder / snapshots.MANIFEST).read_text())
    manifest["format_version"] = 999
    snapshots.write_manifest(folder, manifest)  # sealed: as a later Tisser would write it
    with pytest.raises(IndexMismatchError, match="format 999"):
        Searcher.open(tmp_path)


def test_an_interrupted_build_keeps_the_previous_index(tmp_path, small_documents, fake_embedder):
    commit(small_documents[:2], tmp_path, Settings(), fake_embedder)

    class Exploding(CountingEmbedder):
        def embed_passages(self, texts):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        commit(small_documents, tmp_path, Settings(), Exploding(fake_embedder))
    searcher = Searcher.open(tmp_path, embedder=fake_embedder)
    assert [d.id for d in searcher.store.documents] == ["t/bois", "t/monnaie"]
    assert not list(tmp_path.glob(".building-*"))


def test_an_unchanged_corpus_re_embeds_nothing(tmp_path, small_documents, fake_embedder):
    counting = CountingEmbedder(fake_embedder)
    first = commit(small_documents, tmp_path, Settings(), counting)
    assert first.embedded == first.passages and counting.embedded == first.passages
    again = commit(small_documents, tmp_path, Settings(), counting)
    assert again.embedded == 0 and again.reused == first.passages
    assert counting.embedded == first.passages


def test_reused_vectors_equal_fresh_ones(tmp_path, small_documents, fake_embedder):
    commit(small_documents[:2], tmp_path / "a", Settings(), fake_embedder)
    commit(small_documents, tmp_path / "a", Settings(), fake_embedder)
    commit(small_documents, tmp_path / "b", Settings(), fake_embedder)
    a = VectorIndex.load(snapshots.snapshot(tmp_path / "a")).vectors_
    b = VectorIndex.load(snapshots.snapshot(tmp_path / "b")).vectors_
    np.testing.assert_array_equal(a, b)


def test_old_snapshots_are_pruned(tmp_path, small_documents, fake_embedder):
    for _ in range(4):
        commit(small_documents, tmp_path, Settings(), fake_embedder)
    assert len(list(tmp_path.glob("v-*"))) == 2  # the live one and the previous one


def test_above_the_threshold_the_index_is_approximate(fake_embedder):
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(40, 64))  # embeddings cluster by topic; uniform noise does not
    vectors = centres[rng.integers(0, 40, 3000)] + 0.4 * rng.normal(size=(3000, 64))
    vectors = vectors.astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = VectorIndex.build(vectors, exact_below=10_000)
    approx = VectorIndex.build(vectors, exact_below=1000)
    assert exact.exact and not approx.exact
    _, want = exact.search(vectors[:50], 10)
    _, got = approx.search(vectors[:50], 10)
    recall = np.mean([len(set(w) & set(g)) / 10 for w, g in zip(want, got)])
    assert recall >= 0.9
