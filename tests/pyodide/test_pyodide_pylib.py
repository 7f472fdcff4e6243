"""pylib's own unit tests, run in real Pyodide 0.27.7 against the installed wheel.

Pyodide is wasm32 (numpy.intp and the default int are int32), so these runs
catch what CPython cannot. Every test not marked ``native_only`` must pass.
"""

import re
import subprocess
import sys

import pytest

from coursekit.engines import STARTUP_STEPS
from coursekit.pylib_in_pyodide import PYLIB_TESTS, REPO, run_pylib_tests

# pylib's tests, with the property tests of hypothesis, took 70 to 140 s in Pyodide here (the runner's default is 180 s).
PYODIDE_TIMEOUT = 600
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)")


def collected_in_cpython(*options):
    """The node ids pytest collects from pylib/tests in this CPython, with ``options``."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                             *options, str(PYLIB_TESTS)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode in (0, 5), f"collecting pylib/tests failed:\n{result.stdout}{result.stderr}"
    return [line for line in result.stdout.splitlines() if "::" in line]


def counts(summary):
    """{"passed": 119, "deselected": 3, ...} from pytest's last line."""
    return {word: int(number) for number, word in COUNT.findall(summary)}


@pytest.fixture(scope="module")
def pyodide_run(pylib_wheel):
    return run_pylib_tests(timeout=PYODIDE_TIMEOUT)


def test_every_pylib_test_not_native_only_passes_in_pyodide(pyodide_run, summary_section):
    report = summary_section("pylib tests in Pyodide")
    everything = collected_in_cpython()
    native_only = collected_in_cpython("-m", "native_only")
    summary = pyodide_run.output.splitlines()[-1] if pyodide_run.output else "(no output)"
    startup = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in pyodide_run.startup.items())
    report(f"{summary}  [{pyodide_run.seconds:.1f} s with the engine's start-up: {startup}]")
    report(f"deselected as native_only ({len(native_only)} of {len(everything)} in CPython):")
    for node_id in native_only:
        report(f"  {node_id}")

    assert not pyodide_run.error, pyodide_run.error
    unrecorded = [step for step in STARTUP_STEPS[:2] if step not in pyodide_run.startup]
    assert not unrecorded, f"the engine recorded no time for its start-up steps {unrecorded}: {pyodide_run.startup}"
    status = pyodide_run.status
    assert status == 0, f"pytest in Pyodide exited with {status}:\n{pyodide_run.output}"
    assert pyodide_run.pylib_file.startswith("/lib/python3.12/site-packages/pylib/"), pyodide_run.pylib_file
    found = counts(summary)
    assert found.get("deselected", 0) == len(native_only), summary
    wanted = len(everything) - len(native_only)
    assert found.get("passed", 0) == wanted, f"{summary}; expected all {wanted} tests not native_only to pass"
