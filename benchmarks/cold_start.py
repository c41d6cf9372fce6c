"""Cold commands: how long a fresh process takes to answer, against importing the heavy stack.

Each repeat runs, back to back and each in a new process: ``python -c "import torch,
sentence_transformers, spacy"`` (the reference), then ``search.py query``, ``similar``, ``tag``
and ``--help`` on an existing index. Printed: the median seconds of each, its ratio to the
reference (issue 15 asks query <= 0.5), then where the time goes: the largest top-level imports
of one more run of each command under ``python -X importtime``.

    python benchmarks/cold_start.py [--index index] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "import torch, sentence_transformers, spacy"


def commands(index: Path) -> dict[str, list[str]]:
    search = [str(ROOT / "search.py")]
    return {
        "import torch, st, spacy": ["-c", REFERENCE],
        'query "monnaie locale"': [*search, "query", "monnaie locale", "--index", str(index)],
        "similar tera": [*search, "similar", "tera", "--index", str(index)],
        "tag 01-tera.md": [*search, "tag", "corpus/01-tera.md", "--index", str(index)],
        "--help": [*search, "--help"],
    }


def run(args: list[str], importtime: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    flags = ["-X", "importtime"] if importtime else []
    done = subprocess.run(
        [sys.executable, *flags, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {done.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - started, done.stderr


def top_imports(stderr: str, count: int = 6) -> list[tuple[float, str]]:
    """(seconds, module) of the largest top-level imports in ``-X importtime`` output."""
    found = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name[1:].startswith(" "):
            found.append((int(cumulative) / 1e6, name.strip()))
    return sorted(found, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not (args.index / "CURRENT").is_file():
        sys.exit(f"no index at {args.index}: run `search.py build` first")
    todo = commands(args.index.resolve())
    times: dict[str, list[float]] = {name: [] for name in todo}
    run(todo['query "monnaie locale"'])  # the first query may write the ONNX files, once
    for _ in range(args.repeats):
        for name, command in todo.items():
            times[name].append(run(command)[0])
    reference = statistics.median(times["import torch, st, spacy"])
    print(f"median of {args.repeats} cold runs each, back to back ({sys.executable}):")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"  {name:26} {median:6.2f} s  ratio to the import {median / reference:.2f}")
    print("\nwhere the time goes (python -X importtime, largest top-level imports, one run):")
    for name, command in todo.items():
        seconds, stderr = run(command, importtime=True)
        found = ", ".join(f"{module} {s:.2f}" for s, module in top_imports(stderr))
        print(f"  {name:26} {seconds:6.2f} s: {found}")


if __name__ == "__main__":
    main()
