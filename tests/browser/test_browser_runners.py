"""One page's cells, each with one setting (figure size, warning, envir) or with input(), give the
same outputs in every runner: the page in Chromium, the CPython host (the build's outputs and the
chapter tests) and the Node host (the chapter tests in Pyodide). fixtures/settings.qmd."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coursekit.chapters import executable_cells, parse_chapter
from coursekit.engines import run_in_cpython, run_in_pyodide

from conftest import FIXTURES

FIXTURE = FIXTURES / "settings.qmd"
ENGINE_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 30_000
# A cell's outputs as the page shows them, in the hosts' record format (figures without their PNG).
PAGE_OUTPUTS = """(node) => Array.from(node.querySelector(".pycell-output").children, (child) => {
  if (child.matches("img.pycell-figure")) return {kind: "figure"};
  const kind = Array.from(child.classList).find((name) => /^pycell-(stdout|stderr|result|error)$/.test(name));
  return kind ? {kind: kind.slice("pycell-".length), text: child.textContent} : {kind: child.className};
})"""
# What each cell must show, whichever runner runs it.
EXPECTED = {
    "figure-size": [{"kind": "stdout", "text": "figure size (3.0, 2.0)\n"}],
    "default-size": [{"kind": "stdout", "text": "figure size (6.4, 4.8)\n"}],
    "quiet": [{"kind": "stdout", "text": "warned quietly\n"}],
    "sandbox": [{"kind": "stdout", "text": "True\n"}],
    "outside": [{"kind": "stdout", "text": "False\n"}],
    "no-typing": [{"kind": "stdout", "text": "InputNotAvailable\n"}],
}


def host_outputs(run):
    return {cell_run.cell.label: [{key: value for key, value in output.items() if key != "png"}
                                  for output in cell_run.outputs] for cell_run in run.cells}


@pytest.fixture(scope="module")
def cells():
    return executable_cells(parse_chapter(FIXTURE))


@pytest.fixture(scope="module")
def page_outputs(browser, base_url, cells):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/chapters/settings.html")
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)
    shown = {}
    for cell in cells:
        node = page.locator(f"#pycell-{cell.label}")
        node.get_by_role("button", name=re.compile("^Run cell")).click()
        expect(node).to_have_attribute("data-state", re.compile("^(done|failed)$"), timeout=RUN_TIMEOUT_MS)
        shown[cell.label] = node.evaluate(PAGE_OUTPUTS)
    context.close()
    return shown


@pytest.fixture(scope="module")
def runs(cells, tmp_path_factory, pyodide_mirror):
    chapter = "tests/browser/fixtures/settings.qmd"
    no_wheels = tmp_path_factory.mktemp("no-wheels")
    return {"the CPython host": host_outputs(run_in_cpython(cells, chapter, no_wheels, stop_at_error=False)),
            "the Node host": host_outputs(run_in_pyodide(cells, chapter, parse_chapter(FIXTURE).packages, [],
                                                         stop_at_error=False))}


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_each_setting_gives_the_same_output_in_every_runner(label, page_outputs, runs):
    assert page_outputs[label] == EXPECTED[label], "the page"
    for runner, outputs in runs.items():
        assert outputs[label] == EXPECTED[label], runner


def test_warnings_and_tracebacks_read_the_same_in_every_runner(page_outputs, runs):
    """The shown warning and the traceback name the cell's file as the page config does."""
    loud, divide = page_outputs["loud"], page_outputs["divide"]
    assert [output["kind"] for output in loud] == ["stderr"]
    assert loud[0]["text"].startswith("<cell 4>:1: UserWarning: a warning everybody sees")
    assert divide[-1]["kind"] == "error"
    assert 'File "<cell 8>", line 1' in divide[-1]["text"]
    assert divide[-1]["text"].rstrip().endswith("ZeroDivisionError: division by zero")
    for runner, outputs in runs.items():
        assert outputs["loud"] == loud, runner
        assert outputs["divide"] == divide, runner
