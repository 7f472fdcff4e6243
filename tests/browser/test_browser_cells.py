"""Runnable cells in headless Chromium: one page (fixtures/cells.qmd), loaded once.

Each test runs the cells it needs itself, so the tests pass in any order, the ones that
restart the engine (Stop) or reload the page included.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from pad_drawing import draw_a_one

ENGINE_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def page(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{base_url}/chapters/cells.html")
    yield page
    context.close()


def cell(page, label):
    return page.locator(f"#pycell-{label}")


def output(page, label):
    return cell(page, label).locator(".pycell-output")


def button(page, label, name):
    return cell(page, label).get_by_role("button", name=re.compile(f"^{name}"))


def run(page, label, finished=True):
    """Press the cell's Run button; wait until it finished (ok or not)."""
    button(page, label, "Run cell").click()
    if finished:
        expect(cell(page, label)).to_have_attribute("data-state", re.compile("^(done|failed)$"),
                                                    timeout=RUN_TIMEOUT_MS)


def test_autorun_cell_prints_on_load(page):
    expect(output(page, "autorun-hello")).to_have_text("autorun says hi", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)


def test_cell_runs_and_prints_value_of_hidden_setup_cell(page):
    run(page, "uses-setup")
    expect(output(page, "uses-setup")).to_have_text("setup gave 7")


def test_state_is_shared_between_cells(page):
    run(page, "state-set")
    run(page, "state-use")
    expect(output(page, "state-use")).to_have_text("42")


def test_last_expression_value_is_shown(page):
    run(page, "last-expr")
    expect(output(page, "last-expr").locator(".pycell-result")).to_have_text("42")


def test_page_packages_are_installed_after_the_first_cell(page):
    """Front-matter packages follow the first cell; a module import the scan cannot see finds them."""
    run(page, "declared-package")
    expect(output(page, "declared-package")).to_have_text("matplotlib was installed for the page")


def test_stdout_streams_before_the_cell_finishes(page):
    run(page, "stream", finished=False)
    expect(output(page, "stream")).to_contain_text("first line", timeout=RUN_TIMEOUT_MS)
    expect(cell(page, "stream")).to_have_attribute("data-state", "running")
    expect(output(page, "stream")).not_to_contain_text("second line")
    # after a second, the cell says for how long it has been running
    expect(cell(page, "stream").locator(".pycell-state")).to_have_text(re.compile(r"^running… [12] s$"))
    expect(output(page, "stream")).to_contain_text("second line", timeout=RUN_TIMEOUT_MS)
    expect(cell(page, "stream").locator(".pycell-state")).to_have_text("")


def test_a_carriage_return_redraws_the_line_in_place(page):
    run(page, "progress", finished=False)
    expect(output(page, "progress")).to_have_text(re.compile(r"^working +50 %$"), timeout=RUN_TIMEOUT_MS)
    expect(cell(page, "progress")).to_have_attribute("data-state", "done", timeout=RUN_TIMEOUT_MS)
    assert output(page, "progress").inner_text().strip() == "done"


def test_matplotlib_figure_appears_inline(page):
    run(page, "figure")
    figure = output(page, "figure").locator("img.pycell-figure")
    expect(figure).to_have_count(1)
    width = figure.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert width > 100
    expect(output(page, "figure")).not_to_contain_text("non-interactive")


def test_exception_shows_trimmed_traceback_and_next_cell_runs(page):
    run(page, "error")
    error = output(page, "error").locator(".pycell-error")
    expect(error).to_contain_text("ZeroDivisionError: division by zero")
    expect(error).to_contain_text('File "<cell 10>", line 2, in divide_by_zero')
    expect(error).to_contain_text("return 1 / 0")
    assert "_pyodide" not in error.text_content() and "pycells_support" not in error.text_content()
    expect(cell(page, "error")).to_have_attribute("data-state", "failed")
    run(page, "after-error")
    expect(output(page, "after-error")).to_have_text("still alive")


def test_output_flood_is_capped_with_a_notice(page):
    run(page, "flood")
    notice = output(page, "flood").locator(".pycell-notice")
    expect(notice).to_contain_text("Output limit reached")
    text = output(page, "flood").locator(".pycell-stdout").text_content()
    assert text.count("\n") <= 1000
    assert "line 199999" not in text


def test_printed_html_is_shown_as_text(page):
    run(page, "script")
    expect(output(page, "script")).to_have_text("<script>window.injected = true</script><b>bold?</b>")
    assert page.evaluate("window.injected") is None
    expect(output(page, "script").locator("b")).to_have_count(0)


def test_shift_enter_runs_the_cell(page):
    cell(page, "keyboard").locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    expect(output(page, "keyboard")).to_have_text("run by keyboard", timeout=RUN_TIMEOUT_MS)


def test_pylib_wheel_is_installed_with_its_data(page):
    run(page, "pylib")
    expect(output(page, "pylib")).to_have_text("train (196, 60000) test (196, 10000)")


def test_a_cell_that_imports_a_new_package_says_so_and_its_time_limit_waits(page):
    run(page, "imports-scipy")   # scipy is not on the page's list; installing it takes over a second
    expect(output(page, "imports-scipy")).to_have_text(re.compile(r"^scipy \d+\.\d+"))
    steps = page.evaluate("performance.getEntriesByName('pycells-status').map((mark) => mark.detail.text)")
    installing = next(i for i, step in enumerate(steps)
                      if re.fullmatch(r"installing the packages this cell imports: .*\bscipy\b.*…", step))
    assert re.fullmatch(r'running cell \d+ "imports-scipy"…', steps[installing + 1]), steps[installing - 1:]


