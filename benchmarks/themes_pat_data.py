"""PAT actions labelled with their axis and sub-category, for benchmarks/themes_pat.py.

Read from the axis files directly rather than through pipeline.sources.france_pat: that source
(rightly, for search) appends the expected result to an action's text and drops a description
equal to the name, so "name + description over 100 characters", the benchmark's definition,
cannot be recovered from its documents.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

MIN_DESCRIPTION = 100  # characters; shorter descriptions say little about the action
_AXIS_FILE = re.compile(r"pats-axe-(.+)-\d{8}-win1252\.csv$")
_ACTION = re.compile(r"(.+)_(\d+)_nom_de_laction$")


@dataclass(frozen=True)
class Action:
    pat_id: int
    axis: str
    subcategory: str  # "<axis>/<sub-category>": unique across axes ("autres" is in several)
    text: str


def read_axis_files(folder: Path) -> list[Action]:
    """Actions with a description over MIN_DESCRIPTION characters, in file order."""
    actions = []
    for path in sorted(folder.glob("pats-axe-*-win1252.csv")):
        axis = _AXIS_FILE.search(path.name).group(1)
        with path.open(encoding="cp1252", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            groups = [m.groups() for c in reader.fieldnames or [] if (m := _ACTION.match(c))]
            for row in reader:
                if not (row.get("id") or "").strip().isdigit():
                    continue
                actions.extend(_row_actions(row, axis, groups))
    return actions


def _row_actions(row: dict, axis: str, groups: list[tuple[str, str]]) -> list[Action]:
    out = []
    for sub, n in groups:
        name = (row.get(f"{sub}_{n}_nom_de_laction") or "").strip()
        description = (row.get(f"{sub}_{n}_descriptif") or "").strip()
        if len(description) > MIN_DESCRIPTION:
            text = f"{name}\n{description}" if name else description
            out.append(Action(int(row["id"]), axis, f"{axis}/{sub}", text))
    return out
