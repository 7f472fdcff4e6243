"""A visit to the course, across pages, in headless Chromium: the real course as `make offline`
builds it (real Quarto), served under /course/. Next keeps the engine: chapter 2 is shown in place
of chapter 1 (address, title, focus, history), on the same Python engine, with a fresh namespace;
Back shows chapter 1 again. (That the course works offline after one visit is checked in each
engine by test_browser_each_engine.py.)
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.browser import SETTLED, STATUS_TIMELINE

ENGINE_TIMEOUT_MS = 120_000
LOADING = "loading the engine…"
CELL_DONE = """n => ["done", "failed"].includes(document.querySelector(`[data-pycell="${n}"]`)?.dataset.state)"""


@pytest.fixture
def visitor(browser):
    """A student's browser: a fresh context (its own cache, service workers and storage)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def run_cell(page, index):
    """Press Run on cell `index`; return its output once it is done (fails if it failed)."""
    cell = page.locator(f'[data-pycell="{index}"]')
    cell.get_by_role("button", name=re.compile(r"^Run cell")).click()
    page.wait_for_function(CELL_DONE, arg=index, timeout=ENGINE_TIMEOUT_MS)
    output = cell.locator(".pycell-output").inner_text()
    assert cell.get_attribute("data-state") == "done", f"cell {index} failed:\n{output}"
    return output


def first_visit(page, url, errors):
    """Chapter 1: its first cell run, then the page settled (service worker in control, engine idle)."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/chapters/01-digits.html")
    assert "X_train: (196, 60000)" in run_cell(page, 1)
    page.wait_for_function(SETTLED, timeout=ENGINE_TIMEOUT_MS)


def test_next_shows_the_chapter_in_place_on_the_same_engine(visitor, course_url):
    page, errors = visitor.new_page(), []
    first_visit(page, course_url, errors)
    page.locator("nav.page-navigation .nav-page-next a").click()
    expect(page).to_have_url(re.compile(r"/course/chapters/02-neuron\.html$"))
    expect(page).to_have_title(re.compile(r"^2\. One neuron"))
    expect(page.locator("#quarto-document-content h1").first).to_be_focused()
    expect(page.locator('#quarto-sidebar a[aria-current="page"]')).to_have_attribute(
        "href", re.compile(r"02-neuron\.html$"))
    # a fresh namespace: chapter 1's names are gone until chapter 2's own cells define them
    answer = page.evaluate("window.PyCells.call('load_mnist', [])")
    assert answer == {"problem": "load_mnist is not defined yet: run the cells above first."}
    assert "(196, 60000) (196, 10000)" in run_cell(page, 1)
    loads = [mark for mark in page.evaluate(STATUS_TIMELINE) if mark["text"] == LOADING]
    assert len(loads) == 1, f"the engine was loaded {len(loads)} times in one visit"
    page.go_back()
    expect(page).to_have_title(re.compile(r"^1\. Digits as data"))
    expect(page.locator('[data-pycell="1"] .pycell-run')).to_be_visible()
    assert not errors, errors
