"""The gold place sentences (tests/data/place_sentences.tsv) and how ``tag`` is scored on them.

Each row is a short French text in one of the styles real case studies are written in
("A Montpellier", "CCAS de Grenoble", "Nord-Pas-de-Calais", "dans l'Allier (03)"...), with the
régions, départements and communes a careful reader resolves, and readings that would be wrong
(``not``: "commune:65005"). Shared by tests/test_place_sentences.py and
benchmarks/extraction_sentences.py.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract.places import TRUSTED

SENTENCES = Path(__file__).resolve().parent / "data" / "place_sentences.tsv"


@dataclass(frozen=True)
class Gold:
    id: str
    style: str
    text: str
    regions: frozenset[str]
    departements: frozenset[str]
    communes: frozenset[str]
    wrong: frozenset[str]  # "commune:65005", "departement:59", "region:24"


def read_gold(path: Path = SENTENCES) -> list[Gold]:
    def codes(value: str) -> frozenset[str]:
        return frozenset(c.strip() for c in value.split(",") if c.strip())

    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Gold(r["id"], r["style"], r["text"], codes(r["regions"]), codes(r["departements"]),
                 codes(r["communes"]), codes(r["not"]))
            for r in rows
        ]  # fmt: skip


@dataclass
class Score:
    """Counts over many sentences: codes right, found and expected, per level."""

    right: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    wrong_readings: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, gold: Gold, entities) -> None:
        regions, deps = set(entities.territory.regions), set(entities.territory.departements)
        communes = {p.code for p in entities.places if p.kind == "commune" and p.code}
        # A commune kept with a low confidence (far from the rest of the text) is not read
        # as the text's place: only trusted ones can be wrong readings.
        sure = [p for p in entities.places
                if p.kind == "commune" and p.code and p.confidence >= TRUSTED]  # fmt: skip
        trusted = {p.code for p in sure}
        self._level("région", regions, gold.regions, count_found=True)
        # A text placed by its région only ("en Bretagne") has no gold département to judge.
        judged = bool(gold.departements) or not gold.regions
        self._level("département", deps, gold.departements, count_found=judged)
        self._level("commune", communes & gold.communes, gold.communes, count_found=False)
        # Precision of communes: trusted ones lying in the gold territory (the gold lists
        # only the communes a reader is sure of, not every one a text names).
        inside = [p for p in sure if p.departement in gold.departements or (
            not gold.departements and p.region in gold.regions)]  # fmt: skip
        self.right["commune in territory"] += len(inside)
        self.found["commune in territory"] += len(sure)
        found = {f"region:{c}" for c in regions} | {f"departement:{c}" for c in deps}
        found |= {f"commune:{c}" for c in trusted}
        for reading in sorted(found & gold.wrong):
            self.wrong_readings.append(f"{gold.id} {reading}: {gold.text}")
        if regions != set(gold.regions) or (judged and deps != set(gold.departements)):
            places = "; ".join(f"{p.text}->{p.code or list(p.candidates[:3])}"
                               for p in entities.places)  # fmt: skip
            self.misses.append(f"{gold.id} [{gold.style}] gold {sorted(gold.regions)}/"
                               f"{sorted(gold.departements)} found {sorted(regions)}/"
                               f"{sorted(deps)} | {places} | {gold.text}")  # fmt: skip

    def _level(self, level: str, found: set[str], gold: frozenset[str], count_found: bool):
        self.right[level] += len(found & gold)
        self.expected[level] += len(gold)
        if count_found:
            self.found[level] += len(found)

    def recall(self, level: str) -> float:
        return self.right[level] / self.expected[level] if self.expected[level] else 1.0

    def precision(self, level: str) -> float:
        return self.right[level] / self.found[level] if self.found[level] else 1.0
