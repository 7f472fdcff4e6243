"""Fixtures for running chapters: wheels, engines, and the per-cell time tables.

The time table of every chapter run is printed at the end of the pytest
output (section "chapter cell times", through tests/conftest.py), with a WARNING line for each Pyodide
cell over the 15 s budget.
"""

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from coursekit.engines import PYODIDE_BUDGET_SECONDS, REPO, run_in_cpython, run_in_pyodide, wheel_site
from coursekit.chapters import executable_cells, parse_chapter, project_settings

TIME_TABLES = "chapter cell times"


@pytest.fixture(scope="session")
def project_wheels(pylib_wheel):
    """The wheels _quarto.yml makes every page install (site-root-relative paths)."""
    settings = project_settings(REPO / "_quarto.yml")
    wheels = [REPO / w.lstrip("/") for w in settings.get("wheels", [])]
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
def run_chapter(request, summary_section):
    """run_chapter(qmd, engine, wheels, site) -> ChapterRun, memoised per (qmd, engine).

    engine : "cpython" or "pyodide". The page's packages are _quarto.yml's plus the
    chapter's own; ``wheels`` are installed in Pyodide, ``site`` is CPython's PYTHONPATH.
    """
    runs = {}
    add_table = summary_section(TIME_TABLES)

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
                result = run_in_pyodide(cells, name, chapter.packages, wheels)
                table = result.time_table(PYODIDE_BUDGET_SECONDS)
            add_table(table)
            runs[key] = result
        return runs[key]

    return run
