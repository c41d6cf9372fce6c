"""Every kind of bad input (scripts/make_bad_inputs.py) through `build`, `add`, `tag` and
`query`, by the real CLI entry point: the expected exit code, stderr made only of one line per
problem naming the file (and line), never a traceback, and the index there before answering
exactly as it did.

The commands run in this process (`pipeline.cli.main`, what search.py calls), with the fake
embedder and without annotations: the spaCy model's work on long texts is tested in
test_long_documents.py, and a 1,000,000-character document read three times by it would cost
minutes here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CORPUS, bad_inputs

from pipeline.cli import main

bad = bad_inputs()

SETTINGS = "[annotate]\nentities = false\nthemes = false\n"
SUMMARY_LINES = ("indexed ", "action profile ")  # what a build or add says when it ends


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def cli(*args: object) -> Run:
    """search.py ARGS in this process; an exception other than the exit is a failure."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main([str(arg) for arg in args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


def answer(index: Path) -> dict:
    """What the index answers a query touching every seed document."""
    done = cli("query", "coopération bois forêt monnaie alimentation", "--index", index, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The seed corpus indexed once; its settings file; its answer."""
    folder = tmp_path_factory.mktemp("prepared")
    settings = folder / "settings.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    index = folder / "index"
    done = cli("build", CORPUS, "--index", index, "--model", "hash:64", "--config", settings)
    assert done.code == 0, done.err
    return index, settings, answer(index)


def check(run: Run, code: int, inputs: Path) -> None:
    """Exit code as expected; each stderr line one problem naming a file of the case, an
    error line, or the closing summary; never a traceback."""
    assert "Traceback" not in run.err
    assert run.code == code, run.err
    lines = run.err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == (0 if code == 0 else 1), run.err
    for line in lines:
        if line.startswith(SUMMARY_LINES):
            continue
        named = line.removeprefix("error: ")
        assert named.startswith(str(inputs)) or f" {inputs}" in named, line


@pytest.mark.parametrize("case", bad.CASES, ids=lambda case: case.name)
def test_bad_input(case, prepared, tmp_path):
    if case.needs_non_root and os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    base, settings, before = prepared
    inputs = tmp_path / "inputs"
    target = bad.make_case(case, inputs)
    index = Path(shutil.copytree(base, tmp_path / "index"))
    try:
        fresh = tmp_path / "fresh"
        built = cli("build", target, "--index", fresh, "--model", "hash:64", "--config", settings)
        check(built, 0 if case.documents else 1, inputs)
        if case.documents:
            assert f"indexed {case.documents} documents" in built.err
        else:  # a build that reads nothing leaves the index there as it was
            check(cli("build", target, "--index", index, "--config", settings), 1, inputs)
            assert answer(index) == before
        added = cli("add", target, "--index", index)
        check(added, 0 if case.documents else 1, inputs)
        if case.documents:  # the seed's four documents are all still there
            assert f"indexed {4 + case.documents} documents" in added.err
        else:
            assert answer(index) == before
        tagged = cli("tag", target, "--index", index, "--json")
        check(tagged, 0 if case.taggable else 1, inputs)
        if not case.documents:
            assert answer(index) == before
    finally:
        bad.remove_tree(inputs)  # pytest's own clean-up recurses, and fails on a deep tree


def test_the_corpus_holds_at_least_forty_kinds_of_bad_input():
    assert len({case.name for case in bad.CASES}) == len(bad.CASES) >= 40
