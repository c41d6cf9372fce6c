"""Shared by the benchmarks: where the real data is, timing and memory figures."""

from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out"  # git ignores it: indexes and caches of benchmark runs


def require_shared_data() -> Path:
    if not (SHARED_DATA / "pat").is_dir():
        print(f"skipped: {SHARED_DATA}/pat is absent (the benchmarks need the real data)")
        sys.exit(0)
    return SHARED_DATA


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(label: str, results: dict):
    started = time.perf_counter()
    yield
    results[label] = time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]
