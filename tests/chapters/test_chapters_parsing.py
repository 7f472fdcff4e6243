"""Reading chapters: cell options, what runs in which order, and the notebooks written."""

import textwrap
from pathlib import Path

import nbformat
import pytest

from coursekit.chapters import (ChapterError, chapter_notebook, executable_cells, main,
                               parse_chapter, readable_prose)

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]


def write_chapter(tmp_path, body, name="chapter.qmd"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip())
    return path


def cell(*lines):
    """A ```{pyodide} cell made of ``lines``."""
    return "\n".join(["```{pyodide}", *lines, "```", ""])


def planned(path):
    return [(c.position, c.role) for c in executable_cells(parse_chapter(path))]


def test_fixture_plan_runs_setup_first_and_solution_then_check():
    assert planned(FIXTURES / "options.qmd") == [
        (2, "setup"), (9, "setup"), (1, "code"), (6, "solution"), (7, "check"),
        (8, "setup"), (10, "exercise"), (11, "check"), (12, "code"), (13, "code")]


def test_eval_false_hint_and_a_cell_inside_a_code_block_never_run():
    chapter = parse_chapter(FIXTURES / "options.qmd")
    assert len(chapter.cells) == 13
    runs = {c.position for c in executable_cells(chapter)}
    assert 3 not in runs  # eval: false
    assert 5 not in runs  # hint
    assert 4 not in runs  # the exercise, replaced by its solution (cell 6)
    assert all("a cell inside a code block ran" not in c.code for c in executable_cells(chapter))


def test_code_line_is_the_qmd_line_of_the_first_code_line():
    path = FIXTURES / "options.qmd"
    qmd_lines = path.read_text().splitlines()
    for pyodide_cell in parse_chapter(path).cells:
        first = pyodide_cell.code.splitlines()[0]
        assert qmd_lines[pyodide_cell.code_line - 1] == first, pyodide_cell.describe()


def test_setup_of_an_exercise_runs_right_before_it(tmp_path):
    path = write_chapter(tmp_path, "\n".join([
        cell("#| exercise: ex", "#| setup: true", "a = 1"),
        cell("b = 2"),
        cell("#| exercise: ex", "c = ______"),
        cell("#| exercise: ex", "#| solution: true", "c = a + b"),
        cell("#| exercise: ex", "#| check: true", "assert c == 3"),
        cell("#| setup: true", "import math"),
    ]))
    assert planned(path) == [(6, "setup"), (2, "code"), (1, "setup"), (4, "solution"),
                             (5, "check")]


def test_a_number_given_as_exercise_id_is_a_string_as_in_the_runtime(tmp_path):
    path = write_chapter(tmp_path, cell("#| exercise: 2", "x = _") +
                         cell("#| exercise: 2", "#| solution: true", "x = 1"))
    assert parse_chapter(path).cells[0].options["exercise"] == "2"
    assert planned(path) == [(2, "solution")]


def test_exercise_without_solution_runs_its_own_code(tmp_path):
    path = write_chapter(tmp_path, cell("#| exercise: open", "x = 1") +
                         cell("#| exercise: open", "#| check: true", "assert x"))
    assert planned(path) == [(1, "exercise"), (2, "check")]


def test_page_cell_options_are_defaults_a_cell_overrides(tmp_path):
    front_matter = "---\npyodide:\n  cell-options: {eval: false, autorun: true}\n---\n"
    path = write_chapter(tmp_path, front_matter + cell("x = 1") +
                         cell("#| eval: true", "#| autorun: false", "y = 2"))
    chapter = parse_chapter(path)
    first, second = chapter.cells
    assert planned(path) == [(2, "code")]
    assert chapter.option(first, "autorun") is True
    assert chapter.option(second, "autorun") is False
    assert chapter.option(first, "echo") is True


@pytest.mark.parametrize(("body", "expected"), [
    (cell("x = 1") + cell("#| evaluate: false", "y = 2"), ["cell 2", "unknown option 'evaluate'"]),
    (cell("#| label: [unclosed", "x = 1"), ["cell 1", "option 'label': unsupported value '[unclosed'"]),
    (cell("#| eval: sometimes", "x = 1"), ["cell 1", "option 'eval' must be a boolean, got sometimes"]),
    (cell("#| timelimit: -3", "x = 1"), ["cell 1", "option 'timelimit' must be >= 0"]),
    (cell("#| just text", "x = 1"), ["cell 1", "malformed option line 1: '#| just text' (expected 'name: value')"]),
    (cell("#| hint: true", "text"), ["cell 1", "option 'hint' needs option 'exercise'"]),
    (cell("#| label: a", "x = 1") + cell("#| label: a", "y = 2"),
     ["cell 2", "label 'a' already used by cell 1"]),
    (cell("#| exercise: e", "#| solution: true", "x = 1") + cell("#| exercise: e", "x = _"),
     ["cell 1", "solution of exercise 'e' comes before the exercise cell"]),
    (cell("#| exercise: e", "x = _") + cell("#| exercise: e", "y = _"),
     ["cell 2", "exercise 'e' already has its exercise cell (cell 1)"]),
    (cell("#| exercise: e", "#| solution: true", "#| check: true", "x = 1"),
     ["cell 1", "options 'solution' and 'check' exclude each other"]),
    (cell("#| exercise: nowhere", "#| setup: true", "x = 1"),
     ["cell 1", "setup for exercise 'nowhere'"]),
    ("```{pyodide label=x}\nx = 1\n```\n", ["cell 1", "fence attributes"]),
    ("```{pyodide}\nx = 1\n", ["line 1", "never closed"]),
    ("---\npyodide:\n  cell-options: {autorun: true, colour: red}\n---\n" + cell("x = 1"),
     ["front matter cell-options", "unknown option 'colour'"]),
    ("---\npyodide:\n  cell-options: {label: same}\n---\n" + cell("x = 1"),
     ["front matter cell-options", "option 'label' belongs to single cells"]),
    ("---\npyodide: {packages: {scipy: 1}}\n---\n" + cell("x = 1"), ["'packages' must be a list of package names"]),
    (cell("#| exercise: e", "#| setup: true", "#| check: true", "x = 1"),
     ["cell 1", "options 'setup' and 'check' exclude each other"]),
    ("---\npyodide: {package: [scipy]}\n---\n" + cell("x = 1"),
     ["front matter pyodide: unknown option 'package'"]),
    ("---\ntitle: [broken\n---\n" + cell("x = 1"), ["malformed YAML front matter"]),
])
def test_invalid_chapters_name_file_cell_and_option(tmp_path, body, expected):
    path = write_chapter(tmp_path, body, "bad-chapter.qmd")
    with pytest.raises(ChapterError) as error:
        parse_chapter(path)
    for fragment in [str(path), *expected]:
        assert fragment in str(error.value)


