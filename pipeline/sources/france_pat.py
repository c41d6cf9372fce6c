"""France PAT export (Projets Alimentaires Territoriaux): PATs and their actions.

A PAT becomes ``france-pat/<id>``: title ``nom_usuel`` (else ``nom_administratif``), text the
porteur's description of the territory's stakes and the strategic objectives. Its actions
become ``france-pat/<id>/action/<axis>-<n>`` (see france_pat_actions for the rule), listed
in the PAT's ``meta["actions"]``. A PAT with neither description nor objectives is a Problem;
its actions are still loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..documents import Document, Problem
from .france_pat_actions import iter_axis_actions
from .france_pat_export import Export, PatRow, find_exports, missing_axes, read_main_table
from .records import build_meta, split_list, unique_ids

TEXT_COLUMNS = ("descriptions_libre_des_enjeux_du_territoire_par_le_porteur",) + tuple(
    f"objectifs_strategiques_{n}" for n in range(1, 6)
)
# Thematic axes are comma-separated, but one label holds a comma ("Tourisme, mise en
# valeur…"): a new label starts with a capital letter.
AXIS_SEPARATOR = re.compile(r",\s*(?=[A-ZÀ-Ý])")
PARTNER_COLUMN = re.compile(
    r"^(partenaires_de_linstance_de_decision|autres_partenaires_engages)_\d+_noms$"
)


def partners(cells: dict[str, str]) -> dict[str, list[str]]:
    """Partner names, in decision-body partners and other engaged partners."""
    found: dict[str, list[str]] = {
        "partenaires_instance_de_decision": [],
        "autres_partenaires_engages": [],
    }
    for column, value in cells.items():
        match = PARTNER_COLUMN.match(column)
        if not match:
            continue
        kind = (
            "autres_partenaires_engages"
            if match[1].startswith("autres")
            else "partenaires_instance_de_decision"
        )
        found[kind].extend(name for name in split_list(value) if name not in found[kind])
    return found


def pat_fields(pat: PatRow) -> dict[str, object]:
    """Meta of a PAT, named as in the export where a column is copied as is."""

    def cell(name: str) -> str:
        return pat.cells.get(name, "").strip()

    axes = [axis.strip() for axis in AXIS_SEPARATOR.split(cell("axes_thematiques"))]
    return {
        "nom_administratif": cell("nom_administratif"),
        **pat.territory(),
        "communes_nom": split_list(cell("communes_nom")),
        "epci": split_list(cell("epci")),
        "porteur_point_dentree_du_pat": cell("porteur_point_dentree_du_pat"),
        "porteur_point_dentree_du_pat_type": cell("porteur_point_dentree_du_pat_type"),
        **partners(pat.cells),
        "axes_thematiques": [axis for axis in axes if axis],
        "niveaux_de_labelisation": cell("niveaux_de_labelisation"),
        # The R copy wrote years as floats ("2024.0").
        "annee_de_labellisation": cell(
            "annee_dobtention_de_la_derniere_labellisation"
        ).removesuffix(".0"),
        "lien_vers_la_fiche_pat": cell("lien_vers_la_fiche_pat"),
    }


def pat_document(main: Path, pat: PatRow, actions: list[str]) -> Document | Problem:
    """The PAT as a Document; ``meta["actions"]`` is always there, possibly empty."""
    parts = [pat.cells.get(column, "").strip() for column in TEXT_COLUMNS]
    text = "\n\n".join(part for part in parts if part)
    if not text:
        reason = f"PAT {pat.id}: empty text (no description nor strategic objectives)"
        return Problem(str(main), pat.line, reason)
    meta = {**build_meta(pat_fields(pat), str(main), pat.line), "actions": actions}
    return Document(f"france-pat/{pat.id}", pat.title, text, meta)


def load_export(export: Export) -> tuple[list[Document | Problem], list[Document | Problem]]:
    """PAT records and action records of one export."""
    rows = list(read_main_table(export.main)) if export.main else []
    pats = {row.id: row for row in reversed(rows) if isinstance(row, PatRow)}
    actions = list(iter_axis_actions(export.axes, pats))
    action_ids: dict[str, list[str]] = {}
    for action in actions:
        if isinstance(action, Document):
            action_ids.setdefault(action.meta["pat_id"], []).append(action.id)
    records = [
        pat_document(export.main, row, action_ids.get(row.id, []))
        if isinstance(row, PatRow) and export.main
        else row
        for row in rows
    ]
    return records, actions


def iter_export_records(folder: Path, pats: bool, actions: bool) -> Iterator[Document | Problem]:
    """PATs and/or actions of the export(s) in ``folder`` (or beside a file of it)."""
    folder = folder if folder.is_dir() else folder.parent
    exports = find_exports(folder)
    if not exports:
        yield Problem(str(folder), None, "no France PAT export here (expected pats-<date>.csv)")
    for export in exports:
        if export.main is None:
            yield Problem(str(folder), None, f"no main table pats-{export.stamp}.csv: actions only")
        yield from missing_axes(export, folder)
        pat_records, action_records = load_export(export)
        yield from pat_records if pats else []
        yield from action_records if actions else []


def iter_france_pat(folder: Path) -> Iterator[Document | Problem]:
    """Every PAT, then every action, of the export in ``folder``."""
    return unique_ids(iter_export_records(folder, pats=True, actions=True))


def iter_pats(folder: Path) -> Iterator[Document | Problem]:
    """The PATs only, each with ``meta["actions"]``."""
    return unique_ids(iter_export_records(folder, pats=True, actions=False))


def iter_actions(folder: Path) -> Iterator[Document | Problem]:
    """The actions only."""
    return unique_ids(iter_export_records(folder, pats=False, actions=True))
