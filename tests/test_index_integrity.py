"""An index is refused, in one line, when it is not what its build wrote; opening it does not
hash its files; a write the disk refuses leaves the previous index and nothing else."""

import json
import os
import subprocess
import sys

import pytest

from pipeline.embed import HashingEmbedder
from pipeline.errors import (
    IndexMismatchError,
    IndexMissingError,
    IndexWriteError,
    ParameterError,
)
from pipeline.index import add, build, commit, manifest, remove, snapshots
from pipeline.index.docstore import DocumentStore
from pipeline.search import Searcher
from pipeline.settings import Settings


@pytest.fixture
def index(tmp_path, small_documents, fake_embedder):
    commit(small_documents, tmp_path / "ix", Settings(), fake_embedder)
    return tmp_path / "ix"


@pytest.fixture
def hashes(monkeypatch):
    """The files hashed, by name, from here on."""
    hashed = []
    real = manifest.checksum

    def counting(path):
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(manifest, "checksum", counting)
    return hashed


def answer(index, embedder):
    return Searcher.open(index, embedder=embedder).query("monnaie locale", k=3).to_dict()


def one_line(error) -> str:
    message = str(error.value)
    assert "\n" not in message and message
    return message


def flip_byte(path, offset=-5):
    """One byte changed, size and modification time kept: what only hashing sees."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def stored(index) -> dict:
    return json.loads((snapshots.snapshot(index) / manifest.MANIFEST).read_text())


def reseal(index, data) -> None:
    """Write a manifest and its digest, as a careless tool or an older writer would."""
    manifest.write_manifest(snapshots.snapshot(index), data)


# -- opening checks sizes and times, check hashes ------------------------------------------


def test_an_untouched_index_opens_without_hashing(index, fake_embedder, hashes):
    assert answer(index, fake_embedder)["results"]
    assert hashes == []


def test_a_copy_with_new_times_is_hashed_once_and_opens(index, fake_embedder, hashes):
    before = answer(index, fake_embedder)
    folder = snapshots.snapshot(index)
    for path in folder.iterdir():
        os.utime(path, ns=(1, 1))
    assert answer(index, fake_embedder) == before
    assert sorted(hashes) == sorted(stored(index)["files"])


def test_an_edit_that_keeps_the_size_is_refused_on_open(index, fake_embedder):
    path = snapshots.snapshot(index) / "documents.jsonl"
    path.write_text(path.read_text().replace("monnaie", "MONNAIE"))
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder)
    assert "documents.jsonl fails its checksum" in one_line(error)


@pytest.mark.parametrize(
    "name", ["documents.jsonl", "passages.npz", "vectors.npy", "lexical.json", "lexical.npz"]
)
def test_check_finds_a_flipped_byte_in_any_file(index, fake_embedder, name, hashes):
    flip_byte(snapshots.snapshot(index) / name)
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder, verify="hash")
    assert f"{name} fails its checksum" in one_line(error)
    assert name in hashes


def test_check_passes_an_untouched_index(index, hashes):
    Searcher.open(index, verify="hash")
    assert sorted(hashes) == sorted(stored(index)["files"])


# -- the manifest is sealed, and lists every file ------------------------------------------


def test_an_edited_manifest_is_refused(index, fake_embedder):
    path = snapshots.snapshot(index) / manifest.MANIFEST
    path.write_text(path.read_text().replace('"dense_weight": 0.4', '"dense_weight": 0.9'))
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder)
    assert "does not match its digest" in one_line(error)


def test_a_manifest_without_its_digest_is_refused(index):
    (snapshots.snapshot(index) / manifest.SEAL).unlink()
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index)
    assert "manifest.sha256 is missing" in one_line(error)


def test_a_manifest_listing_no_files_is_refused_even_sealed(index, fake_embedder):
    data = stored(index)
    reseal(index, {**data, "files": {}})
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder)
    assert "does not list documents.jsonl" in one_line(error)


def test_a_file_the_search_reads_must_be_listed(index, fake_embedder):
    data = stored(index)
    del data["files"]["lexical.npz"]
    reseal(index, data)
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder)
    assert "does not list lexical.npz" in one_line(error)


def test_an_unlisted_data_file_is_refused(index, fake_embedder):
    # A flat index rebuilds FAISS from the vectors; a stray vectors.faiss would be read instead.
    (snapshots.snapshot(index) / "vectors.faiss").write_bytes(b"stray")
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index, embedder=fake_embedder)
    assert "vectors.faiss is not listed in the manifest" in one_line(error)


def test_a_listed_name_outside_the_snapshot_is_refused(index):
    data = stored(index)
    data["files"]["../CURRENT"] = data["files"]["vectors.npy"]
    reseal(index, data)
    with pytest.raises(IndexMismatchError, match="not a data file name"):
        Searcher.open(index)


@pytest.mark.parametrize(
    "section, key, value, said",
    [
        ("fusion", "dense_weight", "0.4", "fusion.dense_weight must be a number"),
        ("fusion", "candidates", 0, "fusion.candidates must be at least 1"),
        ("embed", "model", 64, "embed.model must be text"),
        ("passages", "max_tokens", [200], "passages.max_tokens must be a whole number"),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused(index, section, key, value, said):
    data = stored(index)
    data["settings"][section][key] = value
    reseal(index, data)
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index)
    assert said in one_line(error)


@pytest.mark.parametrize(
    "field, value, said",
    [("dim", "64", "dim must be int"), ("counts", [], "counts must be dict"), ("x", 1, "x")],
)
def test_a_field_of_the_wrong_type_is_refused(index, field, value, said):
    reseal(index, stored(index) | {field: value})
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index)
    assert said in one_line(error)


def test_a_model_of_another_dimension_is_refused_at_the_first_query(index):
    data = stored(index)
    data["model"] = data["settings"]["embed"]["model"] = "hash:128"
    reseal(index, data)
    searcher = Searcher.open(index)
    with pytest.raises(IndexMismatchError) as error:
        searcher.query("monnaie locale")
    assert "dimension 128, the index holds 64" in one_line(error)


def test_a_manifest_dimension_unlike_the_vectors_is_refused(index):
    reseal(index, stored(index) | {"dim": 128})
    passages = stored(index)["counts"]["passages"]
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index)
    said = f"holds vectors ({passages}, 64), its manifest says ({passages}, 128)"
    assert said in one_line(error)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00v", b"../../etc\n", b""])
def test_a_damaged_current_is_refused(index, content):
    (index / "CURRENT").write_bytes(content)
    with pytest.raises(IndexMismatchError) as error:
        Searcher.open(index)
    assert "CURRENT is damaged" in one_line(error)


# -- writes: refused before any work, cleaned up after a failure ----------------------------


def test_an_index_naming_a_file_is_refused_before_reading_sources(tmp_path, fake_embedder):
    target = tmp_path / "notes.txt"
    target.write_text("not an index")
    missing = [tmp_path / "no-such-source"]  # read first, it would be the error
    with pytest.raises(ParameterError, match="notes.txt is a file"):
        build(missing, target, Settings(), embedder=fake_embedder)
    with pytest.raises(ParameterError, match="is under .*notes.txt, a file"):
        build(missing, target / "ix", Settings(), embedder=fake_embedder)
    with pytest.raises(ParameterError, match="notes.txt is a file"):
        add(missing, target, embedder=fake_embedder)
    assert target.read_text() == "not an index"


def test_add_to_a_missing_index_creates_nothing(tmp_path, fake_embedder):
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "1", "text": "Une scierie."}\n')
    with pytest.raises(IndexMissingError, match="no index in"):
        add([source], tmp_path / "ix", embedder=fake_embedder)
    assert not (tmp_path / "ix").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexMissingError):
        remove(["1"], tmp_path / "empty", embedder=fake_embedder)
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_read_only_folder_is_refused_before_any_work(tmp_path, fake_embedder, monkeypatch):
    monkeypatch.setattr(snapshots.os, "access", lambda path, mode: False)
    with pytest.raises(IndexWriteError) as error:
        build([tmp_path / "no-such-source"], tmp_path / "ix", Settings(), embedder=fake_embedder)
    assert "is read-only" in one_line(error)


def leftovers(index) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith((".building", ".CURRENT")))


@pytest.mark.parametrize(
    "code, said", [(28, "No space left on device"), (30, "Read-only file system")]
)
def test_a_disk_refusing_the_files_leaves_the_previous_index(
    index, small_documents, fake_embedder, monkeypatch, code, said
):
    before = answer(index, fake_embedder)
    snapshots_before = sorted(p.name for p in index.glob("v-*"))

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(DocumentStore, "save", refuse)
    with pytest.raises(IndexWriteError) as error:
        commit(small_documents[:2], index, Settings(), fake_embedder)
    assert said in one_line(error) and "previous index is unchanged" in str(error.value)
    assert leftovers(index) == []
    assert sorted(p.name for p in index.glob("v-*")) == snapshots_before
    assert answer(index, fake_embedder) == before


def test_a_first_build_the_disk_refuses_leaves_no_folder(tmp_path, small_documents, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(DocumentStore, "save", full)
    with pytest.raises(IndexWriteError, match="No space left"):
        commit(small_documents, tmp_path / "new", Settings(), HashingEmbedder(64))
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_disk_refusing_the_swap_leaves_no_snapshot_nor_pointer(
    index, small_documents, fake_embedder, monkeypatch, step
):
    before = answer(index, fake_embedder)
    snapshots_before = sorted(p.name for p in index.glob("v-*"))

    def refuse(*args, **kwargs):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(snapshots.os, step, refuse)
    with pytest.raises(IndexWriteError, match="No space left"):
        commit(small_documents[:2], index, Settings(), fake_embedder)
    monkeypatch.undo()
    assert leftovers(index) == []
    assert sorted(p.name for p in index.glob("v-*")) == snapshots_before
    assert answer(index, fake_embedder) == before


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_dead_writers_are_cleaned_at_the_next_write(
    index, small_documents, fake_embedder
):
    dead, alive = dead_pid(), os.getppid()
    (index / f".building-20260101T000000000000-{dead}").mkdir()
    (index / f".building-20260101T000000000000-{dead}" / "vectors.npy").write_bytes(b"x")
    (index / f".CURRENT-{dead}").write_text("v-1\n")
    (index / f".building-20260101T000000000001-{alive}").mkdir()
    orphan = index / "v-20200101T000000000000"  # renamed, never pointed at: killed at the swap
    orphan.mkdir()
    live = snapshots.snapshot(index).name
    commit(small_documents, index, Settings(), fake_embedder)
    assert leftovers(index) == [f".building-20260101T000000000001-{alive}"]
    assert sorted(p.name for p in index.glob("v-*")) == sorted(
        [live, snapshots.snapshot(index).name]
    )


def test_what_a_write_reuses_is_hashed_first(index, small_documents, fake_embedder):
    """A damaged file that opening would not see is not carried into the next snapshot."""
    flip_byte(snapshots.snapshot(index) / "documents.jsonl", offset=20)
    with pytest.raises(IndexMismatchError, match="documents.jsonl fails its checksum"):
        remove(["t/bois"], index, embedder=fake_embedder)


def test_the_server_refuses_an_index_whose_size_changed(index):
    from pipeline.server.holder import IndexHolder

    with open(snapshots.snapshot(index) / "vectors.npy", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(IndexMismatchError) as error:
        IndexHolder(index).searcher()
    assert "vectors.npy fails its checksum (size" in one_line(error)
