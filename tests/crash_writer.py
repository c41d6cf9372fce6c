"""Test helper for tests/test_crash.py: writers that die by SIGKILL at a chosen step.

``python tests/crash_writer.py SCENARIOS.json`` imports the library once, then forks one
writer per scenario ({"index", "op", "arg", "point"}), which kills itself at ``point``;
prints the signal each writer died of, as a JSON list. Forked before any FAISS or torch work
in this process, so the writers start from a clean state.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from pipeline.embed import HashingEmbedder
from pipeline.index import DocumentStore, add, build, remove, snapshots
from pipeline.settings import Settings


def _die(*args, **kwargs) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _then_die(function):
    def wrapped(*args, **kwargs):
        function(*args, **kwargs)
        _die()

    return wrapped


# Each step of a write, in order: what is on disk when the writer dies there.
POINTS = {
    "files half written": lambda: setattr(DocumentStore, "save", _then_die(DocumentStore.save)),
    "before the manifest": lambda: setattr(snapshots, "write_manifest", _die),
    "before the rename": lambda: setattr(snapshots, "_swap", _die),
    "before the pointer": lambda: setattr(snapshots, "_point", _die),
    "pointer written, not swapped": lambda: setattr(snapshots.os, "replace", _die),
    "swapped, not pruned": lambda: setattr(snapshots, "_prune", _die),
}


def _write(index: Path, op: str, arg: str) -> None:
    embedder = HashingEmbedder(64)
    if op == "build":
        build([Path(arg)], index, Settings(), embedder=embedder)
    elif op == "add":
        add([Path(arg)], index, embedder=embedder)
    else:
        remove([arg], index, embedder=embedder)


def _run(scenario: dict) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            POINTS[scenario["point"]]()
            _write(Path(scenario["index"]), scenario["op"], scenario["arg"])
        finally:
            os._exit(0)  # not reached when the point is
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)


if __name__ == "__main__":
    scenarios = json.loads(Path(sys.argv[1]).read_text())
    print(json.dumps([_run(s) for s in scenarios]))
