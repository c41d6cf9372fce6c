"""The server's memory across index updates: RSS after each of N snapshot swaps.

Builds the seed corpus with the real model into benchmarks/out/memory-index (once), copies its
snapshot so that two live side by side, then points CURRENT at one and the other in turn, as
`add` and `remove` do. After each swap the server's holder opens the new snapshot and answers a
query and a tag, as the first requests after an update would; the resident memory of this
process is printed after each swap, with the embedders alive.

    python benchmarks/server_memory.py [--swaps 9]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

from common import OUT, ROOT

from pipeline import api
from pipeline.server.holder import IndexHolder


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def two_snapshots(index: Path) -> tuple[str, str]:
    if not (index / "CURRENT").is_file():
        subprocess.run(
            [sys.executable, str(ROOT / "search.py"), "build", str(ROOT / "corpus")]
            + ["--index", str(index)],
            check=True,
        )
    first = (index / "CURRENT").read_text().strip()
    second = first + "-copy"
    if not (index / second).is_dir():
        shutil.copytree(index / first, index / second)
    return first, second


def point(index: Path, name: str) -> None:
    (index / ".CURRENT-bench").write_text(name + "\n")
    os.replace(index / ".CURRENT-bench", index / "CURRENT")


def embedders_alive() -> int:
    with warnings.catch_warnings():  # some objects warn when their attributes are probed
        warnings.simplefilter("ignore")
        return sum(
            not isinstance(o, type) and hasattr(type(o), "embed_queries") for o in gc.get_objects()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=9)
    args = parser.parse_args()
    index = OUT / "memory-index"
    names = two_snapshots(index)
    point(index, names[0])
    holder = IndexHolder(index, api.open_index)
    started = time.perf_counter()
    api.tag_text(holder.searcher(), "Une scierie coopérative à Saint-Dié-des-Vosges.")
    print(f"opened and tagged once: {rss_mb():.0f} MB ({time.perf_counter() - started:.1f} s)")
    for swap in range(1, args.swaps + 1):
        point(index, names[swap % 2])
        started = time.perf_counter()
        searcher = holder.searcher()
        api.query(searcher, "monnaie locale")
        api.tag_text(searcher, "Une scierie coopérative à Saint-Dié-des-Vosges.")
        del searcher
        gc.collect()
        print(
            f"after swap {swap}: {rss_mb():.0f} MB, {embedders_alive()} embedder(s) alive "
            f"(swap and first answers {time.perf_counter() - started:.1f} s)"
        )


if __name__ == "__main__":
    main()
