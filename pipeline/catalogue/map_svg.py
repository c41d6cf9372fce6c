"""The maps of the themed index's page, as inline SVG and without script: the base map's paths
are defined once per page and each map reuses them (``<use>``), shaded by its counts; a
département's ``<title>`` names it and its count on hover."""

from __future__ import annotations

from html import escape

from ..search.basemap import ATTRIBUTION, Basemap, load_basemap
from ..search.territories import MapCounts, legend

# The shades of the web page's style sheet (pipeline/server/static/style.css), lightest first.
SHADES = ("#e9e6dc", "#c9e3d4", "#93c4a8", "#5fa283", "#367c60", "#1a5740")
MAP_STYLE = (
    ".map{margin:0}.map svg{display:block;width:100%;height:auto}"
    ".map use{stroke:#fff;stroke-width:.6;stroke-linejoin:round}.map .zoom use{stroke-width:.15}"
    ".map .inset rect{fill:none;stroke:#b9b4a6;stroke-width:.8}"
    ".map .inset text{font-size:18px;fill:#5b6b61}"
    ".map-legend{list-style:none;padding:0;margin:.2rem 0;display:flex;flex-wrap:wrap;"
    "gap:.1rem .6rem;font-size:.8rem}"
    ".swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;"
    "margin-right:.2rem;vertical-align:-.1rem;border:1px solid #cfcabc}"
    ".credit{font-size:.75rem;color:#5b6b61}"
    + "".join(f".l{k}{{fill:{c}}}.swatch.l{k}{{background:{c}}}" for k, c in enumerate(SHADES))
)


def map_defs(basemap: Basemap | None = None) -> str:
    """The paths every map of the page uses, once."""
    basemap = basemap or load_basemap()
    paths = "\n".join(f'<path id="dep-{c}" d="{p}"/>' for c, p in basemap.paths.items())
    return (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
        f"<defs>\n{paths}\n</defs></svg>"
    )


def map_figure(counts: MapCounts, caption: str, noun: str = "initiative") -> str:
    """One map: the départements shaded by ``counts``, the insets, a legend of the shades."""
    basemap = load_basemap()
    by_code = {d.code: d for d in counts.departements}
    zoomed = {code for inset in basemap.insets if inset.zoom for code in inset.departements}
    insets = "".join(
        f'<g class="inset"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4"/>'
        f'<text x="{x + 4}" y="{y + 19}">{escape(inset.label)}</text></g>'
        for inset in basemap.insets
        for x, y, w, h in [inset.box]
    )
    shapes = "".join(_use(c, n, by_code, noun) for c, n in basemap.names.items() if c not in zoomed)
    for inset in (i for i in basemap.insets if i.zoom):
        z = inset.zoom
        shapes += f'<g class="zoom" transform="translate({z["dx"]} {z["dy"]}) scale({z["scale"]})">'
        shapes += "".join(_use(c, basemap.names[c], by_code, noun) for c in inset.departements)
        shapes += "</g>"
    placed = len(counts.departements)
    label = f"{caption} : {placed} département{'s' if placed > 1 else ''} sur la carte"
    return (
        f'<figure class="map"><svg viewBox="{basemap.view_box}" role="img" '
        f'aria-label="{escape(label)}">{insets}{shapes}</svg>'
        f"<figcaption>{escape(caption)}</figcaption>{_legend(counts)}</figure>"
    )


def _use(code: str, name: str, by_code: dict, noun: str) -> str:
    found = by_code.get(code)
    if found is None:
        return f'<use href="#dep-{code}" class="l0"/>'
    count = f"{found.count} {noun}{'s' if found.count > 1 else ''}"
    return (
        f'<use href="#dep-{code}" class="l{found.level}">'
        f"<title>{escape(name)} ({code}) : {count}</title></use>"
    )


def _legend(counts: MapCounts) -> str:
    steps = [(0, "aucune")] + [(r["level"], r["label"]) for r in legend(counts.steps)]
    items = "".join(f'<li><span class="swatch l{k}"></span>{escape(t)}</li>' for k, t in steps)
    return f'<ul class="map-legend" aria-hidden="true">{items}</ul>'


def credit() -> str:
    return f'<p class="credit">{escape(ATTRIBUTION)}.</p>'
