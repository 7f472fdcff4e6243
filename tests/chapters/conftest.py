"""Fixtures for running chapters: wheels, engines, and the per-cell time tables.

The time table of every chapter run is printed at the end of the pytest
output (section "chapter cell times"), with a WARNING line for each Pyodide
cell over the 15 s budget.
"""

import subprocess
from dataclasses import replace
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from chapter_engines import (PYODIDE_BUDGET_SECONDS, PYODIDE_MIRROR, REPO,  # noqa: E402
                             run_in_cpython, run_in_pyodide, wheel_site)
from chapter_notebooks import executable_cells, parse_chapter, project_settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
PYLIB_WHEEL = REPO / "assets" / "wheels" / "pylib-0.1.0-py3-none-any.whl"
WHEEL_INPUTS = [REPO / "pylib" / "src", REPO / "pylib" / "pyproject.toml",
                REPO / "data" / "mnist.npz", REPO / "tools" / "build_wheel.py"]
TIME_TABLES = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[TIME_TABLES] = []


def pytest_terminal_summary(terminalreporter, config):
    tables = config.stash.get(TIME_TABLES, [])
    if tables:
        terminalreporter.write_sep("=", "chapter cell times")
        for table in tables:
            terminalreporter.write_line(table)


def newest_change(paths):
    """The latest modification time of the files in ``paths`` (bytecode caches ignored)."""
    files = [f for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*"))]
    return max((f.stat().st_mtime for f in files
                if f.is_file() and "__pycache__" not in f.parts), default=0.0)


@pytest.fixture(scope="session")
def pylib_wheel():
    """The course wheel students get, rebuilt when missing or older than its sources."""
    builder = REPO / "tools" / "build_wheel.py"
    if not builder.exists():
        pytest.fail(f"{builder} does not exist yet: the chapters need the pylib wheel")
    if not PYLIB_WHEEL.exists() or PYLIB_WHEEL.stat().st_mtime < newest_change(WHEEL_INPUTS):
        subprocess.run([sys.executable, str(builder), "--out", str(PYLIB_WHEEL.parent)],
                       check=True, cwd=REPO)
    assert PYLIB_WHEEL.exists(), f"{builder} did not write {PYLIB_WHEEL}"
    return PYLIB_WHEEL


@pytest.fixture(scope="session")
def project_wheels(pylib_wheel):
    """The wheels _quarto.yml makes every page install (site-root-relative paths)."""
    settings = project_settings(REPO / "_quarto.yml")
    wheels = [REPO / w for w in settings.get("wheels", [])]
    missing = [w for w in wheels if not w.exists()]
    assert not missing, f"_quarto.yml lists wheels that were not built: {missing}"
    return wheels


@pytest.fixture(scope="session")
def project_site(project_wheels, tmp_path_factory):
    """A folder holding the project wheels installed as pip installs them, for PYTHONPATH."""
    return wheel_site(project_wheels, tmp_path_factory.mktemp("project-site"))


@pytest.fixture(scope="session")
def fixture_wheel(tmp_path_factory):
    """A tiny wheel, package ``harnesswheel``, for the harness's own fixture chapters."""
    wheel = tmp_path_factory.mktemp("fixture-wheel") / "harnesswheel-0.1.0-py3-none-any.whl"
    info = "harnesswheel-0.1.0.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("harnesswheel/__init__.py", 'MARK = "wheel installed"\n')
        archive.writestr(f"{info}/METADATA",
                         "Metadata-Version: 2.1\nName: harnesswheel\nVersion: 0.1.0\n")
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: tests\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")
    return wheel


@pytest.fixture(scope="session")
def fixture_site(fixture_wheel, tmp_path_factory):
    return wheel_site([fixture_wheel], tmp_path_factory.mktemp("fixture-site"))


@pytest.fixture(scope="session")
def pyodide_mirror():
    if not (PYODIDE_MIRROR / "pyodide.mjs").exists():
        pytest.fail(f"no Pyodide mirror at {PYODIDE_MIRROR}: run `make mirror`")
    return PYODIDE_MIRROR


@pytest.fixture(scope="session")
def run_chapter(request):
    """run_chapter(qmd, engine, wheels, site) -> ChapterRun, memoised per (qmd, engine).

    engine : "cpython" or "pyodide". The page's packages are _quarto.yml's plus the
    chapter's own; ``wheels`` are installed in Pyodide, ``site`` is CPython's PYTHONPATH.
    """
    runs = {}

    def run(qmd, engine, wheels, site):
        key = (Path(qmd).resolve(), engine)
        if key not in runs:
            chapter = parse_chapter(qmd)
            name = str(Path(qmd).resolve().relative_to(REPO))
            cells = [replace(cell, chapter=name) for cell in executable_cells(chapter)]
            if engine == "cpython":
                result = run_in_cpython(cells, name, site)
                table = result.time_table()
            else:
                request.getfixturevalue("pyodide_mirror")
                packages = project_settings(qmd).get("packages", []) + chapter.packages
                result = run_in_pyodide(cells, name, [], wheels, page_packages=packages)
                table = result.time_table(PYODIDE_BUDGET_SECONDS)
            request.config.stash[TIME_TABLES].append(table)
            runs[key] = result
        return runs[key]

    return run
