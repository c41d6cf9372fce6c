"""The web page in a real headless browser (Debian's chromium driven by Playwright).

The seed corpus plus one hostile document is indexed with the hashing embedder: "projets
comme Vivre le bois local" must list the three other seed initiatives, since similar leaves
out the initiative asked about.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import CHROMIUM, launch_chromium, running

from pipeline import api
from pipeline.server import create_app

ROOT = Path(__file__).resolve().parents[1]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is absent")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"
)

OTHER_SEEDS = ("PTCE TERA", "Clus’Ter Jura", "Montpellier Méditerranée Métropole")
HOSTILE = """---
id: "test/hostile"
title: "<img src=x onerror=\\"window.pwned=1\\"> Scierie <script>window.pwned=2</script>"
territory: "<b>Vosges</b>"
---

<script>window.pwned = 3</script> Une scierie <i>coopérative</i> du massif.
"""
PASTED = (
    "À Sainte-Marie-aux-Mines, dans le Haut-Rhin, la communauté de communes du Val d'Argent "
    "et des artisans du bois construisent une filière de bois local avec une scierie."
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    extra = tmp_path_factory.mktemp("hostile")
    (extra / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("browser") / "index"
    api.build(
        [ROOT / "corpus", extra], index_dir, api.Settings().with_section("embed", model="hash:64")
    )
    with running(create_app(index_dir)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    """A page that records every request and every script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    yield page
    context.close()


def test_search_open_an_initiative_and_come_back(page, base_url):
    page.goto(base_url + "/")
    page.fill("#q", "")
    page.type("#q", "projets comme Vivre le bois", delay=10)
    suggestion = page.locator("#suggestions li").first
    sync_api.expect(suggestion).to_contain_text("Vivre le bois local")
    page.keyboard.press("Escape")  # closes the suggestions, keeps the text
    sync_api.expect(page.locator("#suggestions")).to_be_hidden()
    page.type("#q", " local")
    page.keyboard.press("Enter")

    hits = page.locator("#view-search .hit h3 a")
    sync_api.expect(hits.first).to_be_visible()
    titles = hits.all_inner_texts()  # the three other seeds, and the hostile test document
    for seed in OTHER_SEEDS:
        assert any(seed in t for t in titles), (seed, titles)
    assert not any("Vivre le bois local" in t for t in titles)
    sync_api.expect(page.locator(".results-title")).to_contain_text("Initiatives proches de")
    assert page.locator("#view-search .hit .passage").count() == len(titles) == 4

    chosen = titles[0]
    hits.first.click()
    sync_api.expect(page.locator("#view-initiative h1")).to_have_text(chosen)
    sync_api.expect(page.locator("#view-initiative .doc-text")).to_contain_text("territoire")
    sync_api.expect(page.locator("#view-initiative aside .hit").first).to_be_visible()
    page.locator(".back a").click()
    sync_api.expect(page.locator("#view-search .hit h3 a")).to_have_count(4)
    assert base_url_only(page.requests, base_url)
    assert page.problems == []


def test_pasted_text_comes_back_annotated(page, base_url):
    if not hasattr(api, "tag_text"):
        pytest.skip("pipeline.api.tag_text is not written yet")
    page.goto(base_url + "/#/etiqueter")
    page.fill("#tag-text", PASTED)
    page.click("#tag-form button")
    result = page.locator(".tagged")
    sync_api.expect(result).to_be_visible(timeout=120_000)
    sync_api.expect(result.locator(".doc-text")).to_contain_text("Sainte-Marie-aux-Mines")
    assert result.locator("mark.ent").count() >= 1
    sync_api.expect(result.locator("aside .hit").first).to_be_visible()
    assert page.problems == []


def test_corpus_text_is_shown_as_text_never_run(page, base_url):
    page.goto(f"{base_url}/#/initiative/{quote('test/hostile', safe='')}")
    heading = page.locator("#view-initiative h1")
    sync_api.expect(heading).to_contain_text("<script>window.pwned=2</script>")
    sync_api.expect(page.locator(".doc-text")).to_contain_text("<i>coopérative</i>")
    sync_api.expect(page.locator("#view-initiative p.where")).to_have_text("<b>Vosges</b>")
    page.goto(f"{base_url}/#/?q={quote('scierie coopérative')}")
    sync_api.expect(page.locator("#view-search .hit h3 a").first).to_be_visible()
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img, main script, main b, main i").count() == 0
    assert page.problems == []


def test_the_catalogue_page_shows_the_themes_or_says_why_not(page, base_url):
    page.goto(base_url + "/#/catalogue")
    shown = page.locator("#view-catalogue .theme-section, #view-catalogue .error").first
    sync_api.expect(shown).to_be_visible(timeout=60_000)  # the first one loads the tagger
    if hasattr(api, "themed_index"):
        assert page.locator("#view-catalogue .error").count() == 0
    else:
        sync_api.expect(shown).to_contain_text("pas encore disponible")


def test_a_theme_filter_narrows_the_results_and_stays_in_the_address(page, base_url):
    page.goto(f"{base_url}/#/?q={quote('projets comme PTCE TERA')}")
    page.wait_for_selector("#search-form[data-filters=ready]")
    theme = page.locator("select[name=theme]")
    if theme.is_disabled():
        pytest.skip("the index carries no themes: the build has no theme tagger yet")
    page.click("#filters summary")
    last = theme.locator("option").count() - 1  # the rarest theme
    wanted = theme.locator("option").nth(last).get_attribute("value")
    with page.expect_response(lambda r: "theme=" in r.url) as answer:
        theme.select_option(index=last)
    results = answer.value.json()["results"]
    assert all(wanted in [t["id"] for t in hit["themes"]] for hit in results)
    sync_api.expect(page.locator("#view-search .hit")).to_have_count(len(results))
    assert "theme=" in page.url
    page.reload()
    sync_api.expect(theme).not_to_have_value("")


