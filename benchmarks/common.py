"""Shared by the benchmarks: where the real data is, timing and memory figures."""

from __future__ import annotations

import csv
import re
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


class TerritoryScore:
    """Région and département recall and precision of ``tag``'s territory against a gold one.

    Recall: documents whose territory holds one of their gold codes, over documents with a gold.
    Precision: codes found that are gold, over all codes found (summed over documents).
    """

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, level: str, found: set[str], gold: set[str]) -> None:
        hits, docs, right, total = self.counts.setdefault(level, [0, 0, 0, 0])
        if gold:
            hits, docs = hits + bool(found & gold), docs + 1
            right, total = right + len(found & gold), total + len(found)
        self.counts[level] = [hits, docs, right, total]

    def line(self, level: str) -> str:
        hits, docs, right, total = self.counts.get(level, [0, 0, 0, 0])
        recall = f"{hits / docs:.3f} ({hits}/{docs})" if docs else "n/a"
        precision = f"{right / total:.3f} ({right}/{total})" if total else "n/a"
        return f"{level:<12} recall {recall:<20} precision {precision}"


_WORD = re.compile(r"[^\W_]+")


def names_its_place(text: str, departements: set[str]) -> bool:
    """Whether the text writes, as capitalised words, the name of one of its départements or
    their régions (old régions too) or of a commune of them (over 500 inhabitants, not an
    everyday word): the texts a reader can place. Independent of the extractor's cues."""
    from pipeline.extract.gazetteer import DATA_DIR, load_gazetteer, name_key

    gaz = load_gazetteer()  # official names only, so that every version is judged alike
    regions = {gaz.departements[d].region for d in departements if d in gaz.departements}
    keys = {name_key(gaz.departements[d].name) for d in departements if d in gaz.departements}
    keys |= {name_key(gaz.regions[r].name) for r in regions}
    with open(DATA_DIR / "aliases.tsv", encoding="utf-8") as handle:  # "Limousin", "PACA"
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["code"] in (regions if row["kind"] == "region" else departements):
                keys.add(name_key(row["alias"]))
    keys |= {
        name_key(e.name)
        for e in gaz.communes.values()
        if e.departement in departements and e.population >= 500 and not e.common
    }
    words = [(w.group()[0].isupper(), name_key(w.group())) for w in _WORD.finditer(text)]
    return any(
        words[i][0] and " ".join(k for _, k in words[i : i + n]) in keys
        for i in range(len(words))
        for n in range(1, 7)
    )
