"""Every page of the Quarto-rendered course, checked with axe-core (WCAG 2.1 A and AA and axe's
best practices) at desktop and phone sizes, as it loads; serious and critical violations fail.
(The chapter run in test_browser_chapters.py checks each chapter again after running every
cell and opening every hint and solution.) A screenshot of each page at each size goes to
build/screenshots/ for people to look at."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accessibility import (DESKTOP, PHONE, SCREENSHOTS, axe_violations, blocking, count_line, explain,
                           size_name)

REPO = Path(__file__).resolve().parents[2]
PAGES = ["index.html"] + [f"chapters/{qmd.stem}.html" for qmd in sorted((REPO / "chapters").glob("*.qmd"))]
SUMMARY = "accessibility (axe-core)"
ENGINE_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per screen size (one HTTP cache each), opened on first use."""
    opened = {}

    def context_for(viewport):
        key = size_name(viewport)
        if key not in opened:
            opened[key] = browser.new_context(viewport=viewport)
        return opened[key]

    yield context_for
    for context in opened.values():
        context.close()


def open_settled(context, url):
    """Open the page and wait until its math is typeset and, on pages with cells, the engine is ready."""
    page = context.new_page()
    page.goto(url)
    spans = page.locator("span.math").count()
    if spans:
        expect(page.locator("span.math mjx-container")).to_have_count(spans, timeout=ENGINE_TIMEOUT_MS)
    if page.locator("#pycells-config").count():
        expect(page.get_by_role("status")).to_have_attribute("data-state", "ready", timeout=ENGINE_TIMEOUT_MS)
    return page


def screenshot_name(path, viewport):
    return SCREENSHOTS / f"{Path(path).stem}-{size_name(viewport)}.png"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=size_name)
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violations_as_it_loads(path, viewport, contexts, course_url, summary_section):
    page = open_settled(contexts(viewport), f"{course_url}/{path}")
    try:
        violations = axe_violations(page)
        summary_section(SUMMARY)(f"{path} at {size_name(viewport)}, on load: {count_line(violations)}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot_name(path, viewport), full_page=True)
        assert not blocking(violations), explain(blocking(violations), f"{path} at {size_name(viewport)}")
    finally:
        page.close()
