"""Nothing hangs, nothing fails silently: each way a cell, the engine or a second tab can
go wrong ends with a plain message on the page (fixtures/failures.qmd, fixtures/setup-fails.qmd)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pad_drawing import draw_a_one

ENGINE_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 30_000
ENGINE_MODULE = "**/pyodide/pyodide.mjs"
# Printed text must reach the page within 100 ms while the cell runs; the margin absorbs a
# busy machine and still fails by far when the text waits for the cell's 4-second loop.
STREAM_BOUND_MS = 100
STREAM_MARGIN_MS = 400


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def open_page(context, base_url, name, errors=None):
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/chapters/{name}.html")
    return page


def cell(page, label):
    return page.locator(f"#pycell-{label}")


def output(page, label):
    return cell(page, label).locator(".pycell-output")


def press_run(page, label):
    cell(page, label).get_by_role("button", name=re.compile("^Run cell")).click()


def wait_until_ready(page):
    expect(page.get_by_role("status")).to_have_attribute("data-state", "ready", timeout=ENGINE_TIMEOUT_MS)


def hold_requests(page, pattern):
    """Leave requests for `pattern` unanswered until fail_held() aborts them; returns the held routes."""
    held = []
    page.route(pattern, lambda route: held.append(route))
    return held


def fail_held(page, held):
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the engine's module was never requested"
    for route in held:
        route.abort()


def test_printed_text_reaches_the_page_while_the_cell_still_computes(context, base_url):
    page = open_page(context, base_url, "failures")
    wait_until_ready(page)
    # the page clock (wall time, as Python's time.time()) at the moment "two" shows, and at the cell's end
    page.evaluate("""() => {
      const node = document.querySelector('#pycell-prints-then-computes');
      window.seen = {};
      new MutationObserver(() => {
        const text = node.querySelector('.pycell-output').textContent;
        if (!window.seen.two && text.includes('two')) window.seen.two = performance.timeOrigin + performance.now();
        if (!window.seen.done && node.dataset.state === 'done') window.seen.done = performance.timeOrigin + performance.now();
      }).observe(node, {subtree: true, childList: true, characterData: true, attributes: true});
    }""")
    press_run(page, "prints-then-computes")
    expect(cell(page, "prints-then-computes")).to_have_attribute("data-state", "done", timeout=RUN_TIMEOUT_MS)
    seen = page.evaluate("window.seen")
    printed_at = float(re.search(r"two, printed at (\d+)", output(page, "prints-then-computes").text_content())[1])
    delay_ms = seen["two"] - printed_at
    print(f"\n'two' reached the page {delay_ms:.0f} ms after Python printed it; the cell ended "
          f"{seen['done'] - seen['two']:.0f} ms later")
    assert delay_ms < STREAM_BOUND_MS + STREAM_MARGIN_MS
    assert seen["done"] - seen["two"] > 3000
    expect(output(page, "prints-then-computes")).to_have_text(re.compile(r"^one\ntwo, printed at \d+\nthree\n$"))


def test_a_failing_hidden_setup_cell_shows_its_error_and_the_status_says_so(context, base_url):
    page = open_page(context, base_url, "setup-fails")
    report = page.locator(".pycells-setup-error")
    expect(report).to_be_visible(timeout=ENGINE_TIMEOUT_MS)
    expect(report).to_contain_text("hidden setup code")
    expect(report).to_contain_text("ValueError: the setup broke on purpose")
    expect(page.get_by_role("status")).to_contain_text("hidden setup code failed")
    expect(page.get_by_role("status")).not_to_have_attribute("data-state", "ready")
    press_run(page, "after-setup")
    expect(output(page, "after-setup")).to_have_text("this cell still runs", timeout=RUN_TIMEOUT_MS)


def test_os_exit_ends_the_cell_with_a_message_and_the_engine_restarts(context, base_url):
    page = open_page(context, base_url, "failures")
    wait_until_ready(page)
    press_run(page, "exits")
    expect(cell(page, "exits")).to_have_attribute("data-state", "failed", timeout=RUN_TIMEOUT_MS)
    expect(output(page, "exits")).to_contain_text("Python itself stopped while running this cell")
    expect(output(page, "exits")).to_contain_text("state was reset")
    wait_until_ready(page)
    press_run(page, "after-exit")
    expect(output(page, "after-exit")).to_have_text("engine is back", timeout=RUN_TIMEOUT_MS)
    press_run(page, "uses-setup")   # the restarted engine ran the page's setup again
    expect(output(page, "uses-setup")).to_have_text("setup gave 7", timeout=RUN_TIMEOUT_MS)


def test_cells_clicked_while_the_engine_failed_to_load_run_after_retry(context, base_url):
    page = context.new_page()
    held = hold_requests(page, ENGINE_MODULE)
    page.goto(f"{base_url}/chapters/failures.html")
    press_run(page, "uses-setup")   # clicked while the engine is still loading
    expect(cell(page, "uses-setup")).to_have_attribute("data-state", "queued")
    fail_held(page, held)
    status = page.get_by_role("status")
    expect(status).to_contain_text("Could not load the Python engine", timeout=ENGINE_TIMEOUT_MS)
    expect(output(page, "uses-setup")).to_contain_text("press Retry")
    page.unroute(ENGINE_MODULE)
    status.get_by_role("button", name="Retry").click()
    expect(output(page, "uses-setup")).to_have_text("setup gave 7", timeout=ENGINE_TIMEOUT_MS)


def test_input_says_what_to_do_instead(context, base_url):
    page = open_page(context, base_url, "failures")
    press_run(page, "asks-input")
    error = output(page, "asks-input").locator(".pycell-error")
    expect(error).to_contain_text("input() cannot wait for typing", timeout=ENGINE_TIMEOUT_MS)
    expect(error).to_contain_text('name = "Ada"')
    expect(error).not_to_contain_text("OSError")
    expect(error).not_to_contain_text("pycells_support")


def test_two_tabs_never_lose_an_edit_silently(context, base_url):
    first, second = open_page(context, base_url, "failures"), open_page(context, base_url, "failures")
    for page in (first, second):
        expect(cell(page, "shared-edit").locator(".cm-content")).to_be_visible(timeout=ENGINE_TIMEOUT_MS)
    cell(first, "shared-edit").locator(".cm-content").click()
    first.keyboard.press("Control+a")
    first.keyboard.type('print("edited in the first tab")')

    conflict = cell(second, "shared-edit").locator(".pycell-conflict")
    expect(conflict).to_contain_text("edited in another tab")
    cell(second, "shared-edit").locator(".cm-content").click()
    second.keyboard.press("Control+a")
    second.keyboard.type('print("edited in the second tab")')
    conflict.get_by_role("button", name="Keep this tab's code").click()
    expect(conflict).to_have_count(0)
    # the second tab's code is the saved one now, and the first tab is told in its turn
    other = cell(first, "shared-edit").locator(".pycell-conflict")
    expect(other).to_contain_text("edited in another tab")
    other.get_by_role("button", name="Use the other tab's code").click()
    expect(cell(first, "shared-edit").locator(".cm-content")).to_have_text('print("edited in the second tab")')
    expect(other).to_have_count(0)
    expect(cell(second, "shared-edit").locator(".pycell-conflict")).to_have_count(0)


def draw_and_classify(page):
    draw_a_one(page, page.locator("canvas.digit-pad-canvas"))
    page.get_by_role("button", name="Classify").click()


def test_digit_pad_before_the_network_exists_says_so_plainly(context, base_url):
    page = open_page(context, base_url, "failures")
    wait_until_ready(page)
    draw_and_classify(page)
    message = page.locator(".digit-pad-message")
    expect(message).to_have_text(
        "Could not classify: classify_drawing is not defined yet: run the cells above first.", timeout=RUN_TIMEOUT_MS)


def test_digit_pad_answers_are_not_kept_alive_by_the_page(context, base_url):
    page = open_page(context, base_url, "failures")
    press_run(page, "pad-model")
    expect(cell(page, "pad-model")).to_have_attribute("data-state", "done", timeout=ENGINE_TIMEOUT_MS)
    for _ in range(3):
        draw_and_classify(page)
        expect(page.locator(".digit-pad-bar")).to_have_count(10, timeout=RUN_TIMEOUT_MS)
    press_run(page, "pad-answers-alive")
    expect(output(page, "pad-answers-alive")).to_have_text("answers still alive: 0 of 3", timeout=RUN_TIMEOUT_MS)


def test_a_pending_classify_ends_when_the_engine_fails(context, base_url):
    page = context.new_page()
    held = hold_requests(page, ENGINE_MODULE)
    page.goto(f"{base_url}/chapters/failures.html")
    draw_and_classify(page)   # the engine is still loading
    message = page.locator(".digit-pad-message")
    expect(message).to_have_text("Classifying…")
    fail_held(page, held)
    expect(message).to_have_text(re.compile(r"^Could not classify: the Python engine is not available"),
                                 timeout=ENGINE_TIMEOUT_MS)
