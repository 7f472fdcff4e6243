"""Run pylib's own tests in real Pyodide 0.27.7 under Node, against the installed wheel.

Through the chapter harness's Pyodide runner (coursekit/engines.py): load
numpy, scipy, matplotlib, scikit-learn (and packaging, which pytest needs) from
the offline mirror, install the pytest wheels of tools/pyodide_test_wheels.py
and the pylib wheel, then run two cells. The first mounts pylib/tests, and only
that folder, so that ``import pylib`` can find nothing but the wheel; the second
runs pytest there.
Tests marked ``native_only`` are deselected. `make test-pylib-pyodide` runs it (tests/pyodide/).
"""

import re
import sys
from dataclasses import dataclass, field
from time import perf_counter

from coursekit.wheel import COURSE_WHEEL as PYLIB_WHEEL
from coursekit.engines import PYODIDE_MIRROR, REPO, run_in_pyodide
from coursekit.chapters import ExecutableCell

TEST_WHEELS = REPO / "build" / "pyodide-test-wheels"
PYLIB_TESTS = REPO / "pylib" / "tests"
PACKAGES = ["numpy", "scipy", "matplotlib", "scikit-learn", "packaging"]
PYTEST_ARGS = ["-q", "-m", "not native_only", "-p", "no:cacheprovider"]
# The repo's layout, so that paths relative to a test file mean what they mean in the checkout.
TESTS_IN_PYODIDE = "/course/pylib/tests"
STATUS_LINE = re.compile(r"^pytest exit status: (-?\d+)$", re.MULTILINE)

# The mounted folder is the checkout's own: no bytecode may be written into it.
MOUNT_TESTS = f"""
import sys
import pyodide_js
from pyodide.ffi import to_js

sys.dont_write_bytecode = True
pyodide_js.FS.mkdirTree({TESTS_IN_PYODIDE!r})
pyodide_js.FS.mount(pyodide_js.FS.filesystems.NODEFS, to_js({{"root": {str(PYLIB_TESTS)!r}}}),
                    {TESTS_IN_PYODIDE!r})
import pylib
print(pylib.__file__)
"""

# The report is collected and printed once, after pytest's exit status is known.
RUN_PYTEST = f"""
import contextlib, io
import pytest
report = io.StringIO()
with contextlib.redirect_stdout(report):
    status = int(pytest.main({[TESTS_IN_PYODIDE, *PYTEST_ARGS]!r}))
print(report.getvalue())
print(f"pytest exit status: {{status}}")
"""


@dataclass
class PyodideTestRun:
    """What pytest did inside Pyodide.

    status : pytest's exit status, or None when pytest did not finish.
    output : pytest's report.
    pylib_file : where ``import pylib`` found the package inside Pyodide.
    startup : seconds for each start-up step the engine recorded (coursekit.engines.STARTUP_STEPS).
    error : a problem outside pytest (engine did not start, a cell failed, time-out).
    """

    status: int | None
    output: str = ""
    pylib_file: str = ""
    seconds: float = 0.0
    startup: dict = field(default_factory=dict)
    error: str = ""


def wheels():
    """The pytest wheels and the pylib wheel, in install order; stop if something is missing."""
    pytest_wheels = sorted(TEST_WHEELS.glob("*.whl"))
    if not (PYODIDE_MIRROR / "pyodide.mjs").is_file() or not pytest_wheels:
        raise FileNotFoundError(f"need the Pyodide mirror {PYODIDE_MIRROR} and the pytest wheels in {TEST_WHEELS}: "
                                "run `make mirror`")
    if not PYLIB_WHEEL.is_file():
        raise FileNotFoundError(f"need {PYLIB_WHEEL}: run `make wheel`")
    return [*pytest_wheels, PYLIB_WHEEL]


def run_pylib_tests(timeout=180):
    """Run pylib/tests in Pyodide with the chapter harness's runner; return a PyodideTestRun."""
    cells = [ExecutableCell("pylib tests", 1, "mount-pylib-tests", 1, "setup", MOUNT_TESTS,
                            name="mount-pylib-tests", file="<mount-pylib-tests>"),
             ExecutableCell("pylib tests", 2, "run-pytest", 1, "code", RUN_PYTEST,
                            name="run-pytest", file="<run-pytest>")]
    start = perf_counter()
    run = run_in_pyodide(cells, "pylib tests", PACKAGES, wheels(), timeout=timeout)
    seconds = perf_counter() - start
    problems = [run.error, *(cell.traceback for cell in run.cells if not cell.ok)]
    report = run.cells[1].stdout if len(run.cells) > 1 else ""
    statuses = STATUS_LINE.findall(report)
    return PyodideTestRun(status=int(statuses[-1]) if statuses else None,
                          output=STATUS_LINE.sub("", report).rstrip(),
                          pylib_file=run.cells[0].stdout.strip() if run.cells else "",
                          seconds=seconds, startup=run.startup,
                          error="\n".join(problem for problem in problems if problem))

