"""Every chapter of the course in each browser engine (Chromium, Firefox, WebKit), used the way a
student uses it: with the mouse and the keyboard (coursekit.browsers drives each engine).

For each chapters/*.qmd in Chromium, and in Firefox and WebKit for the first chapter and the
sixth (OTHER_ENGINES_CHAPTERS: what differs between engines, test_browser_each_engine.py and its
neighbours check on their own), on the real site served from localhost with the local Pyodide mirror: open the page, wait for the engine, then run every runnable cell in page order
with its Run button. Code cells must finish without a traceback or a warning, and show
a figure exactly when their source draws one. Before it runs, each code cell shows the output the
build shipped in the page; after, its own, which must be that output (text exactly, but for
durations and rounding noise; as many figures). Each exercise is run first as shipped
(the page asks for the blanks to be filled in), then with its revealed solution pasted
into the editor and run with Shift+Enter (its check must congratulate). On a digit pad,
a vertical stroke must give ten probability bars, the best for 1. The page must raise
no uncaught error, its math must be typeset by the site's own MathJax, and it may ask no host but
this machine for anything (every other request goes to a proxy that refuses it and says so).
Last, in Chromium, with every hint and solution open, axe-core must find no serious or critical
violation at desktop and phone sizes (tests/browser/accessibility.py; what axe checks does not
depend on the engine). Per-chapter times and axe's counts go to the "chapters in the browser"
summary.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from accessibility import check_after_use
from bench.browser import STATUS_TIMELINE
from coursekit import browsers
from coursekit.chapters import chapter_files, group_cells, parse_chapter
from pad_drawing import draw_a_one_on

REPO = Path(__file__).resolve().parents[2]
CHAPTERS = chapter_files(REPO)
SUMMARY = "chapters in the browser"

ENGINE_TIMEOUT_S = 90
CELL_TIMEOUT_S = 120

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
# durations and their ratios ("2.3 times as long"), and rounding noise (numbers below 1e-8 printed
# in scientific notation), each with the spaces that pad it to a column (a wider number takes one).
ENGINE_DEPENDENT = re.compile(r" *\d+(?:\.\d+)? ?(?:ms|s|times as long)\b| *\d(?:\.\d+)?e-(?:09|[1-9]\d)")
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
EDITOR_LINES = """(n) => {
  const content = document.querySelector(`[data-pycell="${n}"] .cm-content`);
  content.scrollIntoView({block: "center", behavior: "instant"});
  return Array.from(content.querySelectorAll(".cm-line"), (line) => line.textContent).join("\\n");
}"""
# What a cell shows: its state, its output as the student reads it, and its parts.
CELL_REPORT = """(n) => {
  const node = document.querySelector(`[data-pycell="${n}"]`);
  const output = node.querySelector(".pycell-output");
  const texts = (selector) => Array.from(output ? output.querySelectorAll(selector) : [], (e) => e.textContent);
  return {state: node.dataset.state ?? "not started", shown: (output && output.innerText) || "(no output)",
          errors: texts(".pycell-error").length, notices: texts(".pycell-notice"),
          warnings: texts(".pycell-stderr"), stdout: texts("pre.pycell-stdout").join(""),
          figures: output ? output.querySelectorAll("img.pycell-figure").length : 0};
}"""
FINISHED = """(n) => ["done", "failed"].includes(document.querySelector(`[data-pycell="${n}"]`).dataset.state)"""
FIGURE_WIDTHS = """(n) => Promise.all(Array.from(document.querySelectorAll(`[data-pycell="${n}"] img.pycell-figure`),
  (image) => image.decode().then(() => image.naturalWidth)))"""


@dataclass
class ChapterRun:
    """What one chapter's run measured, for the summary."""

    name: str
    cell_seconds: dict = field(default_factory=dict)
    exercises: int = 0
    engine_ready_seconds: float = 0.0
    seconds: float = 0.0
    memory_mb: float = 0.0

    def summary_line(self):
        slowest = sorted(self.cell_seconds.items(), key=lambda item: -item[1])[:3]
        slow = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest)
        return (f"{self.name}: {self.seconds:5.1f} s  (engine ready {self.engine_ready_seconds:.1f} s; "
                f"the browser's memory at the end {self.memory_mb:.0f} MB; "
                f"{len(self.cell_seconds)} cell runs, {self.exercises} exercises; slowest: {slow})")