def test_exercise_asks_for_blanks_then_runs_setup_code_and_check(page):
    run(page, "ex-double")
    expect(output(page, "ex-double")).to_have_text(
        "Fill in each ______ with your own code first, then run the cell again.")
    editor = cell(page, "ex-double").locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("def double(x):\nreturn x + 1\n")
    run(page, "ex-double")
    expect(output(page, "ex-double")).to_contain_text("Not yet: double(3) should be 6.")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("def double(x):\nreturn 2 * x\n")
    run(page, "ex-double")
    expect(output(page, "ex-double")).to_have_text("Correct!")


def test_hint_and_solution_are_revealed_on_request(page):
    hint = page.locator(".pycell-hint")
    solution = page.locator(".pycell-solution")
    expect(hint).to_be_hidden()
    expect(solution).to_be_hidden()
    button(page, "ex-double", "Show hint").click()
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Multiply x by two.")
    button(page, "ex-double", "Show solution").click()
    expect(solution).to_be_visible()
    expect(solution).to_contain_text("return 2 * x")


def test_digit_pad_calls_python_and_draws_ten_bars(page):
    run(page, "pad-model")
    draw_a_one(page, page.locator("canvas.digit-pad-canvas"))
    page.get_by_role("button", name="Classify").click()
    bars = page.locator(".digit-pad-bar")
    expect(bars).to_have_count(10, timeout=RUN_TIMEOUT_MS)
    expect(page.locator(".digit-pad-bar.best")).to_have_count(1)
    expect(page.locator(".digit-pad-message")).to_contain_text("Best guess")


def test_eval_false_cell_is_shown_but_not_runnable(page):
    static = cell(page, "static")
    expect(static).to_contain_text('print("never runs")')
    expect(static.get_by_role("button", name="Run")).to_have_count(0)
    expect(static.locator(".pycell-run")).to_have_count(0)


def test_stop_ends_an_infinite_loop_within_two_seconds_and_page_recovers(page):
    run(page, "loop", finished=False)
    expect(cell(page, "loop")).to_have_attribute("data-state", "running", timeout=RUN_TIMEOUT_MS)
    page.wait_for_timeout(500)
    started = time.monotonic()
    button(page, "loop", "Stop").click()
    expect(output(page, "loop")).to_contain_text("state was reset", timeout=2000)
    assert time.monotonic() - started < 2.0
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)
    run(page, "after-stop")
    expect(output(page, "after-stop")).to_have_text("engine is back")
    run(page, "state-use")
    expect(output(page, "state-use")).to_contain_text("NameError: name 'shared_value' is not defined")


def test_timelimit_stops_a_cell_by_itself(page):
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)
    run(page, "time-limited", finished=False)
    expect(output(page, "time-limited")).to_contain_text("time limit of 1 s", timeout=RUN_TIMEOUT_MS)
    expect(cell(page, "time-limited")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)


def test_edit_survives_reload_and_reset_restores_original(page):
    editor = cell(page, "edit-me").locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type('print("edited code")')
    page.reload()
    editor = cell(page, "edit-me").locator(".cm-content")
    expect(editor).to_have_text('print("edited code")', timeout=ENGINE_TIMEOUT_MS)
    expect(cell(page, "edit-me").locator(".pycell-saved-note")).to_contain_text("Your edited code")
    run(page, "edit-me")
    expect(output(page, "edit-me")).to_have_text("edited code")
    button(page, "edit-me", "Reset").click()
    expect(editor).to_have_text('print("original code")')
    expect(cell(page, "edit-me").locator(".pycell-saved-note")).to_have_count(0)
    page.reload()
    expect(cell(page, "edit-me").locator(".cm-content")).to_have_text('print("original code")',
                                                                        timeout=ENGINE_TIMEOUT_MS)


def test_an_edit_made_before_the_course_changed_the_cell_is_kept_and_flagged(page):
    key = page.evaluate("`pycells:${location.pathname}:edit-me`")
    # as if the student had edited the cell when the course shipped other code for it
    page.evaluate("([key]) => { localStorage.setItem(key, 'print(\"my edit\")');"
                  " localStorage.setItem(key + ':original', 'print(\"older course code\")'); }", [key])
    page.reload()
    expect(cell(page, "edit-me").locator(".cm-content")).to_have_text('print("my edit")',
                                                                        timeout=ENGINE_TIMEOUT_MS)
    expect(cell(page, "edit-me").locator(".pycell-saved-note")).to_contain_text("has changed in the course")
    button(page, "edit-me", "Reset").click()
    expect(cell(page, "edit-me").locator(".cm-content")).to_have_text('print("original code")')
    assert page.evaluate("([key]) => [localStorage.getItem(key), localStorage.getItem(key + ':original')]",
                         [key]) == [None, None]


def test_a_cell_run_before_the_engine_is_ready_waits_for_the_hidden_setup(page):
    page.reload()
    run(page, "early")  # clicked while the engine is still loading
    expect(output(page, "early")).to_have_text("hidden setup ran first: 7")


def test_no_uncaught_page_errors(page):
    assert page.errors == []
