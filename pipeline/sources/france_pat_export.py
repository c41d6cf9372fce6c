"""The files of a France PAT export and the rows of its main table.

An export is a folder holding ``pats-<date>.csv`` (one row per PAT) and
``pats-axe-<axis>-<date>-win1252.csv`` (one row per PAT, one column group per action).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..documents import Problem
from .delimited import read_table
from .records import split_list

MAIN_TABLE = re.compile(r"^pats-(?P<stamp>\d{8})(?P<cp1252>-win1252)?\.csv$")
AXIS_TABLE = re.compile(r"^pats-axe-(?P<axis>.+)-(?P<stamp>\d{8})(?P<cp1252>-win1252)?\.csv$")
# The axes France PAT exports one table each for (export of July 2025): an export lacking one
# of them has lost that axis's actions, which must be said, not passed over.
EXPORT_AXES = (
    "culturel-et-gastronomie", "economie-alimentaire", "education-alimentaire", "environnement",
    "gouvernance", "justice-sociale", "nutrition-et-sante", "restauration-collective", "urbanisme",
)  # fmt: skip


@dataclass(frozen=True)
class Export:
    """One dated export: its main table (if present) and its axis tables sorted by axis."""

    stamp: str
    main: Path | None
    axes: tuple[tuple[str, Path], ...]


@dataclass(frozen=True)
class PatRow:
    """A main-table row whose id is sound."""

    id: str
    line: int
    title: str
    cells: dict[str, str]

    def territory(self) -> dict[str, list[str]]:
        """The territory codes and names an action inherits from its PAT."""
        return {
            "communes_code_insee": split_list(self.cells.get("communes_code_insee", "")),
            "departement": split_list(self.cells.get("departement", "")),
            "regions": split_list(self.cells.get("regions", "")),
        }


def find_exports(folder: Path) -> list[Export]:
    """Exports in ``folder`` by date. Where France PAT publishes a table twice (UTF-8 and
    ``-win1252``), the UTF-8 one is read."""
    mains: dict[str, Path] = {}
    axes: dict[str, dict[str, Path]] = {}
    # Sorting puts a name without "-win1252" before its cp1252 twin; setdefault keeps it.
    for path in sorted(folder.iterdir(), key=lambda p: (p.name.replace("-win1252", ""), p.name)):
        if main := MAIN_TABLE.match(path.name):
            mains.setdefault(main["stamp"], path)
        elif axis := AXIS_TABLE.match(path.name):
            axes.setdefault(axis["stamp"], {}).setdefault(axis["axis"], path)
    stamps = sorted(set(mains) | set(axes))
    return [
        Export(stamp, mains.get(stamp), tuple(sorted(axes.get(stamp, {}).items())))
        for stamp in stamps
    ]


def missing_axes(export: Export, folder: Path) -> list[Problem]:
    """One Problem per axis table an export with axis tables lacks; one for an export with none."""
    if not export.axes:
        name = f"pats-axe-*-{export.stamp}-win1252.csv"
        return [Problem(str(folder / name), None, "no axis table: the PATs only, no action")]
    present = {axis for axis, _ in export.axes}
    return [
        Problem(
            str(folder / f"pats-axe-{axis}-{export.stamp}-win1252.csv"),
            None,
            f"axis file missing: the actions of the {axis!r} axis are not read",
        )
        for axis in EXPORT_AXES
        if axis not in present
    ]


def pat_title(cells: dict[str, str]) -> str:
    return cells.get("nom_usuel", "").strip() or cells.get("nom_administratif", "").strip()


def read_main_table(path: Path) -> Iterator[PatRow | Problem]:
    """Rows of the main table; a row whose ``id`` is not a number (a damaged record whose
    cells are shifted) is a Problem."""
    table = read_table(path)
    if isinstance(table, Problem):
        yield table
        return
    if "id" not in table.header:
        yield Problem(str(path), 1, "no `id` column: not a France PAT main table")
        return
    for row in table.rows:
        if isinstance(row, Problem):
            yield row
            continue
        pat_id = row.cells["id"].strip()
        if not pat_id.isdigit():
            excerpt = " ".join(pat_id.split())[:40]
            reason = f"damaged record: the id cell holds text ({excerpt!r}…), its cells are shifted"
            yield Problem(str(path), row.line, reason)
            continue
        yield PatRow(pat_id, row.line, pat_title(row.cells), row.cells)
