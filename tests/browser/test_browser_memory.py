"""When Python's memory runs out, in each browser engine (Chromium, Firefox, WebKit): a loop that
keeps every array it makes (fixtures/memory.qmd) ends with a MemoryError that names memory and
says what to do, the tab is not reloaded and the cell is not left running, and the page's Python
then runs cells as before."""
from __future__ import annotations

from test_browser_each_engine import FINISHED, OUTPUT, STATE, assert_no_page_errors, open_page, run_cell

EXHAUST_WITHIN_S = 180


def test_running_out_of_memory_says_so_and_python_goes_on(engine, base_url):
    page = engine.browser.new_page()
    try:
        open_page(page, f"{base_url}/chapters/memory.html")
        page.evaluate("() => { window.__sameDocument = true; }")
        page.click("#pycell-exhaust .pycell-run")
        page.wait_for(FINISHED, "#pycell-exhaust", timeout_s=EXHAUST_WITHIN_S,
                      message=f"the memory-filling loop did not end within {EXHAUST_WITHIN_S} s")
        shown = page.evaluate(OUTPUT, "#pycell-exhaust")
        assert page.evaluate(STATE, "#pycell-exhaust") == "failed", f"{page.engine}: the cell ended as:\n{shown}"
        assert "MemoryError" in shown and "Python ran out of memory" in shown, f"{page.engine}: the cell shows:\n{shown}"
        assert "a smaller batch" in shown and "reload the page" in shown, f"{page.engine}: no advice in:\n{shown}"
        assert page.evaluate("() => window.__sameDocument === true"), f"{page.engine}: the page was reloaded"
        made = run_cell(page, "#pycell-free")
        assert int(made.split()[0]) >= 5, f"{page.engine}: only {made.strip()} before memory ran out"
        assert run_cell(page, "#pycell-after").strip() == "45"
        assert_no_page_errors(page)
    finally:
        page.close()
