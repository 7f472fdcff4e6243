"""Every page of the Quarto-rendered course, checked with axe-core (WCAG 2.1 A and AA and axe's
best practices) as it loads, at desktop size and then, resized, at phone size; serious and
critical violations fail. (The chapter run in test_browser_chapters.py checks each chapter again after running every
cell and opening every hint and solution.) A screenshot of each page at each size goes to
build/screenshots/ for people to look at."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fixture_projects import course_pages
from accessibility import (DESKTOP, PHONE, TABLET, SCREENSHOTS, axe_violations, blocking, count_line, explain,
                           size_name)

PAGES = course_pages()
CHAPTER_PAGES = [page for page in PAGES if page.startswith("chapters/")]
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


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violations_as_it_loads(path, contexts, course_url, summary_section):
    """At desktop size, then on the same page at phone size (the engine starts once)."""
    page = open_settled(contexts(DESKTOP), f"{course_url}/{path}")
    try:
        problems = []
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(300)   # the page's resize-time marks settle
            violations = axe_violations(page)
            summary_section(SUMMARY)(f"{path} at {size_name(viewport)}, on load: {count_line(violations)}")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=screenshot_name(path, viewport), full_page=True)
            if blocking(violations):
                problems.append(explain(blocking(violations), f"{path} at {size_name(viewport)}"))
        assert not problems, "\n".join(problems)
    finally:
        page.close()


# --------------------------------------------------------------------------- keyboard
# On the fixture page of the runtime's tests (fixtures/cells.qmd), with the keyboard only.
FOCUSED = """() => { const f = document.activeElement;
  return { tag: f.tagName, cls: f.className, name: f.getAttribute('aria-label') || f.textContent.trim(),
           cell: f.closest('.pycell')?.id || null }; }"""


@pytest.fixture
def cells_page(browser, base_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{base_url}/chapters/cells.html")
    expect(page.get_by_role("status")).to_have_attribute("data-state", "ready", timeout=ENGINE_TIMEOUT_MS)
    yield page
    context.close()


def focused(page):
    return page.evaluate(FOCUSED)


def tab_until(page, wanted, what, limit=400):
    """Press Tab (Escape first in an editor: there Tab indents) until `wanted(focused)` holds."""
    for _ in range(limit):
        if "cm-content" in focused(page)["cls"]:
            page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return
    raise AssertionError(f"{limit} Tab presses never reached {what}")


def tab_to(page, cell_id, name_start, limit=400):
    """Tab to the button of `cell_id` whose name starts with `name_start`."""
    tab_until(page, lambda now: now["cell"] == cell_id and now["tag"] == "BUTTON" and now["name"].startswith(name_start),
              f"'{name_start}' of {cell_id}", limit)


def test_the_first_tab_stop_is_a_skip_link_to_the_first_cell(cells_page):
    page = cells_page
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Skip to the first Python cell"
    page.keyboard.press("Enter")
    first_cell = page.locator(".pycell-live:not([hidden])").first.get_attribute("id")
    assert focused(page) == {**focused(page), "cell": first_cell, "tag": "BUTTON"}
    assert focused(page)["name"].startswith("Run cell")


def test_run_stop_and_reset_work_by_keys_and_keep_the_focus_in_the_cell(cells_page):
    page = cells_page
    tab_to(page, "pycell-loop", "Run cell")
    page.keyboard.press("Enter")
    expect(page.locator("#pycell-loop")).to_have_attribute("data-state", "running", timeout=ENGINE_TIMEOUT_MS)
    assert focused(page)["name"].startswith("Run cell"), "Run moved the focus away"
    state = page.locator("#pycell-loop .pycell-state")
    expect(state).to_have_text("running…")
    assert state.get_attribute("aria-hidden") is None, "the cell's state is hidden from screen readers"
    page.keyboard.press("Tab")
    assert focused(page)["name"].startswith("Stop cell")
    page.keyboard.press("Enter")
    expect(page.locator("#pycell-loop .pycell-output")).to_contain_text("state was reset", timeout=ENGINE_TIMEOUT_MS)
    after_stop = focused(page)
    assert after_stop["cell"] == "pycell-loop" and after_stop["name"].startswith("Run cell"), \
        f"after Stop the focus is on {after_stop}"

    tab_to(page, "pycell-edit-me", "Reset")
    page.keyboard.press("Tab")   # Run all above
    page.keyboard.press("Tab")
    assert "cm-content" in focused(page)["cls"], f"Tab after the toolbar reaches {focused(page)}, not the editor"
    page.keyboard.press("Control+a")
    page.keyboard.type('print("typed")')
    page.keyboard.press("Escape")   # Escape, then Tab or Shift+Tab, leaves the editor (Tab alone indents)
    page.keyboard.press("Shift+Tab")
    assert focused(page)["name"].startswith("Run all above"), f"Escape, Shift+Tab reach {focused(page)}"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["name"].startswith("Reset")
    page.keyboard.press("Enter")
    expect(page.locator("#pycell-edit-me .cm-content")).to_have_text('print("original code")')
    assert "cm-content" in focused(page)["cls"], f"after Reset the focus is on {focused(page)}"


def test_hint_and_solution_open_by_keys_and_their_buttons_say_what_they_do_now(cells_page):
    page = cells_page
    tab_to(page, "pycell-ex-double", "Show hint")
    page.keyboard.press("Space")
    hint = page.locator(".pycell-hint, [data-pycell]").filter(has_text="Multiply").first
    expect(hint).to_be_visible()
    toggle = page.locator("#pycell-ex-double .pycell-show-hint")
    expect(toggle).to_have_accessible_name(re.compile("^Hide hint"))
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert focused(page)["name"].startswith("Show solution")
    page.keyboard.press("Enter")
    expect(page.locator("#pycell-ex-double .pycell-show-solution")).to_have_accessible_name(re.compile("^Hide solution"))


INK = "() => Array.from(document.querySelector('canvas.digit-pad-canvas').getContext('2d').getImageData(0, 0, 280, 280).data).filter((v, i) => i % 4 === 3 && v > 0).length"


def test_the_digit_pad_draws_and_classifies_by_keys(cells_page):
    page = cells_page
    tab_to(page, "pycell-pad-model", "Run cell")   # defines the pad's classify function
    page.keyboard.press("Enter")
    expect(page.locator("#pycell-pad-model")).to_have_attribute("data-state", "done", timeout=ENGINE_TIMEOUT_MS)
    tab_until(page, lambda now: now["tag"] == "CANVAS", "the digit pad")
    page.keyboard.press("Space")
    expect(page.locator(".digit-pad-message")).to_contain_text("Pen down")
    for _ in range(8):
        page.keyboard.press("ArrowDown")
    assert page.evaluate(INK) > 1000, "the arrow keys drew nothing"
    page.keyboard.press("Enter")
    expect(page.locator(".digit-pad-bar")).to_have_count(10, timeout=ENGINE_TIMEOUT_MS)
    expect(page.locator(".digit-pad-message")).to_contain_text("Best guess")
    page.keyboard.press("Delete")
    expect(page.locator(".digit-pad-bar")).to_have_count(0)
    assert page.evaluate(INK) == 0, "Delete left ink on the pad"


def test_the_status_line_is_the_one_live_status_and_names_the_running_cell(cells_page):
    page = cells_page
    expect(page.get_by_role("status")).to_have_count(1)
    page.locator("#pycell-stream").get_by_role("button", name=re.compile("^Run cell")).click()
    expect(page.get_by_role("status")).to_contain_text("running cell", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_role("status")).to_have_attribute("data-state", "ready", timeout=ENGINE_TIMEOUT_MS)


def test_math_is_not_a_trail_of_tab_stops(browser, course_url):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = open_settled(context, f"{course_url}/chapters/02-neuron.html")
        formulas = page.locator("mjx-container").count()
        in_tab_order = page.locator("mjx-container[tabindex='0']:not(.scrolls-sideways)").count()
        assert formulas > 20 and in_tab_order == 0, f"{in_tab_order} of {formulas} formulas are tab stops"
    finally:
        context.close()


# ------------------------------------------------------------------- phones and tablets
PAGE_FITS = """() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth })"""
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('main button, .pycells-status button, .pycells-pad button'))
  .filter((b) => b.offsetParent !== null)
  .map((b) => ({ name: b.getAttribute('aria-label') || b.textContent.trim(), box: b.getBoundingClientRect() }))
  .filter(({ box }) => box.width < 24 || box.height < 24)
  .map(({ name, box }) => `${name} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`)"""
