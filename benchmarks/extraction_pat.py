"""Place extraction on the real France PAT export: precision, coverage, throughput.

Every PAT lists its own territory (``departement``, ``regions``, ``communes_code_insee``). The
extractor reads each PAT's free text (description of the stakes plus the five strategic
objectives) and we count how many of the places it resolves lie in that territory. A place
outside it is not always a mistake (a PAT may name the wholesale market of Rungis), so the
figures are lower bounds of the true precision; ``--errors`` prints them to look at.

Rules were tuned looking at PATs with an even id; odd ids are reported apart as held out.

    python benchmarks/extraction_pat.py [--model fr_core_news_md] [--limit N] [--errors 30]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import TerritoryScore, names_its_place, require_shared_data  # noqa: E402
from pipeline.extract import Entities, Extractor, resolve_departement, resolve_region  # noqa: E402
from pipeline.extract.gazetteer import load_gazetteer  # noqa: E402
from pipeline.extract.places import TRUSTED  # noqa: E402

TEXT_COLUMNS = ["descriptions_libre_des_enjeux_du_territoire_par_le_porteur"] + [
    f"objectifs_strategiques_{n}" for n in range(1, 6)
]


@dataclass
class Pat:
    id: int
    text: str
    departements: set[str]
    regions: set[str]
    communes: set[str]
    commune_names: set[str]


def read_pats(path: Path) -> tuple[list[Pat], list[str]]:
    """PATs with some free text; problems (the damaged record) as "line: reason"."""
    csv.field_size_limit(10**9)
    pats, problems = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        for row in reader:
            if not row["id"].strip().isdigit():
                problems.append(f"{path.name}:{reader.line_num}: id is not a number, skipped")
                continue
            text = "\n\n".join(row[c].strip() for c in TEXT_COLUMNS if row.get(c, "").strip())
            if not text:
                continue
            deps = {resolve_departement(n) for n in row["departement"].split(",") if n.strip()}
            regions = {resolve_region(n) for n in row["regions"].split(",") if n.strip()}
            communes = {c.strip() for c in row["communes_code_insee"].split(",") if c.strip()}
            names = {n.strip() for n in row["communes_nom"].split(",") if n.strip()}
            pats.append(Pat(int(row["id"]), text, deps - {None}, regions - {None}, communes, names))
    return pats, problems


@dataclass
class Tally:
    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    covered: int = 0
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    territory: TerritoryScore = field(default_factory=TerritoryScore)
    named: TerritoryScore = field(default_factory=TerritoryScore)  # texts naming their place

    def add(self, what: str, ok: bool, error: str = "") -> None:
        self.total[what] += 1
        self.right[what] += ok
        if not ok and error:
            self.errors.append(error)

    def precision(self, what: str) -> str:
        n = self.total[what]
        return f"{self.right[what] / n:.3f} ({self.right[what]}/{n})" if n else "n/a (0)"


def score(pat: Pat, entities: Entities, tally: Tally) -> None:
    tally.documents += 1
    resolved = [p for p in entities.places if p.code and p.kind != "other"]
    tally.covered += bool(resolved)
    for p in resolved:
        context = pat.text[max(0, p.start - 60) : p.end + 40].replace("\n", " ")
        error = f"PAT {pat.id} {p.kind} {p.text!r} -> {p.code} {p.name} ({p.departement}) expected {sorted(pat.departements)} | …{context}…"  # noqa: E501
        if p.kind == "commune":
            tally.add("commune", p.departement in pat.departements, error)
            tally.add("commune (exact code)", p.code in pat.communes)
            if p.confidence >= TRUSTED:  # supported by the rest of the text, or nothing else
                tally.add("commune (confidence >= 0.7)", p.departement in pat.departements)
        elif p.kind == "epci":  # an EPCI may straddle départements
            deps = set(load_gazetteer().epcis[p.code].departements)
            tally.add(p.kind, bool(deps & pat.departements), error)
        elif p.kind == "departement":
            tally.add(p.kind, p.departement in pat.departements, error)
        elif p.kind == "region":
            tally.add("region", p.code in pat.regions, error)
    for p in entities.places:
        if p.kind == "commune" and not p.code:
            tally.total["commune left unresolved"] += 1
    # Recall: the PAT's own communes whose exact name the text writes (homonyms and common
    # words included). Found: resolved to their own code, or the name is part of a place of
    # another kind ("Rennes Métropole", "Pays de Dreux"), which is then the right reading.
    found_codes = {p.code for p in entities.places if p.kind == "commune"}
    wider = [
        (p.start, p.end)
        for p in entities.places
        if p.kind in ("epci", "pays", "pnr", "departement")
    ]
    for code, start in _own_communes_named(pat):
        inside = any(s <= start < e for s, e in wider)
        tally.add("own communes named", code in found_codes or inside)
    tally.territory.add("région", set(entities.territory.regions), pat.regions)
    tally.territory.add("département", set(entities.territory.departements), pat.departements)
    if pat.departements and names_its_place(pat.text, pat.departements):
        tally.named.add("région", set(entities.territory.regions), pat.regions)
        tally.named.add("département", set(entities.territory.departements), pat.departements)


def _own_communes_named(pat: Pat) -> list[tuple[str, int]]:
    """(code, position of its first mention) of the PAT's communes whose name the text writes."""
    gaz = load_gazetteer()
    named = []
    for code in sorted(pat.communes):
        entry = gaz.communes.get(code)
        found = entry and re.search(rf"(?<![\w-]){re.escape(entry.name)}(?![\w-])", pat.text)
        if found:
            named.append((code, found.start()))
    return named


