"""Collects what the Pyodide test runs report and prints it at the end of the pytest output
(section "pylib tests in Pyodide"), passed or not."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

REPORT = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[REPORT] = []


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(REPORT, [])
    if lines:
        terminalreporter.write_sep("=", "pylib tests in Pyodide")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def report(request):
    """report(line): print ``line`` in the final summary section."""
    return request.config.stash[REPORT].append
