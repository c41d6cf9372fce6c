"""The France PAT importer, on a small export written in the shape of the real one, and on
the real export in ../shared/data/pat (marked shared_data)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.documents import Document, Problem
from pipeline.sources import iter_actions, iter_pats, iter_records
from pipeline.sources.france_pat_export import EXPORT_AXES

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Column names as in pats-20250710.csv (a subset, in the real order).
MAIN_HEADER = [
    "id", "lien_vers_la_fiche_pat", "nom_administratif", "nom_usuel", "regions", "departement",
    "epci", "communes_code_insee", "communes_nom",
    "descriptions_libre_des_enjeux_du_territoire_par_le_porteur",
    "les_etapes_cles_conduites_et_realisees", "niveaux_de_labelisation",
    "annee_dobtention_de_la_derniere_labellisation", "porteur_point_dentree_du_pat",
    "porteur_point_dentree_du_pat_type", "partenaires_de_linstance_de_decision_1_type",
    "partenaires_de_linstance_de_decision_1_noms", "partenaires_de_linstance_de_decision_2_type",
    "partenaires_de_linstance_de_decision_2_noms", "autres_partenaires_engages_1_type",
    "autres_partenaires_engages_1_noms", "objectifs_strategiques_1", "objectifs_strategiques_2",
    "objectifs_strategiques_3", "objectifs_strategiques_4", "objectifs_strategiques_5",
    "axes_thematiques", "date_de_validation_de_la_fiche",
]  # fmt: skip
ACTION_PARTS = [
    "nom_de_laction", "etat_davancement", "est_ressource", "resultat_attendu",
    "resultat_atteint", "descriptif",
]  # fmt: skip
AXES = "Éducation alimentaire, Tourisme, mise en valeur du patrimoine alimentaire et gastronomie"


def main_row(**cells: str) -> list[str]:
    return [cells.get(name, "") for name in MAIN_HEADER]


def axis_header(axis: str, subcategories: list[str]) -> list[str]:
    """Header of pats-axe-<axis>-*-win1252.csv: PAT columns, then per sub-category a flag
    column and 2 action slots (5 in the real files)."""
    header = ["id", "lien_vers_la_fiche_pat", "nom", "regions", "departements", "code_insee"]
    header += [axis, f"{axis}_est_territoire_ressource"]
    for sub in subcategories:
        header.append(sub)
        header += [f"{sub}_{n}_{part}" for n in (1, 2) for part in ACTION_PARTS]
    return header


def axis_row(header: list[str], pat_id: str, **actions: str) -> list[str]:
    cells = {
        "id": pat_id,
        "nom": f"PAT {pat_id}",
        "code_insee": "39001,39002",
        "regions": "Bourgogne-Franche-Comté",
    }
    return [cells.get(name, actions.get(name, "")) for name in header]


def write_csv(path: Path, rows: list[list[str]], encoding: str, quoting: int) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=";", quoting=quoting, lineterminator="\n").writerows(rows)


def write_export(folder: Path) -> None:
    folder.mkdir()
    main = [
        MAIN_HEADER,
        main_row(
            id="10",
            nom_administratif="PAT du Pays Lédonien",
            regions="Bourgogne-Franche-Comté",
            departement="Jura",
            communes_code_insee="39300,39198,",
            communes_nom="Lons-le-Saunier, Perrigny",
            descriptions_libre_des_enjeux_du_territoire_par_le_porteur="Enjeux.\nDeuxième ligne.\n",
            objectifs_strategiques_1="Relocaliser.",
            objectifs_strategiques_2="Nourrir.",
            niveaux_de_labelisation="Labellisation Niveau 2",
            annee_dobtention_de_la_derniere_labellisation="2024.0",
            porteur_point_dentree_du_pat="ECLA",
            porteur_point_dentree_du_pat_type="Intercommunalité",
            partenaires_de_linstance_de_decision_1_noms="Région, DRAAF",
            partenaires_de_linstance_de_decision_2_noms="DRAAF, Clus’Ter Jura",
            autres_partenaires_engages_1_noms="Chambre d'agriculture",
            axes_thematiques=AXES,
            lien_vers_la_fiche_pat="https://france-pat.fr/pat/x/",
        ),
        main_row(
            id="11",
            nom_administratif="PAT Grand Dole",
            nom_usuel="PAT de Dole",
            objectifs_strategiques_3="Éduquer.",
        ),
        ["texte décalé d'une fiche\nabîmée", "", "Économie alimentaire", "CTE"] + [""] * 24,
        main_row(id="12", nom_administratif="PAT sans texte"),
        main_row(id="13", nom_usuel="PAT sans action", objectifs_strategiques_1="Agir."),
    ]
    write_csv(folder / "pats-20250710.csv", main, "utf-8", csv.QUOTE_MINIMAL)
    environment = axis_header("environnement", ["actions_de_protection_de_leau", "autres_actions"])
    write_csv(
        folder / "pats-axe-environnement-20250710-win1252.csv",
        [
            environment,
            axis_row(
                environment,
                "10",
                actions_de_protection_de_leau_1_nom_de_laction="Haies",
                actions_de_protection_de_leau_1_etat_davancement="Action en cours",
                actions_de_protection_de_leau_1_descriptif="Planter des haies bocagères.",
                actions_de_protection_de_leau_1_resultat_attendu="10 km",
                actions_de_protection_de_leau_1_resultat_atteint="2 km",
                autres_actions_1_descriptif="Composter les biodéchets des cantines.",
            ),
            axis_row(
                environment,
                "11",
                autres_actions_2_nom_de_laction="Réduire l’usage des pesticides",
                autres_actions_2_descriptif="Réduire l’usage des pesticides",
            ),
            axis_row(environment, "12", actions_de_protection_de_leau_1_nom_de_laction="Eau"),
        ],
        "cp1252",
        csv.QUOTE_ALL,
    )
    governance = axis_header("gouvernance", ["democratie_alimentaire"])
    write_csv(
        folder / "pats-axe-gouvernance-20250710-win1252.csv",
        [governance, axis_row(governance, "10", democratie_alimentaire_1_nom_de_laction="Conseil")],
        "cp1252",
        csv.QUOTE_ALL,
    )
    for axis in set(EXPORT_AXES) - {"environnement", "gouvernance"}:  # no action on these axes
        name = f"pats-axe-{axis}-20250710-win1252.csv"
        write_csv(folder / name, [axis_header(axis, ["autres"])], "cp1252", csv.QUOTE_ALL)


def split(records):
    records = list(records)
    return (
        {r.id: r for r in records if isinstance(r, Document)},
        [r for r in records if isinstance(r, Problem)],
    )


@pytest.fixture
def export(tmp_path: Path) -> Path:
    write_export(tmp_path / "pat")
    return tmp_path / "pat"


def test_pats_have_title_text_meta_and_their_action_ids(export):
    pats, problems = split(iter_pats(export))
    main = export / "pats-20250710.csv"
    assert list(pats) == ["france-pat/10", "france-pat/11", "france-pat/13"]
    pat = pats["france-pat/10"]
    assert pat.title == "PAT du Pays Lédonien"  # no nom_usuel
    assert pat.text == "Enjeux.\nDeuxième ligne.\n\nRelocaliser.\n\nNourrir."
    assert pat.meta["communes_code_insee"] == ["39300", "39198"]
    assert pat.meta["departement"] == ["Jura"]
    assert pat.meta["regions"] == ["Bourgogne-Franche-Comté"]
    assert pat.meta["axes_thematiques"] == [
        "Éducation alimentaire",
        "Tourisme, mise en valeur du patrimoine alimentaire et gastronomie",
    ]
    assert pat.meta["partenaires_instance_de_decision"] == ["Région", "DRAAF", "Clus’Ter Jura"]
    assert pat.meta["autres_partenaires_engages"] == ["Chambre d'agriculture"]
    assert pat.meta["porteur_point_dentree_du_pat_type"] == "Intercommunalité"
    assert pat.meta["niveaux_de_labelisation"] == "Labellisation Niveau 2"
    assert pat.meta["annee_de_labellisation"] == "2024"
    assert pat.meta["lien_vers_la_fiche_pat"] == "https://france-pat.fr/pat/x/"
    assert pat.meta["actions"] == [
        "france-pat/10/action/environnement-1",
        "france-pat/10/action/environnement-3",
        "france-pat/10/action/gouvernance-1",
    ]
    assert (pat.meta["source"], pat.meta["line"]) == (str(main), 2)
    assert pats["france-pat/11"].meta["line"] == 5  # after a three-line cell
    assert pats["france-pat/11"].title == "PAT de Dole"
    assert pats["france-pat/13"].meta["actions"] == []
    assert [str(p) for p in problems] == [
        f'{main}:6: damaged record: the id cell holds text ("texte décalé d\'une fiche abîmée"…), '
        "its cells are shifted",
        f"{main}:8: PAT 12: empty text (no description nor strategic objectives)",
    ]


def test_action_ids_name_their_axis_table_and_column_group(export):
    actions, problems = split(iter_actions(export))
    assert problems == []
    assert list(actions) == [
        "france-pat/10/action/environnement-1",  # first column group
        "france-pat/10/action/environnement-3",  # third group (the second is empty)
        "france-pat/11/action/environnement-4",
        "france-pat/12/action/environnement-1",  # its PAT is a Problem, the action still stands
        "france-pat/10/action/gouvernance-1",  # gouvernance comes after environnement
    ]
    hedges = actions["france-pat/10/action/environnement-1"]
    assert hedges.title == "Haies"
    assert hedges.text == "Haies\n\nPlanter des haies bocagères.\n\nRésultat attendu : 10 km"
    assert hedges.meta == {
        "parent": "france-pat/10",
        "pat_id": "10",
        "pat_title": "PAT du Pays Lédonien",
        "axis": "environnement",
        "subcategory": "actions_de_protection_de_leau",
        "state": "Action en cours",
        "result_achieved": "2 km",
        "communes_code_insee": ["39300", "39198"],  # from the main table
        "departement": ["Jura"],
        "regions": ["Bourgogne-Franche-Comté"],
        "lien_vers_la_fiche_pat": "https://france-pat.fr/pat/x/",
        "source": str(export / "pats-axe-environnement-20250710-win1252.csv"),
        "line": 2,
    }
    unnamed = actions["france-pat/10/action/environnement-3"]
    assert unnamed.title == unnamed.text == "Composter les biodéchets des cantines."
    pesticides = actions["france-pat/11/action/environnement-4"]
    assert pesticides.text == "Réduire l’usage des pesticides"  # cp1252 decoded, not doubled
    assert actions["france-pat/12/action/environnement-1"].meta["pat_title"] == "PAT sans texte"


def test_a_missing_axis_file_is_reported_and_renumbers_nothing(export):
    """Without one axis table, every other action keeps its id (an `add` would otherwise
    overwrite one action's content with another's under the same id)."""
    before, _ = split(iter_actions(export))
    missing = export / "pats-axe-environnement-20250710-win1252.csv"
    missing.unlink()
    after, problems = split(iter_actions(export))
    assert [str(p) for p in problems] == [
        f"{missing}: axis file missing: the actions of the 'environnement' axis are not read"
    ]
    assert list(after) == ["france-pat/10/action/gouvernance-1"]
    assert (
        after["france-pat/10/action/gouvernance-1"] == before["france-pat/10/action/gouvernance-1"]
    )


def test_an_export_without_axis_tables_says_it_has_no_action(export):
    for table in export.glob("pats-axe-*"):
        table.unlink()
    pats, problems = split(iter_records([export]))
    assert len(pats) == 3
    assert "no axis table: the PATs only, no action" in [p.reason for p in problems]


def test_a_main_table_cut_short_is_reported_and_keeps_the_rows_before(export):
    main = export / "pats-20250710.csv"
    data = main.read_bytes()
    main.write_bytes(data[: data.index(b"PAT sans action") + 5])  # cut inside PAT 13's row
    pats, problems = split(iter_pats(export))
    assert list(pats) == ["france-pat/10", "france-pat/11"]
    assert str(problems[-1]).startswith(f"{main}:9: the file ends inside this record (4 of 28")


def test_a_quote_cut_short_in_the_main_table_is_reported(export):
    main = export / "pats-20250710.csv"
    data = main.read_bytes()
    main.write_bytes(data[: data.index(b"Enjeux.") + 3])  # inside PAT 10's quoted description
    pats, problems = split(iter_pats(export))
    assert pats == {}
    assert str(problems[-1]) == (
        f"{main}:2: unterminated quote: the field opened in this record runs to the end of the "
        "file; line 2 not read"
    )


def test_iter_records_yields_pats_then_actions(export):
    docs, problems = split(iter_records([export]))
    assert len(docs) == 3 + 5 and len(problems) == 2


# --- the real export ---------------------------------------------------------------------

PAT_DATA = SHARED_DATA / "pat"
needs_pat_data = pytest.mark.skipif(
    not (PAT_DATA / "pats-20250710.csv").exists(), reason=f"no France PAT export at {PAT_DATA}"
)


@pytest.fixture(scope="module")
def real_pats():
    return split(iter_pats(PAT_DATA))


@pytest.mark.shared_data
@needs_pat_data
def test_real_export_pats(real_pats):
    pats, problems = real_pats
    assert len(pats) == 430
    damaged = [p for p in problems if "damaged" in p.reason]
    assert [(p.line, Path(p.path).name) for p in damaged] == [(442, "pats-20250710.csv")]
    assert len(problems) == 31 and all(
        "empty text" in p.reason for p in problems if p not in damaged
    )
    redon = pats["france-pat/891"]
    assert redon.title == "Programme Agricole et Alimentaire de Territoire de REDON Agglomération"
    assert redon.meta["departement"] == ["Ille-et-Vilaine", "Loire-Atlantique", "Morbihan"]
    assert len(redon.meta["communes_code_insee"]) == 31
    assert redon.meta["niveaux_de_labelisation"] == "Labellisation Niveau 2"
    assert redon.meta["actions"][0] == "france-pat/891/action/economie-alimentaire-6"


@pytest.mark.shared_data
@needs_pat_data
def test_real_export_actions(real_pats):
    pats, _ = real_pats
    actions, problems = split(iter_actions(PAT_DATA))
    assert problems == []
    assert len(actions) == 7041
    listed = [action_id for pat in pats.values() for action_id in pat.meta["actions"]]
    assert len(listed) == len(set(listed)) and set(listed) <= set(actions)
    # The 33 unlisted actions belong to the four PATs that have no text of their own.
    unlisted = {a.meta["pat_id"] for a in actions.values() if a.id not in set(listed)}
    assert len(unlisted) == 4 and not {f"france-pat/{p}" for p in unlisted} & set(pats)
    axes = {a.meta["axis"] for a in actions.values()}
    assert len(axes) == 9 and "environnement" in axes
    assert len({(a.meta["axis"], a.meta["subcategory"]) for a in actions.values()}) == 45
    assert all(a.meta["communes_code_insee"] for a in actions.values())
