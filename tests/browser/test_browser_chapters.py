"""Every chapter of the course in headless Chromium, used the way a student uses it.

For each chapters/*.qmd, on the real site served from localhost with the local Pyodide
mirror: open the page, wait for the engine, then run every runnable cell in page order
with its Run button. Code cells must finish without a traceback or a warning, and show
a figure exactly when their source draws one. Before it runs, each code cell shows the output the
build shipped in the page; after, its own, which must be that output (text exactly, but for
durations and rounding noise; as many figures). Each exercise is run first as shipped
(the page asks for the blanks to be filled in), then with its revealed solution pasted
into the editor and run with Shift+Enter (its check must congratulate). On a digit pad,
a vertical stroke must give ten probability bars, the best for 1. The page must raise
no uncaught error, and its math must be typeset by the site's own MathJax (requests
that leave localhost are refused). Last, with every hint and solution open, axe-core must find
no serious or critical violation at desktop and phone sizes (tests/browser/accessibility.py).
Per-chapter times and axe's counts go to the "chapters in the browser" summary.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from accessibility import check_after_use
from bench.browser import STATUS_TIMELINE
from coursekit.chapters import group_cells, parse_chapter
from pad_drawing import draw_a_one

REPO = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((REPO / "chapters").glob("*.qmd"))
SUMMARY = "chapters in the browser"

ENGINE_TIMEOUT_MS = 90_000
CELL_TIMEOUT_MS = 120_000
POLL_MS = 50

BLANK = "______"
BLANK_NOTICE = f"Fill in each {BLANK} with your own code first, then run the cell again."
# Cells whose code draws: pyplot calls that open or show a figure, and pylib's plotting helpers.
DRAWS_FIGURE = re.compile(r"\b(?:plt\.(?:subplots|figure|show|plot|imshow|hist|bar)"
                          r"|show_digits|plot_loss|plot_confusion_matrix|show_predictions)\s*\(")
# pylib's checkers and the chapters' own checks both print "Correct: ..." or "Not yet: ...".
CHECK_PASSED = re.compile(r"^Correct\b", re.MULTILINE)
CHECK_FAILED = re.compile(r"^Not yet\b", re.MULTILINE)
DIGIT_PAD = re.compile(r"^:{3,}\s*\{\.digit-pad\b", re.MULTILINE)
# What may differ between the output the build shipped (CPython) and the reader's run (Pyodide):
# durations, and rounding noise (numbers below 1e-8 printed in scientific notation), each with the
# spaces that pad it to a column (a wider number takes one of them).
ENGINE_DEPENDENT = re.compile(r" *\d+(?:\.\d+)? ?(?:ms|s)\b| *\d(?:\.\d+)?e-(?:09|[1-9]\d)")
# Each cell's output as the page's HTML ships it: {cell index: {stdout, figures}}.
SHIPPED_OUTPUTS = """async () => {
  const source = new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html");
  const shipped = {};
  for (const cell of source.querySelectorAll("[data-prerendered]")) {
    const output = cell.querySelector(".pycell-prerendered");
    shipped[cell.dataset.pycell] = {
      stdout: Array.from(output.querySelectorAll("pre.pycell-stdout"), (pre) => pre.textContent).join(""),
      figures: output.querySelectorAll("img").length,
    };
  }
  return shipped;
}"""
# The code an editor shows, line by line as CodeMirror draws it (once the cell is in view, all of it).
EDITOR_LINES = "content => Array.from(content.querySelectorAll('.cm-line'), (line) => line.textContent).join('\\n')"


@dataclass
class ChapterRun:
    """What one chapter's run measured, for the summary."""

    name: str
    cell_seconds: dict = field(default_factory=dict)
    exercises: int = 0
    engine_ready_seconds: float = 0.0
    seconds: float = 0.0

    def summary_line(self):
        slowest = sorted(self.cell_seconds.items(), key=lambda item: -item[1])[:3]
        slow = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest)
        return (f"{self.name}: {self.seconds:5.1f} s  (engine ready {self.engine_ready_seconds:.1f} s; "
                f"{len(self.cell_seconds)} cell runs, {self.exercises} exercises; slowest: {slow})")


# ----------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def outside_requests():
    """URLs the chapters asked for beyond localhost (refused)."""
    return []


