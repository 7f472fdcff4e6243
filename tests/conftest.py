"""What every layer under tests/ shares: the tools on sys.path, the course wheel,
and sections of lines printed at the end of the pytest output."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from build_wheel import COURSE_WHEEL as PYLIB_WHEEL, is_stale  # noqa: E402

SUMMARY_SECTIONS = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[SUMMARY_SECTIONS] = {}


def pytest_terminal_summary(terminalreporter, config):
    for title, lines in config.stash.get(SUMMARY_SECTIONS, {}).items():
        terminalreporter.write_sep("=", title)
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def summary_section(request):
    """summary_section(title) -> append(line): lines printed under ``title`` after the run."""
    sections = request.config.stash[SUMMARY_SECTIONS]
    return lambda title: sections.setdefault(title, []).append


@pytest.fixture(scope="session")
def pylib_wheel():
    """The course wheel students get, rebuilt when missing or older than its sources."""
    if is_stale(PYLIB_WHEEL):
        subprocess.run([sys.executable, str(REPO / "tools" / "build_wheel.py"), "--out", str(PYLIB_WHEEL.parent)],
                       check=True, cwd=REPO)
    assert PYLIB_WHEEL.is_file(), f"tools/build_wheel.py did not write {PYLIB_WHEEL}"
    return PYLIB_WHEEL
