"""The command line over a damaged, missing or unwritable index: one line, never a traceback;
`search.py check` hashes every file; an unexpected error is one line and exit code 2."""

import os

import pytest
from conftest import CORPUS, run

from pipeline import api, cli
from pipeline.index import DocumentStore, snapshots


def live(index):
    return snapshots.snapshot(index)


def test_check_says_ok_for_an_untouched_index(hashed_index):
    done = run("check", "--index", hashed_index)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok: 4 documents, 7 passages, 5 files match their checksums\n"


def test_check_names_a_flipped_byte_that_opening_does_not_see(hashed_index):
    path = live(hashed_index) / "vectors.npy"
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x10
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    done = run("check", "--index", hashed_index)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "vectors.npy fails its checksum" in done.stderr


def test_a_changed_size_is_refused_by_every_reading_command(hashed_index):
    with open(live(hashed_index) / "lexical.json", "a") as handle:
        handle.write(" ")
    for args in (["query", "monnaie"], ["similar", "tera"], ["themes"], ["check"]):
        done = run(*args, "--index", hashed_index)
        assert done.returncode == 1, args
        assert "lexical.json fails its checksum (size" in done.stderr
        assert done.stderr.count("\n") == 1


def test_an_index_naming_a_file_is_refused_before_any_work(tmp_path):
    target = tmp_path / "index.txt"
    target.write_text("notes")
    missing = tmp_path / "no-such-source"  # reading the sources first would say so
    for args in (["build", missing, "--model", "hash:64"], ["add", missing]):
        done = run(*args, "--index", target)
        assert done.returncode == 1 and done.stderr.count("\n") == 1
        assert f"--index {target} is a file" in done.stderr
    assert target.read_text() == "notes"


def test_add_to_a_missing_index_leaves_nothing(tmp_path):
    done = run("add", CORPUS, "--index", tmp_path / "ix")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "no index in" in done.stderr and not (tmp_path / "ix").exists()


def test_a_full_disk_is_one_line(hashed_index, monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(DocumentStore, "save", full)
    with pytest.raises(SystemExit) as exit:
        cli.main(["remove", "seed/tera", "--index", str(hashed_index)])
    err = capsys.readouterr().err
    assert exit.value.code == 1 and err.count("\n") == 1
    assert "No space left on device (the previous index is unchanged)" in err
    assert not [p for p in hashed_index.iterdir() if p.name.startswith((".building", ".CURRENT"))]


def test_an_unexpected_error_is_one_line_with_exit_code_2(hashed_index, monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise RuntimeError("something no one foresaw\nsecond line")

    monkeypatch.setattr(api, "check_index", bug)
    monkeypatch.delenv("TISSER_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit:
        cli.main(["check", "--index", str(hashed_index)])
    err = capsys.readouterr().err
    assert exit.value.code == 2 and err.count("\n") == 1
    assert "unexpected RuntimeError: something no one foresaw" in err and "--debug" in err


@pytest.mark.parametrize("debug", [["--debug"], ["TISSER_DEBUG"]])
def test_debug_shows_the_unexpected_error(hashed_index, monkeypatch, debug):
    def bug(*args, **kwargs):
        raise RuntimeError("something no one foresaw")

    monkeypatch.setattr(api, "check_index", bug)
    args = ["check", "--index", str(hashed_index)]
    if debug == ["TISSER_DEBUG"]:
        monkeypatch.setenv("TISSER_DEBUG", "1")
    else:
        args += debug
    with pytest.raises(RuntimeError, match="no one foresaw"):
        cli.main(args)


def test_debug_is_taken_before_the_command_too(hashed_index, capsys):
    cli.main(["--debug", "check", "--index", str(hashed_index)])
    assert capsys.readouterr().out.startswith("ok: ")