@pytest.fixture(scope="module")
def course_context(browser, course_url, outside_requests):
    """One browser context for every chapter (a student's browser: one HTTP cache),
    in which requests that leave localhost are refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def refuse(route):
        outside_requests.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(course_url), refuse)
    yield context
    context.close()


@pytest.fixture(scope="module")
def report(summary_section, outside_requests):
    add = summary_section(SUMMARY)
    yield add
    sites = sorted({re.sub(r"^(\w+://[^/]+).*", r"\1", url) for url in outside_requests})
    add(f"requests refused because they left localhost: {', '.join(sites) or 'none'}")


def chapter_params():
    if not CHAPTERS:
        return [pytest.param(None, id="no-chapters")]
    return [pytest.param(path, id=path.stem) for path in CHAPTERS]


# ------------------------------------------------------------------ cells on the page
def where(qmd, cell):
    """'chapters/02-neuron.qmd cell 6 "sigmoid-plot" (line 123)': how failures name a cell."""
    return f"{qmd.relative_to(REPO)} {cell.describe()} (line {cell.code_line})"


def cell_node(page, cell):
    # pycells numbers a page's cells 1, 2, ... in source order, as the parser's `position`.
    return page.locator(f'[data-pycell="{cell.position}"]')


def output_of(page, cell):
    return cell_node(page, cell).locator(".pycell-output")


def shown(page, cell):
    """The cell's output as the student reads it."""
    return output_of(page, cell).inner_text() or "(no output)"


def runnable_cells(chapter):
    """The cells a student can run, in page order (not hints, solutions, checks or setup)."""
    return [cell for cell in chapter.cells if cell.run == "button"]


def wait_until_finished(page, cell, label):
    """Wait until the cell is done or failed; return the seconds waited."""
    started = time.monotonic()
    try:
        page.wait_for_function(
            """n => ["done", "failed"].includes(document.querySelector(`[data-pycell="${n}"]`).dataset.state)""",
            arg=cell.position, polling=POLL_MS, timeout=CELL_TIMEOUT_MS)
    except PlaywrightTimeout:
        state = cell_node(page, cell).get_attribute("data-state")
        raise AssertionError(f"{label}: still {state} after {CELL_TIMEOUT_MS // 1000} s; "
                             f"output so far:\n{shown(page, cell)}") from None
    return time.monotonic() - started


def press_run(page, cell):
    cell_node(page, cell).get_by_role("button", name=re.compile(r"^Run cell")).click()


def start_run(page, chapter, cell):
    """Run the cell as a student can: its Run button, else Shift+Enter; autorun cells run by themselves."""
    if chapter.option(cell, "autorun"):
        return
    if chapter.option(cell, "runbutton"):
        press_run(page, cell)
    else:
        cell_node(page, cell).locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")


def assert_no_page_errors(errors, label):
    assert not errors, f"{label}: uncaught error(s) on the page:\n" + "\n".join(errors)


def assert_ran_cleanly(page, cell, label):
    output = output_of(page, cell)
    text = shown(page, cell)
    state = cell_node(page, cell).get_attribute("data-state")
    assert state == "done" and output.locator(".pycell-error").count() == 0 and "Traceback" not in text, \
        f"{label}: finished as '{state}' and shows:\n{text}"
    notices = output.locator(".pycell-notice").all_inner_texts()
    assert not notices, f"{label}: shows the notice {notices}; output:\n{text}"
    warnings = output.locator(".pycell-stderr").all_inner_texts()
    assert not warnings, f"{label}: writes to stderr (shown as a warning):\n" + "".join(warnings)


def assert_figures_match_source(page, cell, label):
    figures = output_of(page, cell).locator("img.pycell-figure")
    if not DRAWS_FIGURE.search(cell.code):
        assert figures.count() == 0, f"{label}: shows {figures.count()} figure(s), its code draws none"
        return
    assert figures.count() >= 1, f"{label}: draws a figure, but the page shows none; output:\n{shown(page, cell)}"
    widths = figures.evaluate_all("images => Promise.all(images.map(i => i.decode().then(() => i.naturalWidth)))")
    assert min(widths) > 50, f"{label}: a figure did not decode to a real image (widths {widths})"


# ------------------------------------------------------------------------- exercises
def solution_cells(chapter, cell):
    return group_cells(chapter, cell.options["exercise"], "solution")


