"""Build one index of everything: the seed corpus, France PAT (PATs and actions), Transiscope.

Prints documents, passages, seconds, passages/s, peak memory and the index size on disk.
Entities and themes are extracted as in a normal build (``--no-annotate`` to leave them out).

    python benchmarks/build_all.py [--no-annotate]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, ROOT, peak_memory_mb, require_shared_data  # noqa: E402
from pipeline.index import Feedback, build, snapshots  # noqa: E402
from pipeline.settings import Settings  # noqa: E402


class Problems(Feedback, list):
    """The records a build skips."""

    def problem(self, problem) -> None:
        self.append(problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-annotate", action="store_true")
    args = parser.parse_args()
    data = require_shared_data()
    index_dir = OUT / "all"
    shutil.rmtree(index_dir, ignore_errors=True)  # a cold build: nothing to reuse
    problems = Problems()
    report = build(
        [ROOT / "corpus", data / "pat", data / "transiscope"],
        index_dir,
        Settings(),
        annotate=not args.no_annotate,
        feedback=problems,
    )
    folder = snapshots.snapshot(index_dir)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"documents {report.documents}, skipped {report.skipped}, passages {report.passages}")
    print(
        f"build {report.seconds:.0f} s, {report.passages / report.seconds:.1f} passages/s "
        f"(annotations {'off' if args.no_annotate else 'on'}), "
        f"{'exact' if report.exact else 'approximate'} index"
    )
    print(f"peak memory {peak_memory_mb():.0f} MB, index on disk {size:.1f} MB")
    if report.profile is not None:
        used = "used" if report.profile.used else "left out"
        print(f"action profile {report.profile.name}: fit {report.profile.fit:.2f}, {used}")


if __name__ == "__main__":
    main()
