"""Results, tagged texts and build reports as text a person reads (what the CLI prints)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..index import BuildReport
from ..text import shorten
from .results import Hit, Neighbours, Results


def format_results(results: Results) -> str:
    """A readable ranked list: title, score, territory, themes, reasons, the passage."""
    if not results.hits:
        return f"no result for {results.query!r}"
    lines = []
    for rank, hit in enumerate(results.hits, 1):
        lines.append(f"{rank}. {hit.title}  [{hit.id}]  score {hit.score:.3f}")
        if territory := territory_label(hit):
            lines.append(f"   territoire : {territory}")
        if hit.themes:
            lines.append("   thèmes : " + " ; ".join(t.get("label", t["id"]) for t in hit.themes))
        lines.extend(f"   · {reason}" for reason in hit.reasons)
        lines.append(f"   « {shorten(hit.passage, 220)} »")
    return "\n".join(lines)


NEIGHBOUR_FORMATS = ("text", "jsonl", "csv")
NEIGHBOUR_COLUMNS = (
    "id",
    "title",
    "rank",
    "neighbour_id",
    "neighbour_title",
    "score",
    "shared_themes",
)


def format_neighbours(table: Iterable[Neighbours], fmt: str = "text") -> Iterator[str]:
    """The related-initiatives table, one piece of text per document, each ending in a line
    break: ``jsonl`` one object a document (``{"id", "title", "results"}``, results as
    ``similar --json`` gives them), ``csv`` a header then one row per neighbour, ``text`` a
    short list a person reads."""
    if fmt not in NEIGHBOUR_FORMATS:
        raise ParameterError(
            "fmt", f"{fmt!r}: unknown; choose one of {', '.join(NEIGHBOUR_FORMATS)}"
        )
    return _formatted(table, fmt)


def _formatted(table: Iterable[Neighbours], fmt: str) -> Iterator[str]:
    if fmt == "csv":
        yield _csv_rows([NEIGHBOUR_COLUMNS])
    for neighbours in table:
        if fmt == "jsonl":
            yield json.dumps(neighbours.to_dict(), ensure_ascii=False) + "\n"
        elif fmt == "csv":
            yield _csv_rows(_neighbour_rows(neighbours))
        else:
            yield _neighbours_text(neighbours)


def _neighbour_rows(neighbours: Neighbours) -> list[tuple]:
    return [
        (
            neighbours.id,
            neighbours.title,
            rank,
            hit.id,
            hit.title,
            f"{hit.score:.4f}",
            " ; ".join(neighbours.shared_themes(hit)),
        )
        for rank, hit in enumerate(neighbours.results.hits, 1)
    ]


def _csv_rows(rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _neighbours_text(neighbours: Neighbours) -> str:
    lines = [f"== {neighbours.title}  [{neighbours.id}]"]
    lines.extend(
        f"  {rank}. {hit.title}  [{hit.id}]  score {hit.score:.3f}"
        for rank, hit in enumerate(neighbours.results.hits, 1)
    )
    if not neighbours.results.hits:
        lines.append("  (aucune autre initiative)")
    return "\n".join(lines) + "\n"


def territory_label(hit: Hit) -> str:
    """The territory to show for a result: as the source wrote it, else as extracted."""
    written = hit.metadata.get("territory")
    if written:
        return str(written)
    names = [p.get("name") or p["text"] for p in hit.places if p.get("kind") != "other"]
    return ", ".join(dict.fromkeys(names))


def format_summary(report: BuildReport, index_dir: Path) -> str:
    kind = "exact" if report.exact else "approximate"
    summary = (
        f"indexed {report.documents} documents, skipped {report.skipped} "
        f"({report.passages} passages, {report.embedded} embedded, {report.reused} reused, "
        f"{kind} index) in {report.seconds:.1f}s -> {index_dir}/"
    )
    profile = report.profile
    if profile is None:
        return summary
    if profile.gate:
        return f"{summary}\naction profile {profile.name}: {describe_gate(profile.gate)}"
    if profile.used:
        return f"{summary}\naction profile {profile.name}: used (fit {profile.fit:.2f})"
    return (
        f"{summary}\naction profile {profile.name}: left out, the corpus is unlike the texts "
        f"it learned from (fit {profile.fit:.2f} < {profile.min_fit})"
    )


def describe_gate(gate: dict[str, Any]) -> str:
    """The profile head's gate as a build measured it (``GateMeasure.to_dict()``)."""
    verdict = "used, it gains" if gate["used"] else "left out, no sure gain"
    return (
        f"{verdict} on the corpus's labels ({gate['labels']}): label overlap of the "
        f"10 nearest {gate['without']:.3f} without it, {gate['with_head']:.3f} "
        f"with it, over {gate['queries']} documents (measured in {gate['seconds']:.1f}s)"
    )


def format_tagged(tagged: dict[str, Any]) -> str:
    lines = [f"== {tagged['file']}"] if "file" in tagged else []
    places = [_place(p) for p in tagged.get("places", [])]
    lines.append("lieux : " + ("; ".join(dict.fromkeys(places)) or "aucun"))
    orgs = [f"{o['name']} ({o['kind']})" for o in tagged.get("organisations", [])]
    lines.append("organisations : " + ("; ".join(dict.fromkeys(orgs)) or "aucune"))
    territory = tagged.get("territory", {})
    lines.append(
        "territoire : départements "
        + (", ".join(territory.get("departements", [])) or "-")
        + " ; régions "
        + (", ".join(territory.get("regions", [])) or "-")
    )
    themes = [f"{t['label']} ({t['score']:.2f})" for t in tagged.get("themes", [])]
    lines.append("thèmes : " + (", ".join(themes) or "aucun"))
    lines.append("initiatives proches :")
    for rank, hit in enumerate(tagged.get("similar", []), 1):
        lines.append(f"  {rank}. {hit['title']}  [{hit['id']}]  score {hit['score']:.3f}")
    return "\n".join(lines)


def _place(place: dict[str, Any]) -> str:
    name = place.get("name") or place["text"]
    if place.get("code"):
        return f"{name} ({place['kind']} {place['code']})"
    candidates = place.get("candidates") or []
    if candidates:
        return f"{name} ({place['kind']}, ambigu : {', '.join(candidates[:5])})"
    return f"{name} ({place['kind']})"
