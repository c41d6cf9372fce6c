"""Screenshots of the web page at laptop and phone sizes, for the README and for review.

    python scripts/screenshots.py [OUT] [--index DIR]

OUT defaults to docs/screenshots/. Without --index: index/ when it exists, else corpus/
indexed with the hashing embedder in a temporary folder. Needs /usr/bin/chromium (Debian's
package) and the playwright Python package; no browser is downloaded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import api  # noqa: E402
from pipeline.server import create_app  # noqa: E402
from tests.browser import launch_chromium, running  # noqa: E402

LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}  # the narrowest the page is made for
QUESTION = "projets comme Vivre le bois local"
PASTED = (
    "Dans la vallée de la Bruche (Bas-Rhin), la coopérative Bois et Toits réunit une scierie, "
    "des menuisiers, l'association Alsace Nature et la communauté de communes pour construire "
    "des écoles en bois local. Soutenu par la Région Grand Est, le projet forme des jeunes aux "
    "métiers du bois et relocalise la transformation des grumes dans la vallée."
)


def search(page, url: str) -> None:
    page.goto(f"{url}/#/?q={quote(QUESTION)}")
    page.wait_for_selector(".hit, .error")


def search_with_filters(page, url: str) -> None:
    search(page, url)
    page.wait_for_selector("#search-form[data-filters=ready]")
    page.click("#filters summary")


def search_map(page, url: str) -> None:
    search(page, url)
    page.wait_for_selector(".map-panel svg")
    page.locator(".map-panel").scroll_into_view_if_needed()


def suggestions(page, url: str) -> None:
    page.goto(f"{url}/#/")
    page.fill("#q", "")
    page.type("#q", "projets comme viv", delay=20)
    page.wait_for_selector("#suggestions li")


def initiative(page, url: str) -> None:
    search(page, url)
    page.click(".hit h3 a")
    page.wait_for_selector(".doc-text")
    page.wait_for_selector("aside .hit, aside .empty, aside .error")


def tag(page, url: str) -> None:
    page.goto(f"{url}/#/etiqueter")
    page.fill("#tag-text", PASTED)
    page.click("#tag-form button")
    page.wait_for_selector(".tagged, #tag-out .error", timeout=120_000)


def catalogue(page, url: str) -> None:
    page.goto(f"{url}/#/catalogue")
    page.wait_for_selector(".theme-section, #view-catalogue .error")


Scene = Callable[..., None]
SHOTS: list[tuple[str, Scene, dict]] = [
    ("search", search_with_filters, LAPTOP), ("suggestions", suggestions, LAPTOP),
    ("initiative", initiative, LAPTOP), ("tag", tag, LAPTOP), ("catalogue", catalogue, LAPTOP),
    ("search-phone", search, PHONE), ("initiative-phone", initiative, PHONE),
    ("map-phone", search_map, SMALL_PHONE),
]  # fmt: skip


def take(browser, url: str, out: Path) -> list[str]:
    """One PNG per shot; a page that shows an error is reported, not saved."""
    notes = []
    for name, scene, viewport in SHOTS:
        page = browser.new_page(viewport=viewport, device_scale_factor=1)
        scene(page, url)
        error = page.query_selector("main > section:not([hidden]) .error")
        if error:
            notes.append(f"{name}: not saved, the page shows an error: {error.inner_text()!r}")
        else:
            page.screenshot(path=str(out / f"{name}.png"))
            notes.append(f"{name}: {out / (name + '.png')}")
        page.close()
    return notes


@contextmanager
def index_for(given: Path | None) -> Iterator[Path]:
    if given is not None:
        yield given
    elif api.has_index(ROOT / "index"):
        yield ROOT / "index"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            api.build(
                [ROOT / "corpus"],
                Path(tmp) / "index",
                api.Settings().with_section("embed", model="hash:64"),
            )
            yield Path(tmp) / "index"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--index", type=Path, help="index folder to serve")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with index_for(args.index) as index_dir, running(create_app(index_dir)) as url:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                notes = take(browser, url, args.out)
            finally:
                browser.close()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