def reveal_solution(page, chapter, cell, label):
    """Press 'Show solution'; return the solution code the page shows."""
    cell_node(page, cell).get_by_role("button", name=re.compile(r"^Show solution")).click()
    blocks = [cell_node(page, solution) for solution in solution_cells(chapter, cell)]
    for block in blocks:
        expect(block, f"{label}: the solution stays hidden after 'Show solution'").to_be_visible()
    return "\n\n".join(block.locator("pre").inner_text().strip("\n") for block in blocks)


def paste_into_editor(page, cell, code, label):
    """Replace the editor's text by `code`, as a student pasting it (no auto-indent)."""
    cell_node(page, cell).locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    in_editor = editor_code(page, cell)
    assert in_editor == code, f"{label}: the editor holds\n{in_editor}\ninstead of the pasted solution\n{code}"


def editor_code(page, cell):
    content = cell_node(page, cell).locator(".cm-content")
    content.scroll_into_view_if_needed()
    return content.evaluate(EDITOR_LINES)


def check_blank_notice(page, cell, label):
    press_run(page, cell)
    wait_until_finished(page, cell, label)
    text = shown(page, cell)
    assert text.strip() == BLANK_NOTICE, f"{label}: run with its blanks, it shows:\n{text}"


def check_solution_passes(page, chapter, cell, label):
    """Reveal the solution, paste it in, run it with Shift+Enter; return the run's seconds."""
    solution = "\n\n".join(c.code.strip("\n") for c in solution_cells(chapter, cell))
    revealed = reveal_solution(page, chapter, cell, label)
    assert revealed == solution, f"{label}: the page's solution differs from the .qmd's:\n{revealed}"
    paste_into_editor(page, cell, solution, label)
    page.keyboard.press("Shift+Enter")
    seconds = wait_until_finished(page, cell, label)
    assert_ran_cleanly(page, cell, label)
    text = shown(page, cell)
    if group_cells(chapter, cell.options["exercise"], "check"):
        assert CHECK_PASSED.search(text) and not CHECK_FAILED.search(text), \
            f"{label}: with the solution pasted in, the check does not pass; it shows:\n{text}"
    return seconds


# ------------------------------------------------------------------------ digit pad
def check_digit_pads(page, qmd, expected):
    pads = page.locator(".digit-pad")
    expect(pads, f"{qmd.relative_to(REPO)}: the page shows the wrong number of digit pads").to_have_count(expected)
    for number in range(expected):
        pad = pads.nth(number)
        label = f"{qmd.relative_to(REPO)} digit pad {number + 1}"
        draw_a_one(page, pad.locator("canvas"))
        pad.get_by_role("button", name="Classify").click()
        message = pad.locator(".digit-pad-message")
        expect(pad.locator(".digit-pad-bar"), f"{label}: no ten bars after Classify").to_have_count(
            10, timeout=CELL_TIMEOUT_MS)
        expect(message, f"{label}: a straight vertical stroke is not read as a 1").to_have_text("Best guess: 1")
        values = pad.locator(".digit-pad-bar .value").all_inner_texts()
        total = sum(float(value.rstrip(" %")) for value in values)
        assert abs(total - 100) < 1, f"{label}: the ten probabilities add up to {total:.1f} %: {values}"


# ----------------------------------------------------------------------------- test
def open_chapter(context, course_url, qmd, errors):
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{course_url}/{qmd.relative_to(REPO).with_suffix('.html').as_posix()}")
    return page


def wait_for_engine(page, course_url, label):
    engine = page.evaluate("new URL(JSON.parse(document.getElementById('pycells-config').textContent).engineUrl,"
                           " document.baseURI).href")
    assert engine == f"{course_url}/pyodide/", f"{label}: the engine comes from {engine}, not the local mirror"
    expect(page.get_by_role("status"), f"{label}: the engine did not become ready").to_have_attribute(
        "data-state", "ready", timeout=ENGINE_TIMEOUT_MS)
    timeline = page.evaluate(STATUS_TIMELINE)
    return next(step["at"] for step in timeline if step["text"] == "ready") / 1000


def live_stdout(page, cell):
    return "".join(output_of(page, cell).locator("pre.pycell-stdout").all_text_contents())


