"""The layout of ARCHITECTURE.md holds: one folder per stage, the layer order checked by
import-linter's contracts in pyproject.toml, a small top level."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"
STAGES = ("sources", "extract", "themes", "embed", "index", "search", "catalogue", "server")


def test_the_stages_import_only_the_stages_below_them(capsys):
    from importlinter.cli import lint_imports

    before = Path.cwd()
    os.chdir(ROOT)  # import-linter reads pyproject.toml where it runs
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        os.chdir(before)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "2 kept, 0 broken" in report


def test_the_top_holds_only_the_public_modules_and_one_folder_per_stage():
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert modules == ["api", "cli", "documents", "errors", "settings", "text"]
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(STAGES)


def test_each_stage_says_what_it_owns():
    for stage in STAGES:
        docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert docstring and len(docstring.split()) >= 15, stage


def test_no_module_shares_its_name_with_a_public_function():
    """``pipeline.build`` is the function only: no package exports a function named as one of
    its modules, and no module defines a public function of its own name."""
    for found in pkgutil.walk_packages([str(PACKAGE)], "pipeline."):
        module = importlib.import_module(found.name)
        parent = importlib.import_module(found.name.rsplit(".", 1)[0])
        name = found.name.rsplit(".", 1)[1]
        assert not inspect.isfunction(getattr(parent, name, None)), found.name
        assert not inspect.isfunction(getattr(module, name, None)), found.name