# ----------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def report(summary_section):
    return summary_section(SUMMARY)


# Chromium runs every chapter; Firefox and WebKit, whose own behaviours test_browser_each_engine.py
# and its neighbours check, run the first chapter and the one that trains the digit reader (with the pad)
OTHER_ENGINES_CHAPTERS = ("01-digits", "06-softmax")


def chapter_params():
    """(engine, chapter) pairs: every chapter in Chromium, OTHER_ENGINES_CHAPTERS in the others."""
    if not CHAPTERS:
        return [pytest.param(name, None, id=f"{name}-no-chapters") for name in browsers.ENGINES]
    return [pytest.param(name, path, id=f"{name}-{path.stem}") for name in browsers.ENGINES for path in CHAPTERS
            if name == "chromium" or path.stem in OTHER_ENGINES_CHAPTERS]


# ------------------------------------------------------------------ cells on the page
def where(qmd, cell):
    """'chapters/02-neuron.qmd cell 6 "sigmoid-plot" (line 123)': how failures name a cell."""
    return f"{qmd.relative_to(REPO)} {cell.describe()} (line {cell.code_line})"


def cell_selector(cell, inside=""):
    # pycells numbers a page's cells 1, 2, ... in source order, as the parser's `position`.
    return f'[data-pycell="{cell.position}"] {inside}'.strip()


def cell_report(page, cell):
    return page.evaluate(CELL_REPORT, cell.position)


def runnable_cells(chapter):
    """The cells a student can run, in page order (not hints, solutions, checks or setup)."""
    return [cell for cell in chapter.cells if cell.run == "button"]


def wait_until_finished(page, cell, label):
    """Wait until the cell is done or failed; return the seconds waited."""
    started = time.monotonic()
    try:
        page.wait_for(FINISHED, cell.position, timeout_s=CELL_TIMEOUT_S, message=f"{label}: did not finish")
    except AssertionError as slow:
        found = cell_report(page, cell)
        raise AssertionError(f"{slow}; still {found['state']}; output so far:\n{found['shown']}") from None
    return time.monotonic() - started


def press_run(page, cell):
    page.click(cell_selector(cell, ".pycell-run"))


def start_run(page, chapter, cell):
    """Run the cell as a student can: its Run button, else Shift+Enter; autorun cells run by themselves."""
    if chapter.option(cell, "autorun"):
        return
    if chapter.option(cell, "runbutton"):
        press_run(page, cell)
    else:
        page.click(cell_selector(cell, ".cm-content"))
        page.press("Shift+Enter")


def assert_no_page_errors(page, label):
    errors = page.errors()
    assert not errors, f"{page.engine}: {label}: uncaught error(s) on the page:\n" + "\n".join(errors)


def assert_ran_cleanly(page, cell, label):
    found = cell_report(page, cell)
    assert found["state"] == "done" and not found["errors"] and "Traceback" not in found["shown"], \
        f"{page.engine}: {label}: finished as '{found['state']}' and shows:\n{found['shown']}"
    assert not found["notices"], f"{page.engine}: {label}: shows the notice {found['notices']}; output:\n{found['shown']}"
    assert not found["warnings"], \
        f"{page.engine}: {label}: writes to stderr (shown as a warning):\n" + "".join(found["warnings"])


def assert_figures_match_source(page, cell, label):
    found = cell_report(page, cell)
    if not DRAWS_FIGURE.search(cell.code):
        assert found["figures"] == 0, f"{page.engine}: {label}: shows {found['figures']} figure(s), its code draws none"
        return
    assert found["figures"] >= 1, \
        f"{page.engine}: {label}: draws a figure, but the page shows none; output:\n{found['shown']}"
    widths = page.evaluate(FIGURE_WIDTHS, cell.position)
    assert min(widths) > 50, f"{page.engine}: {label}: a figure did not decode to a real image (widths {widths})"


# ------------------------------------------------------------------------- exercises
def solution_cells(chapter, cell):
    return group_cells(chapter, cell.options["exercise"], "solution")


