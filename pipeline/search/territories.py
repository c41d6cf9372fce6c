"""Where a set of initiatives is: the counts by département a map is drawn from.

One rule for the page and the themed index: an initiative counts once in each département of
its territory (an intercommunality or a park over three départements counts in the three);
one placed only in a région shades nothing and counts under that région; one with no
territory counts under "sans territoire". Nothing is ever placed where no text or source put
it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..extract import departement_name, region_name
from .basemap import load_basemap

LEVELS = 5  # shades of the legend, lightest first


class Located(Protocol):
    """What is known of an initiative's territory (``Facets`` and ``Territory`` are)."""

    departements: Collection[str]
    regions: Collection[str]


@dataclass(frozen=True)
class PlaceCount:
    code: str
    name: str
    count: int
    level: int = 0  # 1..LEVELS for a département, its shade; 0 for a région
    on_map: bool = True  # False: a région, or a collectivity the map does not draw (975…)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "count": self.count,
            "level": self.level,
            "on_map": self.on_map,
        }


@dataclass(frozen=True)
class MapCounts:
    total: int  # initiatives counted
    departements: tuple[PlaceCount, ...]  # by name
    regions_only: tuple[PlaceCount, ...]  # initiatives placed in a région and no département
    without_territory: int
    steps: tuple[int, ...]  # the smallest count of each shade, one per level

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "departements": [d.to_dict() for d in self.departements],
            "regions_only": [r.to_dict() for r in self.regions_only],
            "without_territory": self.without_territory,
            "legend": legend(self.steps),
        }


def map_counts(initiatives: Iterable[Located]) -> MapCounts:
    """Counts by département, by région for those placed in a région only, and those with
    no territory."""
    departements: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    total = without = 0
    for where in initiatives:
        total += 1
        if where.departements:
            departements.update(set(where.departements))
        elif where.regions:
            regions.update(set(where.regions))
        else:
            without += 1
    steps = shade_steps(max(departements.values(), default=0))
    drawn = load_basemap().names
    placed = [
        PlaceCount(c, drawn.get(c) or departement_name(c), n, level_of(n, steps), c in drawn)
        for c, n in departements.items()
    ]
    only = [PlaceCount(c, region_name(c), n, on_map=False) for c, n in regions.items()]
    return MapCounts(total, _by_name(placed), _by_name(only), without, steps)


def shade_steps(most: int) -> tuple[int, ...]:
    """The smallest count of each shade: one shade per count up to LEVELS, else bounds
    spaced evenly on a log scale from 1 to ``most`` (1, 2, 3, 6, 10 for 10), as counts of
    places are skewed: a few départements hold many initiatives."""
    if most <= LEVELS:
        return tuple(range(1, most + 1))
    bounds = {round(most ** (k / (LEVELS - 1))) for k in range(LEVELS)}
    return tuple(sorted(bounds))


def level_of(count: int, steps: tuple[int, ...]) -> int:
    """The shade of ``count``: the largest count always gets the darkest (LEVELS), so that a
    few results, one per département, show as clearly as many."""
    rank = sum(1 for step in steps if count >= step)
    return LEVELS - len(steps) + rank if rank else 0


def legend(steps: tuple[int, ...]) -> list[dict[str, Any]]:
    """Each shade with the counts it stands for: ``{"level", "min", "max", "label"}``."""
    rows = []
    for k, low in enumerate(steps):
        high = steps[k + 1] - 1 if k + 1 < len(steps) else None
        label = str(low) if high in (None, low) else f"{low} à {high}"  # the last is the most
        rows.append({"level": level_of(low, steps), "min": low, "max": high, "label": label})
    return rows


def _by_name(counts: list[PlaceCount]) -> tuple[PlaceCount, ...]:
    return tuple(sorted(counts, key=lambda c: (c.name.casefold(), c.code)))