TOOLBAR_ROWS = """() => Array.from(document.querySelectorAll('.pycell-toolbar'))
  .filter((t) => t.offsetParent !== null)
  .map((t) => new Set(Array.from(t.querySelectorAll('button')).map((b) => Math.round(b.getBoundingClientRect().top))).size)"""
TOO_WIDE_IMAGES = """() => Array.from(document.querySelectorAll('main img'))
  .filter((i) => i.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map((i) => i.getAttribute('src').slice(0, 60))"""
WIDE_BOXES_WITHOUT_CUE = """() => Array.from(document.querySelectorAll(".cm-scroller, mjx-container[display='true'], mjx-container.wide-inline-math, .table-scroll"))
  .filter((b) => b.scrollWidth > b.clientWidth + 1)
  .filter((b) => !getComputedStyle(b).backgroundImage.includes('gradient') || !['auto', 'scroll'].includes(getComputedStyle(b).overflowX))
  .map((b) => b.closest('[id]')?.id)"""
COVERED_BY_STATUS = """() => {
  const status = document.querySelector('.pycells-status').getBoundingClientRect();
  const covered = [];
  for (const button of document.querySelectorAll('.pycell-run')) {
    button.focus();
    const box = button.getBoundingClientRect();
    if (box.bottom > status.top && box.top < status.bottom && box.right > status.left && box.left < status.right) covered.push(button.getAttribute('aria-label'));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  const last = document.querySelector('main').getBoundingClientRect();
  if (last.bottom > status.top + 1) covered.push('the end of the page');
  return covered;
}"""


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=size_name)
@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_chapter_fits_phones_and_tablets(path, viewport, contexts, course_url):
    page = contexts(viewport).new_page()
    try:
        page.goto(f"{course_url}/{path}")
        spans = page.locator("span.math").count()
        expect(page.locator("span.math mjx-container")).to_have_count(spans, timeout=ENGINE_TIMEOUT_MS)
        expect(page.locator(".pycell-live").first).to_be_visible()
        page.wait_for_timeout(300)   # the page's resize-time marks settle
        fits = page.evaluate(PAGE_FITS)
        assert fits["page"] <= fits["window"], f"{path}: the page scrolls sideways ({fits['page']} px in {fits['window']})"
        assert page.evaluate(WIDE_BOXES_WITHOUT_CUE) == [], f"{path}: wide boxes without their own scroll and cue"
        assert page.evaluate(TOO_WIDE_IMAGES) == [], f"{path}: images wider than the screen"
        assert page.evaluate(SMALL_TARGETS) == [], f"{path}: buttons smaller than 24x24 px"
        rows = page.evaluate(TOOLBAR_ROWS)
        assert max(rows) <= 2, f"{path}: a cell toolbar takes {max(rows)} rows"
        assert page.evaluate(COVERED_BY_STATUS) == [], f"{path}: the status line covers these"
        sidebar = page.locator("#quarto-sidebar")
        if viewport["width"] < 992:
            expect(sidebar, f"{path}: the chapter list is in the way").not_to_be_visible()
            page.evaluate("window.scrollTo(0, 0)")
            page.locator(".quarto-btn-toggle").first.click()
            expect(sidebar, f"{path}: the chapter list does not open when asked").to_be_visible()
    finally:
        page.close()
