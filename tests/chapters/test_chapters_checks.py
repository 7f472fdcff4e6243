"""Inline checks: a wrong (or differently written) answer gets the feedback written for it.

Each row names a chapter, an exercise, the code a student might put in the
exercise's cell, and the words its check must print. The chapter runs in
CPython up to that check, with the student's code in place of the solution.
"""

from dataclasses import replace

import pytest

from coursekit.chapters import executable_cells, parse_chapter
from coursekit.engines import REPO, run_in_cpython

ANSWERS = [
    # a whole function written from scratch, without the cell's example lines (review row 29)
    ("01-digits", "ex-downsample",
     "def downsample(image28):\n    return image28.reshape(14, 2, 14, 2).mean(axis=(1, 3))\n",
     ["Correct"]),
    # rounded by a cast, not by // (review row 27): the feedback names rounding, not one operator
    ("01-digits", "ex-scale",
     "def scale(raw_pixels):\n    return (raw_pixels / 255).astype(np.uint8)\n",
     ["Not yet: 17 became 0", "rounded down", ".astype(int)"]),
    # a fixed step instead of eps (review row 28): the feedback gives the relative error and asks
    ("04-gradient-descent", "ex-central",
     "def central_difference(f, x, eps=1e-5):\n    return (f(x + 1e-3) - f(x - 1e-3)) / 2e-3\n",
     ["Not yet", "off by 1.7e-07", "Does your function use its argument eps?"]),
]


def check_feedback(stem, exercise, code, site):
    """What the exercise's check prints when the exercise cell holds ``code``."""
    qmd = REPO / "chapters" / f"{stem}.qmd"
    chapter = parse_chapter(qmd)
    name = str(qmd.relative_to(REPO))
    cells = []
    for cell in executable_cells(chapter):
        group = chapter.cells[cell.position - 1].options.get("exercise")
        if group == exercise and cell.role == "solution":
            cell = replace(cell, code=code)
        cells.append(replace(cell, chapter=name))
        if group == exercise and cell.role == "check":
            break
    run = run_in_cpython(cells, name, site)
    assert run.ok, run.failure_report()
    return run.cells[-1].stdout.strip()


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "exercise", "code", "words"), ANSWERS,
                         ids=[f"{row[0]}-{row[1]}" for row in ANSWERS])
def test_a_check_answers_this_code_with_these_words(stem, exercise, code, words, project_site):
    feedback = check_feedback(stem, exercise, code, project_site)
    missing = [word for word in words if word not in feedback]
    assert not missing, f"{stem} {exercise}: the check printed {feedback!r}; it should say {missing}"
