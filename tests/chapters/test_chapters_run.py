"""Every chapter runs top to bottom, in CPython and in real Pyodide."""

from pathlib import Path

import pytest

from coursekit.chapters import chapter_files
from coursekit.engines import REPO

CHAPTERS = chapter_files(REPO)
ENGINES = ["cpython", "pyodide"]


def chapter_params():
    if not CHAPTERS:
        return [pytest.param(None, engine, id=f"no-chapters-{engine}") for engine in ENGINES]
    return [pytest.param(path, engine, id=f"{path.stem}-{engine}")
            for path in CHAPTERS for engine in ENGINES]


@pytest.mark.parametrize(("qmd", "engine"), chapter_params())
def test_chapter_runs_top_to_bottom(qmd, engine, run_chapter, project_wheels, project_site):
    if qmd is None:
        pytest.fail(f"{REPO / 'chapters'} holds no .qmd files: there is no chapter to run")
    run = run_chapter(Path(qmd), engine, project_wheels, project_site)
    assert run.ok, run.failure_report()