def report(name: str, tally: Tally) -> None:
    print(f"\n{name}: {tally.documents} PATs with text")
    print("  precision: share of resolved places lying in the PAT's own territory")
    for what in ["commune", "commune (confidence >= 0.7)", "commune (exact code)", "epci",
                 "departement", "region"]:  # fmt: skip
        print(f"    {what:<40} {tally.precision(what)}")
    print("  recall")
    print(f"    {'own communes named, found':<40} {tally.precision('own communes named')}")
    print(f"    {'communes left unresolved (candidates)':<40} "
          f"{tally.total['commune left unresolved']}")  # fmt: skip
    print("  territory of the whole text against the PAT's own")
    for level in ("région", "département"):
        print("    " + tally.territory.line(level))
    print("  the same, over PATs whose text names a place of their territory")
    for level in ("région", "département"):
        print("    " + tally.named.line(level))
    share = tally.covered / tally.documents if tally.documents else 0
    print(f"  coverage: PATs with >= 1 resolved place   {share:.3f} "
          f"({tally.covered}/{tally.documents})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="fr_core_news_md")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")
    args = parser.parse_args()
    data = require_shared_data()
    pats, problems = read_pats(data / "pat" / "pats-20250710.csv")
    pats = pats[: args.limit] if args.limit else pats
    for problem in problems:
        print("problem:", problem)
    started = time.perf_counter()
    extractor = Extractor(args.model)
    loaded = time.perf_counter()
    results = extractor.extract_many([p.text for p in pats])
    elapsed = time.perf_counter() - loaded
    chars = sum(len(p.text) for p in pats)
    print(f"model {args.model}: loaded in {loaded - started:.1f} s; {len(pats)} PATs, "
          f"{chars / 1e6:.2f} M chars in {elapsed:.1f} s = {len(pats) / elapsed:.1f} docs/s, "
          f"{chars / elapsed / 1000:.0f} k chars/s")  # fmt: skip
    tallies = {"all": Tally(), "even ids (tuned on)": Tally(), "odd ids (held out)": Tally()}
    for pat, entities in zip(pats, results, strict=True):
        for name in ("all", "odd ids (held out)" if pat.id % 2 else "even ids (tuned on)"):
            score(pat, entities, tallies[name])
    for name, tally in tallies.items():
        report(name, tally)
    for error in tallies["all"].errors[: args.errors]:
        print("  ", error)


if __name__ == "__main__":
    main()
