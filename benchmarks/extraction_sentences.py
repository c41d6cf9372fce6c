"""Places in the styles of real case studies: ``tag`` on the gold sentences of
tests/data/place_sentences.tsv, by style (région and département recall and precision,
communes found, wrong readings).

    python benchmarks/extraction_sentences.py [--model fr_core_news_md] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.extract import Extractor  # noqa: E402
from tests.place_gold import Score, read_gold  # noqa: E402


def line(name: str, n: int, score: Score) -> str:
    return (f"{name:<22} {n:>4}  région R {score.recall('région'):.3f} "
            f"P {score.precision('région'):.3f}  département R {score.recall('département'):.3f} "
            f"P {score.precision('département'):.3f}  communes R {score.recall('commune'):.3f} "
            f"P {score.precision('commune in territory'):.3f}  "
            f"wrong readings {len(score.wrong_readings)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="fr_core_news_md")
    parser.add_argument("--errors", action="store_true", help="print misses and wrong readings")
    args = parser.parse_args()
    golds = read_gold()
    extractor = Extractor(args.model)
    started = time.perf_counter()
    results = extractor.extract_many([g.text for g in golds])
    elapsed = time.perf_counter() - started
    print(f"{len(golds)} sentences in {elapsed:.1f} s")
    total, by_style, counts = Score(), defaultdict(Score), defaultdict(int)
    for gold, entities in zip(golds, results, strict=True):
        total.add(gold, entities)
        by_style[gold.style].add(gold, entities)
        counts[gold.style] += 1
    for style, score in by_style.items():
        print(line(style, counts[style], score))
    print(line("all", len(golds), total))
    if args.errors:
        for reading in total.wrong_readings:
            print("  wrong:", reading)
        for miss in total.misses:
            print("  miss:", miss)


if __name__ == "__main__":
    main()
