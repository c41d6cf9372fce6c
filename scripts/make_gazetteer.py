"""Regenerate the place gazetteer in pipeline/data/gazetteer/ from official data.

Sources: the npm packages @etalab/decoupage-administratif (today's geography) and @etalab/cog
(an older Code officiel géographique, for the names of communes merged since), both code MIT,
data Licence Ouverte, fetched with ``npm pack`` into a temporary folder that is deleted
afterwards. Nothing of the tarballs is kept: only compact gzipped TSV files are written.

    python scripts/make_gazetteer.py            # uses npm pack
    python scripts/make_gazetteer.py --tarball etalab-decoupage-administratif-6.0.0.tgz \
        --history etalab-cog-0.1.0.tgz

The ``common`` flag of a commune or département says that its name reads as an everyday French
word ("Bio", "Plan", "Cours", "Lire" for Liré, "Lot"): the extractor then wants a place cue
before it accepts a mention. Vocabulary comes from the spaCy model's lemmatizer
tables, frequencies from the ``wordfreq`` package (pip install "wordfreq>=3.1,<4"), needed to
run this script only.

The hand-made files (pnr.tsv, aliases.tsv, organisations.tsv) are not touched.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import tarfile
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif@6.0.0"
HISTORY = "@etalab/cog@0.1.0"
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "gazetteer"
COMMUNE_TYPES = {
    "commune-actuelle": "actuelle",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
}
COMMON_ZIPF = 3.5  # wordfreq Zipf scale: 3.5 is about once in 300,000 words
ARTICLES = {"le", "la", "les", "l", "de", "du", "des", "d", "aux", "au", "en", "sur", "sous", "et"}


def fetch_tarball(workdir: Path, package: str) -> Path:
    """Run ``npm pack`` in ``workdir`` and return the tarball it wrote."""
    before = set(workdir.glob("*.tgz"))
    subprocess.run(
        ["npm", "pack", package, "--silent"], cwd=workdir, check=True, capture_output=True
    )
    return (set(workdir.glob("*.tgz")) - before).pop()


def read_package(tarball: Path) -> dict[str, list[dict]]:
    """Return the JSON data files of the package, by stem (communes, epci, ...)."""
    data = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            match = re.fullmatch(r"package/data/(\w+)\.json", member.name)
            if match:
                data[match.group(1)] = json.load(tar.extractfile(member))
    return data


class FrenchWords:
    """Is a word French vocabulary, and how frequent? (build time only)

    Vocabulary: the lemmatizer tables of the spaCy model fr_core_news_md, which leave most town
    names out ("lyon", "nantes") but hold "bois", "cours", "lot". Frequency: the ``wordfreq``
    package, so that rare dictionary words ("coulon", a pigeon) do not count.
    """

    def __init__(self) -> None:
        import spacy
        from wordfreq import zipf_frequency

        lookups = spacy.load("fr_core_news_md").get_pipe("lemmatizer").lookups
        self._forms = lookups.get_table("lemma_lookup")
        self._lemmas = {lemma for lemmas in self._forms.values() for lemma in lemmas}
        for lemmas in lookups.get_table("lemma_index").values():
            self._lemmas.update(lemmas)
        self._zipf = zipf_frequency

    def frequent_words(self) -> list[str]:
        """Everyday words (folded, sorted): the extractor's test for Title Case phrases
        ("Stratégie Agricole") that spaCy takes for organisations or persons."""
        from wordfreq import top_n_list

        words = set()
        for word in top_n_list("fr", 60_000):
            if word.isalpha() and self.is_word(word) and self._zipf(word, "fr") >= COMMON_ZIPF:
                words.add(fold(word))
        return sorted(words)

    def is_word(self, token: str) -> bool:
        """In the dictionary; or so frequent that it must be a word: the lemmatizer tables
        leave out some invariable nouns ("corps"), and town names stay below Zipf 5 ("lyon")."""
        if token in ARTICLES or token in self._forms or token in self._lemmas:
            return True
        return self._zipf(token, "fr") >= 5.0

    def _forms_of(self, name: str) -> list[list[str]]:
        """The tokens of ``name`` with and without accents, when it has two content words
        at most (longer names are never read as words)."""
        forms = []
        for form in (name.lower(), fold(name.lower())):
            tokens = [t for t in re.split(r"[\s\-'’]+", form) if t]
            if len([t for t in tokens if t not in ARTICLES]) <= 2:
                forms.append(tokens)
        return forms

    def is_common(self, name: str) -> bool:
        """True when ``name``, with or without its accents, reads as everyday French words
        ("Bio", "Cours", "Lire" for Liré); always for three letters or fewer."""
        if len(name) <= 3:
            return True
        return any(
            all(self.is_word(t) for t in tokens)
            and self._zipf(" ".join(tokens), "fr") >= COMMON_ZIPF
            for tokens in self._forms_of(name)
        )

    def is_vocabulary(self, name: str) -> bool:
        """True when ``name`` is made of dictionary words, however rare ("Agneaux")."""
        return self.is_common(name) or any(
            all(self.is_word(t) for t in tokens) for tokens in self._forms_of(name)
        )


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def gzip_text(path: Path) -> io.TextIOWrapper:
    """A gzip file written without a timestamp, so that regenerating gives the same bytes."""
    raw = gzip.GzipFile(path, "wb", compresslevel=9, mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def write_tsv(path: Path, header: list[str], rows: list[list]) -> None:
    with gzip_text(path) as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def commune_rows(communes: list[dict], epci_of: dict[str, str], words: FrenchWords) -> list[list]:
    rows = []
    for c in communes:
        kind = COMMUNE_TYPES.get(c["type"])
        if kind is None:  # municipal arrondissements of Paris, Lyon, Marseille
            continue
        rows.append(
            [
                c["code"],
                c["nom"],
                kind,
                c.get("departement", ""),
                c.get("region", ""),
                c.get("population", "") if kind == "actuelle" else "",
                " ".join(c.get("codesPostaux", [])),
                epci_of.get(c["code"], "") if kind == "actuelle" else "",
                c.get("chefLieu", ""),
                int(words.is_common(c["nom"])),
                int(words.is_vocabulary(c["nom"])),
            ]
        )
    return rows


def epci_rows(epcis: list[dict], dep_of: dict[str, str], region_of: dict[str, str]) -> list[list]:
    """One row per EPCI; départements ordered by the population they hold in it."""
    rows = []
    for e in epcis:
        weight: Counter[str] = Counter()
        for m in e["membres"]:
            dep = dep_of.get(m["code"])
            if dep:
                weight[dep] += m.get("populationTotale") or 1
        deps = [d for d, _ in weight.most_common()]
        regions = list(dict.fromkeys(region_of[d] for d in deps))
        rows.append(
            [
                e["code"],
                e["nom"],
                e["type"],
                ",".join(deps),
                ",".join(regions),
                e["populationTotale"],
            ]
        )
    return rows


def former_rows(current: list[dict], history: list[dict], words: FrenchWords) -> list[list]:
    """Names of communes merged into a commune nouvelle ("Courcouronnes" -> 91228
    Évry-Courcouronnes): today's commune lists its former codes (``anciensCodes``), the older
    COG names them. A name the commune still carries (as a delegated commune) is left out."""
    old_names = {c["code"]: c["nom"] for c in history}
    living = {(c["code"], c["nom"]) for c in current if c["type"] in COMMUNE_TYPES}
    rows = []
    for c in current:
        if c["type"] != "commune-actuelle":
            continue
        for old in c.get("anciensCodes", []):
            name = old_names.get(old)
            if not name or name == c["nom"] or (old, name) in living:
                continue
            rows.append([name, old, c["code"], int(words.is_common(name))])
    return sorted(rows, key=lambda row: (row[2], row[1]))


def build(tarball: Path, history_tarball: Path, out: Path) -> dict[str, int]:
    data = read_package(tarball)
    history = read_package(history_tarball)["communes"]
    words = FrenchWords()
    epci_of = {m["code"]: e["code"] for e in data["epci"] for m in e["membres"]}
    communes = commune_rows(data["communes"], epci_of, words)
    dep_of = {row[0]: row[3] for row in communes if row[2] == "actuelle"}
    region_of = {d["code"]: d["region"] for d in data["departements"]}
    out.mkdir(parents=True, exist_ok=True)
    header = "code name type departement region population postcodes epci chef_lieu common word"
    write_tsv(out / "communes.tsv.gz", header.split(), communes)
    epcis = epci_rows(data["epci"], dep_of, region_of)
    header = ["siren", "name", "type", "departements", "regions", "population"]
    write_tsv(out / "epci.tsv.gz", header, epcis)
    deps = [
        [d["code"], d["nom"], d["region"], d["typeLiaison"], int(words.is_common(d["nom"])),
         d["chefLieu"]]
        for d in data["departements"]
    ]  # fmt: skip
    header = ["code", "name", "region", "liaison", "common", "chef_lieu"]
    write_tsv(out / "departements.tsv.gz", header, deps)
    regs = [[r["code"], r["nom"], r["typeLiaison"]] for r in data["regions"]]
    write_tsv(out / "regions.tsv.gz", ["code", "name", "liaison"], regs)
    former = former_rows(data["communes"], history, words)
    write_tsv(out / "former_communes.tsv.gz", ["name", "old_code", "code", "common"], former)
    frequent = words.frequent_words()
    with gzip_text(out / "french_words.txt.gz") as handle:
        handle.write("\n".join(frequent) + "\n")
    return {"communes": len(communes), "epci": len(epcis), "departements": len(deps),
            "former communes": len(former), "everyday words": len(frequent)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a tarball of {PACKAGE} (else npm pack)")
    parser.add_argument("--history", type=Path, help=f"a tarball of {HISTORY} (else npm pack)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp), PACKAGE)
        history = args.history or fetch_tarball(Path(tmp), HISTORY)
        counts = build(tarball, history, args.out)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()), "written to", args.out)


if __name__ == "__main__":
    main()