def check_shipped_output_before_run(page, cell, shipped, label):
    """The build's output is on the page, marked as such, until the cell runs."""
    if shipped is None or cell.options.get("autorun"):
        return
    output = output_of(page, cell)
    expect(output, f"{label}: the build's output is not shown before the cell runs").to_contain_text(
        "Output computed when the course was built.")
    assert live_stdout(page, cell) == shipped["stdout"], f"{label}: the page shows other text than it ships"


def check_run_matches_shipped(page, cell, shipped, label):
    """Run, the cell shows its own output, which is the output the page shipped (text exactly, but for
    ENGINE_DEPENDENT numbers; as many figures)."""
    if shipped is None:
        return
    output = output_of(page, cell)
    assert "Output computed when the course was built." not in output.inner_text(), \
        f"{label}: the build's output is still shown after the cell ran"
    mine, theirs = (ENGINE_DEPENDENT.sub("#", text) for text in (live_stdout(page, cell), shipped["stdout"]))
    assert mine == theirs, f"{label}: the run printed\n{live_stdout(page, cell)}\nbut the page shipped\n{shipped['stdout']}"
    figures = output.locator("img.pycell-figure").count()
    assert figures == shipped["figures"], f"{label}: the run drew {figures} figures, the page shipped {shipped['figures']}"


def run_every_cell(page, qmd, chapter, errors, run):
    shipped_outputs = page.evaluate(SHIPPED_OUTPUTS)
    config = page.evaluate("JSON.parse(document.getElementById('pycells-config').textContent)")
    missing = [cell["index"] for cell in config["cells"] if cell["buildOutput"] and str(cell["index"]) not in shipped_outputs]
    assert not missing, f"{qmd.relative_to(REPO)}: cells {missing} ship no output from the build"
    for cell in runnable_cells(chapter):
        label = where(qmd, cell)
        if chapter.role(cell) == "exercise" and solution_cells(chapter, cell):
            if BLANK in cell.code:
                check_blank_notice(page, cell, label)
            seconds = check_solution_passes(page, chapter, cell, label)
            run.cell_seconds[f"{cell.options['exercise']} (solution)"] = seconds
            run.exercises += 1
        else:
            shipped = shipped_outputs.get(str(cell.position))
            check_shipped_output_before_run(page, cell, shipped, label)
            start_run(page, chapter, cell)
            run.cell_seconds[cell.label or f"cell {cell.position}"] = wait_until_finished(page, cell, label)
            assert_ran_cleanly(page, cell, label)
            assert_figures_match_source(page, cell, label)
            check_run_matches_shipped(page, cell, shipped, label)
        assert_no_page_errors(errors, label)


def check_math_is_typeset(page, chapter, label):
    """Every math span became MathJax output, although the page may not reach MathJax's CDN,
    and MathJax left the code in the editors alone (it once turned a "\\\\" into "\\")."""
    spans = page.locator("span.math").count()
    if spans:
        expect(page.locator("span.math mjx-container"), f"{label}: the math was not typeset").to_have_count(
            spans, timeout=ENGINE_TIMEOUT_MS)
    altered = [cell.label or f"cell {cell.position}" for cell in runnable_cells(chapter)
               if chapter.option(cell, "echo") and editor_code(page, cell) != cell.code]
    assert not altered, f"{label}: after typesetting, these editors no longer hold the course's code: {altered}"


@pytest.mark.parametrize("qmd", chapter_params())
def test_chapter_runs_in_the_browser_through_the_page(qmd, course_context, course_url, report):
    if qmd is None:
        pytest.fail(f"{REPO / 'chapters'} holds no .qmd files: there is no chapter to run")
    chapter = parse_chapter(qmd)
    run = ChapterRun(qmd.stem)
    errors = []
    started = time.monotonic()
    page = open_chapter(course_context, course_url, qmd, errors)
    try:
        run.engine_ready_seconds = wait_for_engine(page, course_url, str(qmd.relative_to(REPO)))
        check_math_is_typeset(page, chapter, str(qmd.relative_to(REPO)))
        run_every_cell(page, qmd, chapter, errors, run)
        check_digit_pads(page, qmd, len(DIGIT_PAD.findall(qmd.read_text(encoding="utf-8"))))
        assert_no_page_errors(errors, f"{qmd.relative_to(REPO)} after its digit pad")
        check_after_use(page, str(qmd.relative_to(REPO)), report)
        run.seconds = time.monotonic() - started
        report(run.summary_line())
    finally:
        page.close()
