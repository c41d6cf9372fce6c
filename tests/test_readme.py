"""The README shows what the code prints: each `$ .venv/bin/python search.py …` example, run on
the seed corpus indexed with the real models, prints exactly the output shown under it (an
example cut short with "…" on a line of its own shows the beginning)."""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import cli

PROMPT = "$ .venv/bin/python search.py "


def blocks(text: str) -> list[list[str]]:
    """The lines of each fenced block of ``text``."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                found.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return found


def examples() -> list[tuple[list[str], str]]:
    found = []
    for lines in blocks((ROOT / "README.md").read_text(encoding="utf-8")):
        if lines and lines[0].startswith(PROMPT):
            found.append((shlex.split(lines[0][len(PROMPT) :]), "\n".join(lines[1:])))
        elif lines and lines[0] == "# Index thématique":  # what `themes` prints
            found.append((["themes"], "\n".join(lines)))
    return found


EXAMPLES = examples()


def test_the_readme_has_its_examples():
    commands = [args[0] for args, _ in EXAMPLES]
    assert commands.count("query") >= 1 and "tag" in commands and "themes" in commands
    assert any(a.startswith("projets comme") for a in commands)


@pytest.mark.real
@pytest.mark.parametrize(("args", "shown"), EXAMPLES, ids=[" ".join(a)[:40] for a, _ in EXAMPLES])
def test_each_example_prints_what_the_readme_shows(seed_index, monkeypatch, args, shown):
    monkeypatch.chdir(ROOT)  # the examples name files from the repository root
    result = CliRunner().invoke(cli, [*args, "--index", str(seed_index)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed = result.stdout.rstrip("\n")
    if shown.endswith("\n…"):
        assert printed.startswith(shown[: -len("\n…")])
    else:
        assert printed == shown
