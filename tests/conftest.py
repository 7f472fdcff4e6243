"""What every layer under tests/ shares: the tools on sys.path, the course wheel,
and sections of lines printed at the end of the pytest output."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

from coursekit.wheel import COURSE_WHEEL as PYLIB_WHEEL, is_stale  # noqa: E402
from missing_input import missing  # noqa: E402
from slow_starts import slow_start  # noqa: E402

SUMMARY_SECTIONS = pytest.StashKey[dict]()


# Fixtures that start something slow: a Quarto render, a browser, Pyodide under Node, a chapter run.
# The tests that use one (directly or through another fixture), and every test of the layers that
# drive those, are marked `slow`; `make test-fast` runs the others.
SLOW_FIXTURES = {"quarto", "playwright", "engine", "run_chapter", "pyodide_run", "pyodide_mirror"}
SLOW_LAYERS = [REPO / "tests" / layer for layer in ("browser", "quarto", "pyodide")]


class LayerClock:
    """Adds up each layer's seconds (setup, call and teardown) and tests, for every test of the
    session (a plugin, since a conftest's own report hooks see only the tests below it)."""

    def __init__(self):
        self.times: dict[str, list] = {}

    def pytest_runtest_logreport(self, report):
        totals = self.times.setdefault(layer_of(report.nodeid), [0.0, 0])
        totals[0] += report.duration
        totals[1] += report.when == "call"

    def pytest_terminal_summary(self, terminalreporter):
        if not self.times:
            return
        terminalreporter.write_sep("=", "time per layer (setup, call and teardown)")
        for layer, (seconds, tests) in sorted(self.times.items(), key=lambda item: -item[1][0]):
            terminalreporter.write_line(f"{layer:<12} {seconds:8.1f} s  {tests:4d} tests")
        terminalreporter.write_line(f"{'all':<12} {sum(seconds for seconds, _ in self.times.values()):8.1f} s")


def pytest_configure(config):
    config.stash[SUMMARY_SECTIONS] = {}
    config.pluginmanager.register(LayerClock(), "layer-clock")


def layer_of(nodeid: str) -> str:
    """The layer a test belongs to: its folder under tests/ ("browser"), or the top folder."""
    parts = nodeid.split("::")[0].split("/")
    return parts[1] if parts[0] == "tests" and len(parts) > 2 else parts[0]


@pytest.fixture(autouse=True)
def fast_tests_start_nothing_slow(request, monkeypatch):
    """A test not marked slow fails when it starts a render, a chapter run, a browser or a download:
    `make test-fast` leaves out the slow ones, so what it runs is checked by what it starts."""
    if request.node.get_closest_marker("slow"):
        return
    popen_init = subprocess.Popen.__init__

    def guarded(self, args, *more, **options):
        started = slow_start(args)
        if started:
            pytest.fail(f"{request.node.nodeid} starts {started} ({args!r}) but is not marked slow: "
                        "use a slow fixture (tests/conftest.py SLOW_FIXTURES) or @pytest.mark.slow")
        popen_init(self, args, *more, **options)

    monkeypatch.setattr(subprocess.Popen, "__init__", guarded)


def pytest_collection_modifyitems(config, items):
    for item in items:
        in_slow_layer = any(layer in item.path.parents for layer in SLOW_LAYERS)
        if in_slow_layer or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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
        subprocess.run([sys.executable, "-m", "tools.build_wheel", "--out", str(PYLIB_WHEEL.parent)],
                       check=True, cwd=REPO)
    assert PYLIB_WHEEL.is_file(), f"tools/build_wheel.py did not write {PYLIB_WHEEL}"
    return PYLIB_WHEEL


@pytest.fixture(scope="session")
def quarto():
    """The `quarto` on PATH (`make` puts the one `make setup` installed first). Without it the
    tests that need it skip, except under CI (CI=true), where Quarto must be there."""
    found = shutil.which("quarto")
    if found:
        return found
    missing("quarto is not on PATH: `make setup` installs it, or install Quarto 1.6 or newer")


def render_course(out: Path, *extra: str) -> str:
    """Render this course with tools/render_site.py (what `make site` runs) into `out`; returns its output."""
    result = subprocess.run([sys.executable, "-m", "tools.render_site", "--out", str(out), *extra],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, f"render_site.py {' '.join(extra)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def quarto_course_site(quarto, pylib_wheel, tmp_path_factory):
    """(site folder, render output) of the course rendered by real Quarto."""
    site = tmp_path_factory.mktemp("quarto-course") / "_site"
    return site, render_course(site)


@pytest.fixture(scope="session")
def quarto_offline_site(quarto, pylib_wheel, tmp_path_factory):
    """(site folder, render output) of the course's `offline` profile rendered by real Quarto:
    `make offline` into a temporary folder, with its own Pyodide and MathJax."""
    site = tmp_path_factory.mktemp("quarto-offline") / "_site"
    return site, render_course(site, "--profile", "offline")


@pytest.fixture(scope="session")
def pyodide_mirror():
    """The local Pyodide that `make mirror` builds, for the Node host."""
    from coursekit.engines import PYODIDE_MIRROR
    if not (PYODIDE_MIRROR / "pyodide.mjs").exists():
        pytest.fail(f"no Pyodide mirror at {PYODIDE_MIRROR}: run `make mirror`")
    return PYODIDE_MIRROR