def reveal_solution(page, chapter, cell, label):
    """Press 'Show solution'; return the solution code the page shows."""
    page.click(cell_selector(cell, ".pycell-show-solution"))
    positions = [solution.position for solution in solution_cells(chapter, cell)]
    return page.wait_for("""(positions) => {
      const blocks = positions.map((n) => document.querySelector(`[data-pycell="${n}"]`));
      if (blocks.some((block) => block.hidden || block.offsetParent === null)) return null;
      return blocks.map((block) => block.querySelector("pre").textContent.replace(/^\\n+|\\n+$/g, "")).join("\\n\\n");
    }""", positions, timeout_s=5, message=f"{label}: the solution stays hidden after 'Show solution'")


def paste_into_editor(page, cell, code, label):
    """Replace the editor's text by `code`, as a student pasting it (no auto-indent)."""
    page.click(cell_selector(cell, ".cm-content"))
    page.select_all()
    page.insert_text(code)
    in_editor = page.evaluate(EDITOR_LINES, cell.position)
    assert in_editor == code, \
        f"{page.engine}: {label}: the editor holds\n{in_editor}\ninstead of the pasted solution\n{code}"


def check_blank_notice(page, cell, label):
    press_run(page, cell)
    wait_until_finished(page, cell, label)
    shown = cell_report(page, cell)["shown"]
    assert shown.strip() == BLANK_NOTICE, f"{page.engine}: {label}: run with its blanks, it shows:\n{shown}"


def check_solution_passes(page, chapter, cell, label):
    """Reveal the solution, paste it in, run it with Shift+Enter; return the run's seconds."""
    solution = "\n\n".join(c.code.strip("\n") for c in solution_cells(chapter, cell))
    revealed = reveal_solution(page, chapter, cell, label)
    assert revealed == solution, f"{page.engine}: {label}: the page's solution differs from the .qmd's:\n{revealed}"
    paste_into_editor(page, cell, solution, label)
    page.press("Shift+Enter")
    seconds = wait_until_finished(page, cell, label)
    assert_ran_cleanly(page, cell, label)
    shown = cell_report(page, cell)["shown"]
    if group_cells(chapter, cell.options["exercise"], "check"):
        assert CHECK_PASSED.search(shown) and not CHECK_FAILED.search(shown), \
            f"{page.engine}: {label}: with the solution pasted in, the check does not pass; it shows:\n{shown}"
    return seconds


# ------------------------------------------------------------------------ digit pad
PAD_STATE = """(index) => {
  const pad = document.querySelectorAll(".digit-pad")[index];
  return {bars: pad.querySelectorAll(".digit-pad-bar").length,
          message: pad.querySelector(".digit-pad-message")?.textContent ?? "",
          values: Array.from(pad.querySelectorAll(".digit-pad-bar .value"), (value) => value.textContent)};
}"""


def check_digit_pads(page, qmd, expected):
    found = page.evaluate("() => document.querySelectorAll('.digit-pad').length")
    assert found == expected, f"{page.engine}: {qmd.relative_to(REPO)}: shows {found} digit pads, not {expected}"
    for number in range(expected):
        label = f"{page.engine}: {qmd.relative_to(REPO)} digit pad {number + 1}"
        draw_a_one_on(page, ".digit-pad canvas", number)
        page.click(".digit-pad button:last-child", number)
        page.wait_for(f"() => ({PAD_STATE})({number}).bars === 10", timeout_s=CELL_TIMEOUT_S,
                      message=f"{label}: no ten bars after Classify")
        state = page.wait_for(f"() => {{ const s = ({PAD_STATE})({number}); return s.message.startsWith('Best') && s; }}",
                              timeout_s=5, message=f"{label}: no best guess after Classify")
        assert state["message"] == "Best guess: 1", f"{label}: a straight vertical stroke reads as {state['message']!r}"
        total = sum(float(value.rstrip(" %")) for value in state["values"])
        assert abs(total - 100) < 1, f"{label}: the ten probabilities add up to {total:.1f} %: {state['values']}"


# ----------------------------------------------------------------------------- test
def open_chapter(engine, course_url, qmd):
    page = engine.browser.new_page()
    page.goto(f"{course_url}/{qmd.relative_to(REPO).with_suffix('.html').as_posix()}")
    return page


