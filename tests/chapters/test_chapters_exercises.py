"""Exercises: each shipped solution passes its own check, and skipping every exercise breaks nothing.

The home page promises that later cells never depend on a reader's answers.
The second test runs each chapter in CPython with every exercise group sealed
in its own namespace, so a cell that uses an exercise's variables fails.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from coursekit.engines import REPO, run_in_cpython
from coursekit.chapters import ExecutableCell, chapter_files, executable_cells, parse_chapter

CHAPTERS = chapter_files(REPO)


def cells_with_exercises_sealed(qmd):
    """The chapter's cells, each exercise group run in its own copy of the page's variables.

    An exercise's set-up, solution and check cells share one namespace, copied from
    the page when the group starts; nothing they define reaches later cells or other
    exercises. A later cell that needs an exercise's variable then fails, as it would
    for a reader who skipped that exercise.
    """
    chapter = parse_chapter(qmd)
    name = str(Path(qmd).relative_to(REPO))
    cells = [ExecutableCell(name, 0, "sealed-exercises", 1, "setup", "_sealed_exercises = {}",
                            name="sealed exercises", file="<sealed exercises>")]
    for cell in executable_cells(chapter):
        group = chapter.cells[cell.position - 1].options.get("exercise")
        if group:
            code = (f"exec(compile({cell.code!r}, {cell.file!r}, 'exec'), "
                    f"_sealed_exercises.setdefault({group!r}, dict(globals())))")
            cell = replace(cell, code=code)
        cells.append(replace(cell, chapter=name))
    return cells


@pytest.mark.parametrize("qmd", CHAPTERS, ids=lambda path: path.stem)
def test_every_solution_passes_its_check(qmd, run_chapter, project_wheels, project_site):
    run = run_chapter(Path(qmd), "cpython", project_wheels, project_site)
    assert run.ok, run.failure_report()
    checks = [cell for cell in run.cells if cell.cell.role == "check"]
    verdicts = [(cell.cell.name, cell.stdout.strip()) for cell in checks]
    assert verdicts, f"{qmd.name} has no exercise check: every chapter has at least one"
    assert all(out.startswith("Correct") for _, out in verdicts), verdicts


@pytest.mark.slow
@pytest.mark.parametrize("qmd", CHAPTERS, ids=lambda path: path.stem)
def test_no_cell_needs_what_an_exercise_defined(qmd, project_site):
    cells = cells_with_exercises_sealed(qmd)
    assert any("_sealed_exercises.setdefault" in cell.code for cell in cells), "the chapter has no exercise"
    run = run_in_cpython(cells, str(Path(qmd).relative_to(REPO)), project_site)
    assert run.ok, run.failure_report()
    checks = [cell.stdout.strip() for cell in run.cells if cell.cell.role == "check"]
    assert checks and all(out.startswith("Correct") for out in checks), checks
