"""The themed index: grouping per theme, facts, sub-groups, and the four renderings."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from pipeline.catalogue import CatalogueEntry, build_catalogue, render_catalogue
from pipeline.errors import InputError
from pipeline.themes import Theme, ThemeScore, shared_themes

FOOD = Theme("alimentation", "Alimentation & agriculture", "Agriculture et alimentation", ("x",))
WOOD = Theme("foret-bois", "Forêt & bois", "Filière bois", ("bois",))
MOBILITY = Theme("mobilite", "Mobilité", "Transports", ("vélo",))


def _score(theme: Theme, score: float) -> ThemeScore:
    return ThemeScore(theme.id, theme.label, score, ())


def _entries() -> list[CatalogueEntry]:
    return [
        CatalogueEntry("a", "Cantines bio", [_score(FOOD, 0.9)], ["Hérault"], ["Occitanie"],
                       ["collectivité"], "Des repas bio à la cantine."),
        CatalogueEntry("b", "Scierie <mobile>", [_score(WOOD, 0.8), _score(FOOD, 0.4)],
                       ["Vosges"], ["Grand Est"], ["entreprise", "association"],
                       "Du bois local & scié sur place."),
        CatalogueEntry("c", "Marché paysan", [_score(FOOD, 0.6)], ["Hérault", "Gard"],
                       ["Occitanie"], ["association"], "Un marché de producteurs."),
        CatalogueEntry("d", "Sans rapport", [], [], [], [], "Rien."),
    ]  # fmt: skip


def test_sections_follow_the_taxonomy_and_sort_initiatives_by_score():
    catalogue = build_catalogue(_entries(), [FOOD, WOOD, MOBILITY])
    assert catalogue.total == 4
    assert [s.theme.id for s in catalogue.sections] == ["alimentation", "foret-bois", "mobilite"]
    food, wood, mobility = catalogue.sections
    assert [i.id for i in food.items] == ["a", "c", "b"]
    assert food.count == 3 and wood.count == 1 and mobility.count == 0
    assert food.regions == (("Occitanie", 2), ("Grand Est", 1))
    assert food.departements[0] == ("Hérault", 2)
    assert food.actor_kinds[0] == ("association", 2)
    assert food.items[0].territory == "Hérault"
    assert [i.id for i in catalogue.untagged] == ["d"]


def test_without_a_taxonomy_the_entries_themes_are_used():
    catalogue = build_catalogue(_entries())
    assert [s.theme.id for s in catalogue.sections] == ["alimentation", "foret-bois"]


def test_markdown():
    text = render_catalogue(build_catalogue(_entries(), [FOOD, WOOD, MOBILITY]), "md")
    assert text.startswith("# Index thématique")
    assert "## Alimentation & agriculture (3 initiatives)" in text
    assert "- Régions : Occitanie (2), Grand Est (1)" in text
    assert "**Scierie \\<mobile\\>**" in text
    assert "Thèmes sans initiative : Mobilité." in text
    assert "## Sans thème" in text


def test_html_is_one_self_contained_page_with_all_text_escaped():
    page = render_catalogue(build_catalogue(_entries(), [FOOD, WOOD]), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<mobile>" not in page and "Scierie &lt;mobile&gt;" in page
    assert "Du bois local &amp; scié sur place." in page
    assert "Forêt &amp; bois" in page
    for external in ("<script", "<link", "src=", "http://", "https://", "@import"):
        assert external not in page
    assert page.count("<section") == 2


def test_csv_has_one_row_per_theme_and_initiative():
    rows = list(csv.DictReader(io.StringIO(render_catalogue(build_catalogue(_entries()), "csv"))))
    assert [(r["theme_id"], r["initiative_id"]) for r in rows] == [
        ("alimentation", "a"), ("alimentation", "c"), ("alimentation", "b"),
        ("foret-bois", "b"), ("", "d"),
    ]  # fmt: skip
    assert rows[1]["departements"] == "Hérault; Gard"
    assert rows[0]["score"] == "0.900"


def test_json():
    data = json.loads(render_catalogue(build_catalogue(_entries(), [FOOD, WOOD]), "json"))
    assert data["initiatives"] == 4
    food = data["themes"][0]
    assert food["id"] == "alimentation" and food["count"] == 3
    assert food["regions"][0] == {"name": "Occitanie", "count": 2}
    assert [i["id"] for i in food["initiatives"]] == ["a", "c", "b"]
    assert data["untagged"][0]["id"] == "d"


def test_unknown_format_is_refused():
    with pytest.raises(InputError, match="unknown catalogue format 'pdf'"):
        render_catalogue(build_catalogue(_entries()), "pdf")


def _two_kinds_of_food(n: int = 6) -> list[CatalogueEntry]:
    """Canteens and market gardens: two clear clusters in vector space and in words."""
    rng = np.random.default_rng(0)
    entries = []
    for k in range(2 * n):
        canteen = k % 2 == 0
        centre = np.eye(16)[0 if canteen else 1]
        vector = centre + 0.05 * rng.standard_normal(16)
        text = (
            f"Restauration collective : la cantine scolaire {k} sert des repas bio aux élèves."
            if canteen
            else f"Maraîchage : le maraîcher {k} cultive des légumes en agriculture bio."
        )
        vector = vector / np.linalg.norm(vector)
        entries.append(
            CatalogueEntry(f"e{k}", f"Action {k}", [_score(FOOD, 0.5)], vector=vector, text=text)
        )
    return entries


def test_a_large_theme_is_split_into_named_subgroups():
    section = build_catalogue(_two_kinds_of_food(), [FOOD], min_cluster_size=4).sections[0]
    assert len(section.subgroups) == 2
    by_first_member = {g.item_ids[0]: g for g in section.subgroups}
    canteens, gardens = by_first_member["e0"], by_first_member["e1"]
    assert set(canteens.item_ids) == {f"e{k}" for k in range(0, 12, 2)}
    assert set(gardens.item_ids) == {f"e{k}" for k in range(1, 12, 2)}
    # Named by what sets them apart; "bio" is in both, so it names neither.
    assert any("cantine" in t or "repas" in t or "élèves" in t for t in canteens.terms)
    assert any("maraîch" in t or "légumes" in t for t in gardens.terms)
    assert "bio" not in canteens.terms + gardens.terms
    text = render_catalogue(build_catalogue(_two_kinds_of_food(), [FOOD]), "md")
    assert "Sous-groupes :" in text


def test_no_subgroups_for_a_small_theme_or_without_vectors(fake_embedder):
    small = build_catalogue(_two_kinds_of_food(3), [FOOD], min_cluster_size=4)
    assert small.sections[0].subgroups == ()
    entries = _two_kinds_of_food()
    for entry in entries:
        entry.vector = None
    assert build_catalogue(entries, [FOOD]).sections[0].subgroups == ()
    # With an embedder, the missing vectors are computed from the texts.
    embedded = build_catalogue(entries, [FOOD], embedder=fake_embedder, min_cluster_size=4)
    assert embedded.sections[0].count == 12


def test_no_subgroups_when_the_vectors_show_no_structure():
    entries = _two_kinds_of_food()
    for entry in entries:
        entry.vector = np.ones(16) / 4.0  # all alike
    assert build_catalogue(entries, [FOOD], min_cluster_size=4).sections[0].subgroups == ()


def test_shared_themes_are_ranked_by_the_weaker_score():
    a = [_score(FOOD, 0.9), _score(WOOD, 0.5)]
    b = [_score(WOOD, 0.8), _score(FOOD, 0.4), _score(MOBILITY, 0.7)]
    shared = shared_themes(a, b)
    assert [(t.id, t.score) for t in shared] == [("foret-bois", 0.5), ("alimentation", 0.4)]
    assert shared_themes(a, []) == []


def test_long_subgroups_list_a_few_titles():
    from pipeline.catalogue.html_page import listed

    assert listed(["a", "b"]) == "a, b"
    assert listed([str(k) for k in range(10)], most=3) == "0, 1, 2… et 7 autres"
