"""What a student does besides running cells, in each browser engine (Chromium, Firefox, WebKit),
driven through coursekit.browsers with real pointer and keyboard input:

- Stop ends an infinite loop within two seconds, and the engine comes back;
- an edit survives a reload, and Reset restores the course's code (for good: after another reload);
- the digit pad draws with the arrow keys, classifies with Enter and clears with Delete;
- after one visit, the course works with the server shut down: another chapter opens from the
  service worker's cache, its engine starts from the memory snapshot the first page stored, and its
  cells run and draw.

The first three use the runtime's fixture page (fixtures/cells.qmd), the last the real course as
`make offline` builds it. The keyboard paths (Tab order, focus) are checked in Chromium by
test_browser_a11y.py; here the keys reach an element focused by the test.
"""
from __future__ import annotations

import time

import pytest

from bench.browser import FROM_SNAPSHOT, READY, SETTLED

ENGINE_TIMEOUT_S = 120
CELL_TIMEOUT_S = 60
STOP_WITHIN_S = 2.0

# each takes a cell's CSS selector: "#pycell-loop" (by label), '[data-pycell="3"]' (by position)
STATE = "(cell) => document.querySelector(cell)?.dataset.state ?? null"
FINISHED = "(cell) => ['done', 'failed'].includes(document.querySelector(cell)?.dataset.state)"
OUTPUT = "(cell) => document.querySelector(`${cell} .pycell-output`)?.innerText ?? ''"
EDITOR = "(cell) => document.querySelector(`${cell} .cm-content`)?.innerText.replace(/\\n$/, '') ?? null"
SAVED_NOTE = "(cell) => document.querySelector(`${cell} .pycell-saved-note`)?.textContent ?? null"
INK = ("() => { const canvas = document.querySelector('canvas.digit-pad-canvas');"
       " const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
       " let ink = 0; for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink += 1; return ink; }")
PAD = ("() => ({bars: document.querySelectorAll('.digit-pad-bar').length,"
       " message: document.querySelector('.digit-pad-message')?.textContent ?? ''})")
LIVE_FIGURES = ("() => document.querySelectorAll("
                "'.pycell-live .pycell-output:not(.pycell-prerendered) img.pycell-figure').length")


def at(position):
    return f'[data-pycell="{position}"]'


@pytest.fixture
def page(engine):
    """A new tab of the module's browser for each test."""
    opened = engine.browser.new_page()
    yield opened
    opened.close()


def open_page(page, url):
    page.goto(url)
    page.wait_for(READY, timeout_s=ENGINE_TIMEOUT_S, message=f"{url}: the engine did not become ready")


def run_cell(page, cell):
    """Press Run on the cell (a CSS selector); return its output once it finished (fails if it failed)."""
    page.click(f"{cell} .pycell-run")
    try:
        page.wait_for(FINISHED, cell, timeout_s=CELL_TIMEOUT_S, message=f"{cell} did not finish")
    except AssertionError as slow:
        shown = page.evaluate(f"(cell) => [({STATE})(cell), ({OUTPUT})(cell), "
                              "document.querySelector('[role=status]')?.textContent ?? '']", cell)
        raise AssertionError(f"{slow}; state {shown[0]}, output {shown[1]!r}, status line {shown[2]!r}") from None
    output = page.evaluate(OUTPUT, cell)
    assert page.evaluate(STATE, cell) == "done", f"{page.engine}: {cell} failed:\n{output}"
    return output


def assert_no_page_errors(page):
    assert page.errors() == [], f"{page.engine}: uncaught error(s) on the page: {page.errors()}"


def test_stop_ends_an_infinite_loop_within_two_seconds_and_the_engine_comes_back(page, base_url):
    open_page(page, f"{base_url}/chapters/cells.html")
    page.click("#pycell-loop .pycell-run")
    page.wait_for(f"(cell) => ({STATE})(cell) === 'running'", "#pycell-loop",
                  timeout_s=CELL_TIMEOUT_S, message="the loop did not start running")
    time.sleep(0.5)
    started = time.monotonic()
    page.click("#pycell-loop .pycell-stop")
    page.wait_for(f"(cell) => ({OUTPUT})(cell).includes('state was reset')", "#pycell-loop", timeout_s=STOP_WITHIN_S,
                  message=f"Stop did not end the loop within {STOP_WITHIN_S:g} s")
    stopped_s = time.monotonic() - started
    assert stopped_s < STOP_WITHIN_S, f"{page.engine}: Stop took {stopped_s:.2f} s"
    page.wait_for(READY, timeout_s=ENGINE_TIMEOUT_S, message="the engine did not come back after Stop")
    assert run_cell(page, "#pycell-after-stop").strip() == "engine is back"
    assert_no_page_errors(page)


