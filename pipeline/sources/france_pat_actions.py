"""France PAT actions: one Document per action found in the per-axis tables.

Id rule: an action is ``france-pat/<pat id>/action/<axis>-<n>``, where ``<axis>`` names its
table (as in the file name) and ``<n>`` is the position, from 1, of its column group in that
table's header. The id depends only on the action's own table, row and columns: a missing
table, or an action emptied elsewhere, never gives an action another one's id. An action is
read when it has a name or a description; actions come in order of axis name, then of row,
then of column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..documents import Document, Problem
from .delimited import Row, read_table
from .france_pat_export import PatRow
from .records import build_meta, split_list, title_from_text

ACTION_NAME = re.compile(r"^(?P<subcategory>.+)_(?P<number>\d+)_nom_de_laction$")


@dataclass(frozen=True)
class ActionColumns:
    """The column group of one action slot, as written in the header."""

    subcategory: str
    number: str
    position: int  # 1-based rank of the group in the table's header: the id's <n>

    def cell(self, row: Row, part: str) -> str:
        return row.cells.get(f"{self.subcategory}_{self.number}_{part}", "").strip()


@dataclass(frozen=True)
class AxisTable:
    """An axis table's file, its axis (from the file name) and its action slots."""

    axis: str
    path: Path
    slots: tuple[ActionColumns, ...]


def action_slots(header: tuple[str, ...]) -> tuple[ActionColumns, ...]:
    """Action column groups in header order."""
    matches = [m for m in (ACTION_NAME.match(name) for name in header) if m]
    return tuple(
        ActionColumns(m["subcategory"], m["number"], position)
        for position, m in enumerate(matches, start=1)
    )


def action_text(name: str, description: str, expected: str) -> str:
    parts = [name]
    if description and description != name:
        parts.append(description)
    if expected:
        parts.append(f"Résultat attendu : {expected}")
    return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class PatContext:
    """What an action copies from its PAT: from the main table, else from the axis row."""

    id: str
    title: str
    fields: dict[str, object]


def pat_context(row: Row, pat_id: str, pats: Mapping[str, PatRow]) -> PatContext:
    pat = pats.get(pat_id)
    if pat is not None:
        link = pat.cells.get("lien_vers_la_fiche_pat", "").strip()
        return PatContext(pat_id, pat.title, {**pat.territory(), "lien_vers_la_fiche_pat": link})
    fields = {
        "communes_code_insee": split_list(row.cells.get("code_insee", "")),
        "departement": split_list(row.cells.get("departements", "")),
        "regions": split_list(row.cells.get("regions", "")),
        "lien_vers_la_fiche_pat": row.cells.get("lien_vers_la_fiche_pat", "").strip(),
    }
    return PatContext(pat_id, row.cells.get("nom", "").strip(), fields)


def row_actions(table: AxisTable, row: Row, context: PatContext) -> Iterator[Document]:
    """The actions of one PAT in one axis table, with ids by the rule in the module docstring."""
    for slot in table.slots:
        name, description = slot.cell(row, "nom_de_laction"), slot.cell(row, "descriptif")
        if not name and not description:
            continue
        expected = slot.cell(row, "resultat_attendu")
        fields = {
            "parent": f"france-pat/{context.id}",  # any document may name its parent
            "pat_id": context.id,
            "pat_title": context.title,
            "axis": table.axis,
            "subcategory": slot.subcategory,
            "state": slot.cell(row, "etat_davancement"),
            "result_achieved": slot.cell(row, "resultat_atteint"),
            **context.fields,
        }
        yield Document(
            f"france-pat/{context.id}/action/{table.axis}-{slot.position}",
            name or title_from_text(description),
            action_text(name, description, expected),
            build_meta(fields, str(table.path), row.line),
        )


def iter_axis_actions(
    axes: tuple[tuple[str, Path], ...], pats: Mapping[str, PatRow]
) -> Iterator[Document | Problem]:
    """Actions of every axis table, in the order of the module docstring."""
    for axis, path in axes:
        table = read_table(path)
        if isinstance(table, Problem):
            yield table
            continue
        axis_table = AxisTable(axis, path, action_slots(table.header))
        for row in table.rows:
            if isinstance(row, Problem):
                yield row
                continue
            pat_id = row.cells.get("id", "").strip()
            if not pat_id.isdigit():
                yield Problem(str(path), row.line, f"the id cell is not a PAT id: {pat_id[:40]!r}")
                continue
            context = pat_context(row, pat_id, pats)
            yield from row_actions(axis_table, row, context)