def wait_for_engine(page, course_url, label):
    engine = page.evaluate("() => new URL(JSON.parse(document.getElementById('pycells-config').textContent).engineUrl,"
                           " document.baseURI).href")
    assert engine == f"{course_url}/pyodide/", f"{label}: the engine comes from {engine}, not the local mirror"
    page.wait_for("() => document.querySelector('[role=status]')?.dataset.state === 'ready'",
                  timeout_s=ENGINE_TIMEOUT_S, message=f"{label}: the engine did not become ready")
    timeline = page.evaluate(STATUS_TIMELINE)
    return next(step["at"] for step in timeline if step["text"] == "ready") / 1000


def check_shipped_output_before_run(page, cell, shipped, label):
    """The build's output is on the page, marked as such, until the cell runs."""
    if shipped is None or cell.options.get("autorun"):
        return
    found = cell_report(page, cell)
    assert "Output computed when the course was built." in found["shown"], \
        f"{page.engine}: {label}: the build's output is not shown before the cell runs"
    assert found["stdout"] == shipped["stdout"], f"{page.engine}: {label}: the page shows other text than it ships"


def check_run_matches_shipped(page, cell, shipped, label):
    """Run, the cell shows its own output, which is the output the page shipped (text exactly, but for
    ENGINE_DEPENDENT numbers; as many figures)."""
    if shipped is None:
        return
    found = cell_report(page, cell)
    assert "Output computed when the course was built." not in found["shown"], \
        f"{page.engine}: {label}: the build's output is still shown after the cell ran"
    mine, theirs = (ENGINE_DEPENDENT.sub("#", text) for text in (found["stdout"], shipped["stdout"]))
    assert mine == theirs, \
        f"{page.engine}: {label}: the run printed\n{found['stdout']}\nbut the page shipped\n{shipped['stdout']}"
    assert found["figures"] == shipped["figures"], \
        f"{page.engine}: {label}: the run drew {found['figures']} figures, the page shipped {shipped['figures']}"


def run_every_cell(page, qmd, chapter, run):
    shipped_outputs = page.evaluate(SHIPPED_OUTPUTS)
    config = page.evaluate("() => JSON.parse(document.getElementById('pycells-config').textContent)")
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
        assert_no_page_errors(page, label)


def check_math_is_typeset(page, chapter, label):
    """Every math span became MathJax output, from the site's own MathJax, and MathJax left the
    code in the editors alone (it once turned a "\\\\" into "\\")."""
    page.wait_for("() => document.querySelectorAll('span.math').length"
                  " === document.querySelectorAll('span.math mjx-container').length",
                  timeout_s=ENGINE_TIMEOUT_S, message=f"{label}: the math was not typeset")
    altered = [cell.label or f"cell {cell.position}" for cell in runnable_cells(chapter)
               if chapter.option(cell, "echo") and page.evaluate(EDITOR_LINES, cell.position) != cell.code]
    assert not altered, f"{page.engine}: {label}: after typesetting, these editors no longer hold the course's code: {altered}"


@pytest.mark.parametrize(("engine", "qmd"), chapter_params(), indirect=["engine"])
def test_chapter_runs_in_the_browser_through_the_page(engine, qmd, course_url, report):
    if qmd is None:
        pytest.fail(f"{REPO / 'chapters'} holds no .qmd files: there is no chapter to run")
    chapter = parse_chapter(qmd)
    name = str(qmd.relative_to(REPO))
    run = ChapterRun(f"{engine.name} {qmd.stem}")
    started, asked = time.monotonic(), len(engine.proxy.asked)
    page = open_chapter(engine, course_url, qmd)
    try:
        run.engine_ready_seconds = wait_for_engine(page, course_url, f"{engine.name}: {name}")
        check_math_is_typeset(page, chapter, name)
        run_every_cell(page, qmd, chapter, run)
        check_digit_pads(page, qmd, len(DIGIT_PAD.findall(qmd.read_text(encoding="utf-8"))))
        assert_no_page_errors(page, f"{name} after its digit pad")
        if engine.name == "chromium":
            check_after_use(page.page, name, report)
        outside = engine.outside_hosts(asked)
        assert not outside, f"{engine.name}: {name} asked hosts other than this machine: {outside}"
        run.seconds = time.monotonic() - started
        run.memory_mb = browsers.memory_mb(engine.name)
        report(run.summary_line())
    finally:
        page.close()
