"""Human-readable output of the CLI, and writing a file so that it is never half-written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


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


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