def test_on_a_phone_nothing_is_wider_than_the_screen(browser, base_url):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    for view in (
        f"/#/?q={quote('projets comme PTCE TERA')}",
        "/#/initiative/seed%2Ftera",
        "/#/etiqueter",
        "/#/catalogue",
    ):
        page.goto(base_url + view)
        page.wait_for_selector(
            "main > section:not([hidden]) :is(.hit, .doc-text, textarea, .theme-section)",
            timeout=60_000,
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (view, width)
    context.close()


def test_the_map_shades_where_the_results_are_and_a_click_filters_them(page, base_url):
    page.goto(f"{base_url}/#/?q={quote('projets comme Vivre le bois local')}")
    page.wait_for_selector("#search-form[data-filters=ready]")
    hits = page.locator("#view-search .hit")
    sync_api.expect(hits).to_have_count(4)  # three seeds in 34, 39, 47, the hostile one nowhere
    shaded = page.locator(".map-panel path.dep:not(.l0):not([aria-hidden])")
    sync_api.expect(shaded).to_have_count(3)
    assert sorted(shaded.evaluate_all("ps => ps.map(p => p.dataset.code)")) == ["34", "39", "47"]
    assert page.locator(".map-panel path.dep").count() >= 101  # every département drawn
    sync_api.expect(page.locator(".map-list")).to_contain_text("Jura (39) : 1")
    sync_api.expect(page.locator(".map-list")).to_contain_text("sans territoire : 1")
    sync_api.expect(page.locator(".map-legend")).to_contain_text("sans territoire : 1")
    jura = page.locator('.map-panel path.dep[data-code="39"]')
    jura.hover()
    sync_api.expect(page.locator(".map-tip")).to_have_text("Jura (39) : 1 résultat")

    with page.expect_response(lambda r: "departement=39" in r.url) as answer:
        jura.click()
    assert [h["id"] for h in answer.value.json()["results"]] == ["seed/clus-ter-jura"]
    sync_api.expect(hits).to_have_count(1)
    sync_api.expect(page.locator("select[name=departement]")).to_have_value("39")
    assert "departement=39" in page.url
    sync_api.expect(page.locator('.map-panel path.dep.selected[data-code="39"]')).to_have_count(1)
    page.locator('.map-panel path.dep[data-code="39"]').click()  # again: the filter is lifted
    sync_api.expect(hits).to_have_count(4)
    sync_api.expect(page.locator("select[name=departement]")).to_have_value("")
    assert base_url_only(page.requests, base_url)
    assert page.problems == []


def test_the_map_is_one_tab_stop_walked_with_the_arrows_and_picked_with_enter(page, base_url):
    page.goto(f"{base_url}/#/?q={quote('projets comme Vivre le bois local')}")
    sync_api.expect(page.locator("#view-search .hit")).to_have_count(4)
    stops = page.locator('.map-panel path.dep[tabindex="0"]')
    sync_api.expect(stops).to_have_count(1)
    assert page.locator('.map-panel path.dep[tabindex="-1"]').count() == 100  # one stop, 101
    stops.first.focus()
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert first.startswith("Hérault (34) : 1 résultat")  # the first shaded one, by name
    page.keyboard.press("ArrowRight")
    moved = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert moved == "Ille-et-Vilaine (35) : aucun résultat"  # the next by name
    page.keyboard.press("ArrowLeft")
    with page.expect_response(lambda r: "departement=34" in r.url):
        page.keyboard.press("Enter")
    sync_api.expect(page.locator("#view-search .hit")).to_have_count(1)
    assert page.problems == []


def test_an_initiative_shows_its_territory_on_the_map(page, base_url):
    page.goto(f"{base_url}/#/initiative/{quote('seed/tera', safe='')}")
    territory = page.locator("#view-initiative .territory-map")
    sync_api.expect(territory.locator("svg")).to_be_visible()
    shaded = territory.locator("path.dep:not(.l0)")
    assert shaded.evaluate_all("ps => ps.map(p => p.dataset.code)") == ["47"]
    sync_api.expect(territory.locator(".map-list")).to_contain_text("Lot-et-Garonne (47)")
    assert base_url_only(page.requests, base_url)
    assert page.problems == []


def test_the_themed_page_to_share_draws_its_maps_under_its_strict_policy(page, base_url):
    page.goto(base_url + "/api/themes?format=html")
    maps = page.locator("figure.map svg")
    assert maps.count() >= 2  # the whole corpus, and each theme
    shaded = maps.nth(1).locator("use.l5").first
    box = shaded.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5  # drawn from the page's own paths
    assert page.requests == [base_url + "/api/themes?format=html"]
    assert page.problems == []


def base_url_only(urls: list[str], base_url: str) -> bool:
    """True when the page asked nothing of any other server (no CDN, no font, no tracker)."""
    others = [u for u in urls if not re.match(re.escape(base_url) + r"(/|$)", u)]
    return not others or pytest.fail(f"requests elsewhere: {others}")
