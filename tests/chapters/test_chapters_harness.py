"""The execution harness itself, on fixture chapters, in both engines."""

import sys
from pathlib import Path

import pytest

from coursekit.engines import CellRun, ChapterRun, run_in_cpython, run_in_pyodide
from coursekit.chapters import ExecutableCell

FIXTURES = Path(__file__).parent / "fixtures"

ENGINES = ["cpython", "pyodide"]


def cell(chapter, position, label, line, role, code):
    """A cell made here rather than by the filter, named after its label."""
    return ExecutableCell(chapter, position, label, line, role, code, name=str(label), file=f"<{label}>")


@pytest.fixture
def run_fixture(run_chapter, fixture_wheel, fixture_site):
    return lambda name, engine: run_chapter(FIXTURES / name, engine, [fixture_wheel], fixture_site)


@pytest.mark.parametrize("engine", ENGINES)
def test_options_fixture_runs_every_planned_cell_in_order(run_fixture, engine):
    run = run_fixture("options.qmd", engine)
    assert run.ok, run.failure_report()
    assert len(run.cells) == 10
    assert run.cells[-1].stdout == ("trail: setup hidden first solution check cube-setup "
                                    "cube cube-check plot\n")


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_chapter_names_chapter_cell_and_qmd_lines(run_fixture, engine):
    run = run_fixture("broken.qmd", engine)
    assert not run.ok
    assert [c.ok for c in run.cells] == [True, True, False]  # cell 4 never ran
    assert run.cells[1].stdout == "cell 2 ran\n"
    report = run.failure_report()
    assert 'Failing cell: tests/chapters/fixtures/broken.qmd cell 3 "divide" (line 19)' in report
    assert 'File "tests/chapters/fixtures/broken.qmd", line 20 (cell 3 "divide")' in report
    assert 'File "tests/chapters/fixtures/broken.qmd", line 10 (cell 1 "define")' in report
    assert "ratio(total, 0)" in report
    assert report.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "_pyodide" not in report and "<cell " not in report and "pycells_support" not in report


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_points_at_its_qmd_line(run_fixture, engine):
    run = run_fixture("syntax.qmd", engine)
    assert not run.ok
    report = run.failure_report()
    assert 'line 12 (cell 2 "unbalanced")' in report
    assert "SyntaxError" in report


@pytest.mark.slow
def test_cpython_host_is_this_venv_with_the_wheel_on_its_path(fixture_site):
    cells = [cell("inline", 1, "inline", 1, "code",
                  "import sys, harnesswheel\nprint(sys.executable)\nprint(harnesswheel.__file__)")]
    run = run_in_cpython(cells, "inline", fixture_site)
    assert run.ok, run.failure_report()
    executable, module = run.cells[0].stdout.splitlines()
    assert executable == sys.executable
    assert module.startswith(str(fixture_site))


def synthetic_run():
    cells = [cell("ch.qmd", 1, "load", 5, "code", "x = 1"),
             cell("ch.qmd", 3, "train", 20, "solution", "train()")]
    return ChapterRun("Pyodide", "ch.qmd", 2, [CellRun(cells[0], True, 0.25),
                                               CellRun(cells[1], True, 16.5)], {"boot": 2.5})


def test_time_table_lists_every_cell_and_warns_about_slow_ones():
    lines = synthetic_run().time_table(budget=15).splitlines()
    assert lines[0] == "Pyodide  ch.qmd  (startup: boot 2.50 s)"
    assert lines[2].split() == ["1", "load", "5", "code", "0.25", "ok"]
    assert lines[3].split() == ["3", "train", "20", "solution", "16.50", "ok"]
    assert lines[4] == "  total 19.25 s for 2/2 cells"
    assert lines[5] == ('WARNING: ch.qmd train (line 20, solution) took 16.5 s in '
                        'Pyodide (budget 15 s)')
    assert "WARNING" not in synthetic_run().time_table()


def test_a_run_that_stopped_early_is_not_ok():
    run = synthetic_run()
    run.planned = 3
    assert not run.ok
    assert "only 2 of 3 cells ran" in run.failure_report()


def test_page_packages_arrive_after_the_first_cell_and_training_finds_blas(project_wheels, pyodide_mirror):
    """As on a page: scipy comes after the first cell, and pylib's training then takes the BLAS route."""
    before = "import pylib\nprint(pylib.get_matmul_backend())"
    after = ("import numpy as np\n"
             "X, y = np.random.default_rng(0).random((4, 32)), np.arange(32) % 3\n"
             "model = pylib.SoftmaxNetwork(4, 5, n_classes=3)\n"
             "pylib.train(model, X, pylib.one_hot(y, 3), epochs=1, learning_rate=0.1, on_epoch=None)\n"
             "print(pylib.get_matmul_backend())")
    cells = [cell("route.qmd", 1, "before", 1, "code", before),
             cell("route.qmd", 2, "after", 4, "code", after)]
    run = run_in_pyodide(cells, "route.qmd", ["numpy", "scipy"], project_wheels)
    assert run.ok, run.failure_report()
    assert [cell.stdout for cell in run.cells] == ["numpy\n", "blas\n"]


@pytest.mark.parametrize("engine", ENGINES)
def test_both_hosts_run_cells_through_the_pages_support_code(engine, fixture_site, request):
    """The page's support code runs the cells in both engines: its input() message, its figures
    backend, and a dead interpreter ending the run with a message instead of a silent exit."""
    cells = [cell("engine.qmd", 1, "asks", 1, "code", "try:\n    input()\nexcept RuntimeError as error:\n"
                                                      "    print(error)"),
             cell("engine.qmd", 2, "backend", 6, "code", "import os\nprint(os.environ['MPLBACKEND'])"),
             cell("engine.qmd", 3, "exits", 9, "code", "os._exit(1)"),
             cell("engine.qmd", 4, "never", 11, "code", "print('never')")]
    if engine == "cpython":
        run = run_in_cpython(cells, "engine.qmd", fixture_site)
    else:
        request.getfixturevalue("pyodide_mirror")
        run = run_in_pyodide(cells, "engine.qmd", [], [])
    assert "input() cannot wait for typing" in run.cells[0].stdout
    assert run.cells[1].stdout == "module://pycells_mpl_backend\n"
    assert [cell.ok for cell in run.cells] == [True, True, False]
    assert "Python itself stopped" in run.cells[2].traceback
    assert not run.error