def test_student_notebook_has_blanks_hint_and_check_but_no_solution():
    chapter = parse_chapter(FIXTURES / "options.qmd")
    notebook = chapter_notebook(chapter, "student", ["pylib-0.1.0-py3-none-any.whl"])
    nbformat.validate(notebook)
    sources = [c.source for c in notebook.cells]
    assert sources[0] == "# Fixture: every cell option"
    assert "pip install pylib-0.1.0-py3-none-any.whl" in sources[1]
    assert "assets/wheels/" in sources[1]
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "return ______" in code
    assert "assert square(3) == 9" in code
    assert "return x * x" not in code + markdown
    assert "**Hint.** Multiply x by itself" in markdown
    assert '```python\nraise RuntimeError("an eval: false cell ran")\n```' in markdown
    assert "$\\text{setup} \\to \\dots \\to \\text{plot}$" in markdown


def test_solution_notebook_holds_the_executed_cells_with_their_provenance():
    chapter = parse_chapter(FIXTURES / "options.qmd")
    notebook = chapter_notebook(chapter, "solution")
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.source for c in code_cells] == [c.code for c in executable_cells(chapter)]
    assert code_cells[2].metadata["qmd"] == {"position": 1, "line": 18, "role": "code",
                                             "label": "first"}


def test_prose_loses_quarto_fences_and_attributes_but_keeps_text_and_math():
    prose = textwrap.dedent("""
        ::: {.callout-tip title="Remember"}
        $$z = Wx + b$$ {#eq-affine}
        :::

        ![A digit](../assets/digit.svg){width=40%} and [bold idea]{.highlight}

        ::: {.digit-pad predict="classify_drawing"}
        :::
        """)
    assert readable_prose(prose) == (
        "**Remember**\n$$z = Wx + b$$\n\n![A digit](../assets/digit.svg) and bold idea\n\n"
        "*(The drawing pad works on the course website.)*")


def test_local_images_become_notebook_attachments(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "neuron.svg").write_text("<svg/>")
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    path = write_chapter(chapters, '![A neuron](../assets/neuron.svg "one") and '
                         "![remote](https://example.org/x.png) and ![gone](nowhere.png)\n")
    markdown = chapter_notebook(parse_chapter(path)).cells[2]
    assert markdown.source == ('![A neuron](attachment:neuron.svg "one") and '
                               "![remote](https://example.org/x.png) and ![gone](nowhere.png)")
    assert markdown.attachments == {"neuron.svg": {"image/svg+xml": "PHN2Zy8+"}}
    nbformat.validate(chapter_notebook(parse_chapter(path)))


def test_cli_writes_one_notebook_per_chapter(tmp_path, capsys):
    main(["--out", str(tmp_path / "notebooks"), str(FIXTURES / "options.qmd"),
          str(FIXTURES / "broken.qmd")])
    written = sorted(p.name for p in (tmp_path / "notebooks").iterdir())
    assert written == ["broken.ipynb", "options.ipynb"]
    notebook = nbformat.read(tmp_path / "notebooks" / "options.ipynb", as_version=4)
    assert "pip install pylib-0.1.0-py3-none-any.whl" in notebook.cells[1].source
    assert "options.ipynb: 10 code cells run" in capsys.readouterr().out


def test_cli_stops_on_an_invalid_chapter(tmp_path):
    path = write_chapter(tmp_path, cell("#| evaluate: false", "x = 1"), "bad.qmd")
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path / "out"), str(path)])
    assert "cell 1" in str(stop.value) and "'evaluate'" in str(stop.value)


def test_quarto_live_hint_and_solution_divs_join_their_exercise():
    chapter = parse_chapter(REPO / "tests" / "browser" / "fixtures" / "live-exercise.qmd")
    assert [(c.role, c.run) for c in chapter.cells[:5]] == [
        ("exercise", "button"), ("hint", "never"), ("hint", "never"), ("solution", "never"), ("check", "with-exercise")]
    assert [c.role for c in executable_cells(chapter)][:2] == ["solution", "check"]
    assert executable_cells(chapter)[0].code == "total = 1 + 2\ntotal"
    student = "\n".join(cell.source for cell in chapter_notebook(chapter, "student").cells)
    assert "total = 1 + 2" not in student
    assert student.count("The numbers are 1 and 2.") == 1