def test_an_edit_survives_a_reload_and_reset_restores_the_course_code(page, base_url):
    url = f"{base_url}/chapters/cells.html"
    open_page(page, url)
    page.click("#pycell-edit-me .cm-content")
    page.press("Control+a")
    page.insert_text('print("edited code")')
    assert page.evaluate(EDITOR, "#pycell-edit-me") == 'print("edited code")'
    open_page(page, url)
    assert page.evaluate(EDITOR, "#pycell-edit-me") == 'print("edited code")', f"{page.engine}: the edit was lost on reload"
    assert "Your edited code" in (page.evaluate(SAVED_NOTE, "#pycell-edit-me") or ""), \
        f"{page.engine}: the reloaded page does not say the code is the student's edit"
    assert run_cell(page, "#pycell-edit-me").strip() == "edited code"
    page.click("#pycell-edit-me .pycell-reset")
    assert page.evaluate(EDITOR, "#pycell-edit-me") == 'print("original code")'
    assert page.evaluate(SAVED_NOTE, "#pycell-edit-me") is None
    open_page(page, url)
    assert page.evaluate(EDITOR, "#pycell-edit-me") == 'print("original code")', \
        f"{page.engine}: after Reset and a reload the editor holds the old edit"
    assert_no_page_errors(page)


def test_the_digit_pad_draws_classifies_and_clears_by_keys(page, base_url):
    open_page(page, f"{base_url}/chapters/cells.html")
    run_cell(page, "#pycell-pad-model")   # defines the pad's classify function
    page.evaluate("() => document.querySelector('canvas.digit-pad-canvas').focus()")
    page.press("Space")
    page.wait_for(f"() => ({PAD})().message.includes('Pen down')", timeout_s=5,
                  message="Space on the pad did not put the pen down")
    for _ in range(8):
        page.press("ArrowDown")
    assert page.evaluate(INK) > 1000, f"{page.engine}: the arrow keys drew nothing"
    page.press("Enter")
    found = page.wait_for(f"() => {{ const pad = ({PAD})(); return pad.bars === 10 && pad; }}",
                          timeout_s=CELL_TIMEOUT_S, message="Enter gave no ten probability bars")
    assert found["message"].startswith("Best guess"), f"{page.engine}: the pad says {found['message']!r}"
    page.press("Delete")
    assert page.evaluate(PAD)["bars"] == 0, f"{page.engine}: Delete left the bars"
    assert page.evaluate(INK) == 0, f"{page.engine}: Delete left ink on the pad"
    assert_no_page_errors(page)


def test_the_course_works_offline_after_one_visit(page, course_site_dir, serve):
    with serve(course_site_dir) as url:
        open_page(page, f"{url}/chapters/01-digits.html")
        assert "X_train: (196, 60000)" in run_cell(page, at(1))
        page.wait_for(SETTLED, timeout_s=ENGINE_TIMEOUT_S,
                      message="chapter 1 did not settle (service worker in control, engine idle)")
    open_page(page, f"{url}/chapters/03-loss.html")   # the server is gone
    assert page.evaluate("() => document.title").startswith("3. "), f"{page.engine}: chapter 3 did not open offline"
    assert page.evaluate(FROM_SNAPSHOT), f"{page.engine}: chapter 3's engine did not start from the snapshot"
    config = page.evaluate("() => JSON.parse(document.getElementById('pycells-config').textContent)")
    code_cells = [cell["index"] for cell in config["cells"] if cell["role"] == "code" and cell["run"] == "button"]
    assert len(code_cells) >= 5
    for position in code_cells:
        run_cell(page, at(position))
    assert page.evaluate(LIVE_FIGURES) >= 1, f"{page.engine}: no cell drew its figure offline"
    assert_no_page_errors(page)
