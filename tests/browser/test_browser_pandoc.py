"""The lighter check of the pandoc fallback: the course as `tools/render_site.py --pandoc --profile offline`
writes it, served under a sub-path, builds every editor of a chapter and runs its first cell.
(The full chapter suite runs on what real Quarto renders: test_browser_chapters.py.)"""
from __future__ import annotations

from playwright.sync_api import expect

from fixture_projects import page_config

CHAPTER = "chapters/01-digits.html"


def test_pandoc_rendered_chapter_builds_its_editors_and_runs_a_cell(browser, pandoc_course_url,
                                                                     pandoc_course_site_dir):
    config = page_config((pandoc_course_site_dir / CHAPTER).read_text(encoding="utf-8"))
    shown = [cell for cell in config["cells"] if cell["run"] == "button"]
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{pandoc_course_url}/{CHAPTER}")
        expect(page.locator(".pycell-live")).to_have_count(len(shown), timeout=30_000)
        first = page.locator(".pycell-live").first
        first.locator(".pycell-run").click()
        expect(first).to_have_attribute("data-state", "done", timeout=120_000)
        assert not errors, errors
    finally:
        context.close()
