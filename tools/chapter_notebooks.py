"""Read a chapter (.qmd) and turn its ```{pyodide} cells into notebooks.

A chapter is prose with runnable cells. This module

* parses the front matter (``pyodide: packages``, ``pyodide: cell-options``)
  and every ```{pyodide} cell with its ``#|`` options, validating them the
  way the page runtime does (an unknown option or malformed YAML is an
  error naming the file, the cell and the option);
* plans what runs, honouring the options: ``eval: false`` and hint cells
  never run, an exercise's solution runs in place of the exercise followed
  by its checks, setup and ``include: false`` cells run first, in page order,
  as the page runs them at load (a setup cell with an exercise runs right
  before that exercise);
* writes Jupyter notebooks (nbformat v4) in two variants: ``student`` (the
  downloadable one: the exercise with its blanks, the hint as text, the
  checks) and ``solution`` (what the chapter tests execute).

Every planned code cell keeps its provenance (chapter file, position among
the pyodide cells, label, the .qmd line where its code starts) so that a
failure can point at the line to fix.

    python tools/chapter_notebooks.py --out notebooks chapters/*.qmd
    python tools/chapter_notebooks.py        # the same, for every chapter
"""

import argparse
import base64
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
BOOLEAN_OPTIONS = {
    "eval": True, "autorun": False, "echo": True, "edit": True, "include": True,
    "output": True, "runbutton": True, "startover": True, "persist": True,
    "hint": False, "solution": False, "check": False, "setup": False,
}
STRING_OPTIONS = {"label": None, "exercise": None}
NUMBER_OPTIONS = {"timelimit": 0}
DEFAULT_OPTIONS = {**BOOLEAN_OPTIONS, **STRING_OPTIONS, **NUMBER_OPTIONS}
ROLE_OPTIONS = ("hint", "solution", "check", "setup")
PER_CELL_ONLY = ("label", "exercise") + ROLE_OPTIONS
PYODIDE_SETTINGS = ("packages", "cell-options", "engine-url", "wheels")

OPENING_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
PYODIDE_INFO = re.compile(r"^\{\s*pyodide\b(?P<rest>[^}]*)\}$")
OPTION_LINE = re.compile(r"^#\|\s?(?P<yaml>.*)$")
ATTRIBUTE_BLOCK = re.compile(r"\{(?:[#.][\w:-]+|[\w-]+=)[^{}\n]*\}")
SPAN_WITH_ATTRIBUTES = re.compile(r"\[(?P<text>[^\]\n]*)\](?P<attrs>\{\.[^{}\n]*\})")
DIV_FENCE = re.compile(r"^\s*:{3,}\s*(?P<attrs>\{.*\}|[\w-]+)?\s*$")
IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+"[^"]*")?\)')
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif"}


class ChapterError(ValueError):
    """A chapter that the runtime would refuse: names file, cell and option."""


def cell_name(position, label):
    """'cell 4 "label"': a cell's 1-based position among the pyodide cells, and its label."""
    return f'cell {position} "{label}"' if label else f"cell {position}"


@dataclass(frozen=True)
class PyodideCell:
    """One ```{pyodide} cell as written in the chapter.

    position : 1-based rank among the chapter's pyodide cells.
    options : the cell's own ``#|`` options (validated, without defaults).
    code : the code after the option lines.
    code_line : 1-based .qmd line of the first code line.
    """

    position: int
    options: dict
    code: str
    code_line: int

    @property
    def label(self):
        return self.options.get("label")

    def describe(self):
        return cell_name(self.position, self.label)


@dataclass(frozen=True)
class Chapter:
    """A parsed chapter: front matter, and prose (str) and cells in page order."""

    path: Path
    meta: dict
    blocks: list
    cell_defaults: dict = field(default_factory=dict)

    @property
    def cells(self):
        return [block for block in self.blocks if isinstance(block, PyodideCell)]

    @property
    def title(self):
        return str(self.meta.get("title") or self.path.stem)

    @property
    def packages(self):
        return list((self.meta.get("pyodide") or {}).get("packages") or [])

    def option(self, cell, name):
        """The option's value for ``cell``: its own, else the page default, else the global one."""
        if name in cell.options:
            return cell.options[name]
        return self.cell_defaults.get(name, DEFAULT_OPTIONS[name])

    def runs_at_page_load(self, cell):
        """Setup cells without an exercise and ``include: false`` cells: hidden, run first."""
        role = self.role(cell)
        hidden = role == "code" and not self.option(cell, "include")
        page_setup = role == "setup" and not cell.options.get("exercise")
        return (hidden or page_setup) and self.option(cell, "eval")

    def role(self, cell):
        """"hint", "solution", "check", "setup", "exercise" or "code"."""
        for name in ROLE_OPTIONS:
            if cell.options.get(name):
                return name
        return "exercise" if cell.options.get("exercise") else "code"


@dataclass(frozen=True)
class ExecutableCell:
    """Code the harness runs, with where it came from in the chapter.

    role : "code", "setup", "solution", "check", or "exercise" (an exercise
        without a solution cell runs its own code).
    """

    chapter: str
    position: int
    label: object
    code_line: int
    role: str
    code: str

    def name(self):
        return cell_name(self.position, self.label)

    def describe(self):
        role = "" if self.role == "code" else f", {self.role}"
        return f"{self.chapter} {self.name()} (line {self.code_line}{role})"

    def qmd_line(self, line_in_cell):
        """The .qmd line of the ``line_in_cell``-th (1-based) line of this cell's code."""
        return self.code_line + line_in_cell - 1


@dataclass(frozen=True)
class Markdown:
    text: str


def validate_options(options, where):
    """Check names and types of cell options, in place; ``where`` prefixes the messages.

    Numbers given for string options (``exercise: 2``) become strings, as in the runtime.
    """
    for name, value in options.items():
        if name not in DEFAULT_OPTIONS:
            known = ", ".join(sorted(DEFAULT_OPTIONS))
            raise ChapterError(f"{where}: unknown option '{name}' (known: {known})")
        if name in STRING_OPTIONS and isinstance(value, (int, float)) and not isinstance(value, bool):
            options[name] = value = str(value)
        if name in BOOLEAN_OPTIONS and not isinstance(value, bool):
            raise ChapterError(f"{where}: option '{name}' must be true or false, got {value!r}")
        if name in STRING_OPTIONS and not isinstance(value, str):
            raise ChapterError(f"{where}: option '{name}' must be a string, got {value!r}")
        if name in NUMBER_OPTIONS and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise ChapterError(f"{where}: option '{name}' must be a number >= 0, got {value!r}")


def split_front_matter(text, path):
    """Return (front matter dict, body lines, 1-based line number of the body's first line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, lines, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as error:
                raise ChapterError(f"{path}: malformed YAML front matter: {error}") from None
            if not isinstance(meta, dict):
                raise ChapterError(f"{path}: front matter must be a YAML mapping")
            return meta, lines[end + 1:], end + 2
    raise ChapterError(f"{path}: front matter opened with '---' is never closed")


def page_cell_defaults(meta, path):
    """The validated ``pyodide: cell-options`` of a page."""
    settings = meta.get("pyodide") or {}
    if not isinstance(settings, dict):
        raise ChapterError(f"{path}: front matter 'pyodide' must be a mapping")
    for key in settings:
        if key not in PYODIDE_SETTINGS:
            raise ChapterError(f"{path}: front matter: unknown pyodide option '{key}'")
    packages = settings.get("packages") or []
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ChapterError(f"{path}: 'pyodide: packages' must be a list of package names")
    defaults = settings.get("cell-options") or {}
    if not isinstance(defaults, dict):
        raise ChapterError(f"{path}: 'pyodide: cell-options' must be a mapping")
    where = f"{path}: pyodide: cell-options"
    validate_options(defaults, where)
    for name in PER_CELL_ONLY:
        if name in defaults:
            raise ChapterError(f"{where}: option '{name}' belongs to single cells, not to the page")
    return defaults


def parse_cell_body(body, position, first_line, path):
    """Split a cell's lines into options and code; return a PyodideCell."""
    option_lines = []
    for line in body:
        match = OPTION_LINE.match(line)
        if not match:
            break
        option_lines.append(match["yaml"])
    where = f"{path}: cell {position} (line {first_line})"
    try:
        options = yaml.safe_load("\n".join(option_lines)) if option_lines else {}
    except yaml.YAMLError as error:
        problem = str(error).replace("\n", " ")
        raise ChapterError(f"{where}: malformed '#|' option YAML: {problem}") from None
    if not isinstance(options, dict):
        raise ChapterError(f"{where}: '#|' lines must be 'name: value' pairs, got {options!r}")
    validate_options(options, where)
    code = "\n".join(body[len(option_lines):])
    return PyodideCell(position, options, code, first_line + len(option_lines))


def parse_blocks(lines, first_line, path):
    """Prose strings and PyodideCells, in page order. Other code blocks stay in the prose."""
    blocks, prose, index, position = [], [], 0, 0
    while index < len(lines):
        opening = OPENING_FENCE.match(lines[index])
        if not opening:
            prose.append(lines[index])
            index += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(index + 1, len(lines)) if closing.match(lines[j])), None)
        pyodide = PYODIDE_INFO.match(opening["info"])
        if pyodide:
            position += 1
            where = f"{path}: cell {position} (line {first_line + index})"
            if pyodide["rest"].strip():
                raise ChapterError(f"{where}: write options as '#|' lines, not as "
                                   f"fence attributes '{pyodide['rest'].strip()}'")
            if end is None:
                raise ChapterError(f"{where}: the cell's fence is never closed")
            blocks.append("\n".join(prose))
            prose = []
            blocks.append(parse_cell_body(lines[index + 1:end], position,
                                          first_line + index + 1, path))
        else:
            stop = len(lines) if end is None else end + 1
            prose.extend(lines[index:stop])
            end = stop - 1
        index = end + 1
    blocks.append("\n".join(prose))
    return [block for block in blocks if not isinstance(block, str) or block.strip()]


def check_exercise_groups(chapter):
    """Each exercise id has one exercise cell; hints, solutions and checks follow it."""
    exercise_cells, labels = {}, {}
    for cell in chapter.cells:
        where = f"{chapter.path}: {cell.describe()}"
        if cell.label:
            if cell.label in labels:
                raise ChapterError(f"{where}: label '{cell.label}' already used by cell "
                                   f"{labels[cell.label]}")
            labels[cell.label] = cell.position
        roles = [name for name in ROLE_OPTIONS if cell.options.get(name)]
        if len(roles) > 1:
            raise ChapterError(f"{where}: options {' and '.join(roles)} exclude each other")
        exercise = cell.options.get("exercise")
        role = chapter.role(cell)
        if role == "exercise":
            if exercise in exercise_cells:
                raise ChapterError(f"{where}: exercise '{exercise}' already has its exercise "
                                   f"cell (cell {exercise_cells[exercise]})")
            exercise_cells[exercise] = cell.position
        elif role in ("hint", "solution", "check"):
            if not exercise:
                raise ChapterError(f"{where}: option '{role}' needs 'exercise: <id>'")
            if exercise not in exercise_cells:
                raise ChapterError(f"{where}: {role} of exercise '{exercise}' comes before "
                                   f"the exercise cell (or there is none)")
    for cell in chapter.cells:
        exercise = cell.options.get("exercise")
        if chapter.role(cell) == "setup" and exercise and exercise not in exercise_cells:
            raise ChapterError(f"{chapter.path}: {cell.describe()}: setup for exercise "
                               f"'{exercise}', which has no exercise cell")


def parse_chapter(path):
    """Parse a .qmd file into a Chapter; raise ChapterError on invalid cells or options."""
    path = Path(path)
    meta, body, first_line = split_front_matter(path.read_text(encoding="utf-8"), path)
    chapter = Chapter(path, meta, parse_blocks(body, first_line, path),
                      page_cell_defaults(meta, path))
    check_exercise_groups(chapter)
    return chapter


def executable(chapter, cell, role):
    return ExecutableCell(str(chapter.path), cell.position, cell.label, cell.code_line,
                          role, cell.code)


def group_cells(chapter, exercise, role):
    return [cell for cell in chapter.cells
            if cell.options.get("exercise") == exercise and chapter.role(cell) == role]


def exercise_group(chapter, exercise_cell, variant):
    """What an exercise becomes: setup, then the exercise (or its solution), hints, checks."""
    exercise = exercise_cell.options["exercise"]
    runs = lambda cell: chapter.option(cell, "eval")
    items = [executable(chapter, c, "setup") for c in group_cells(chapter, exercise, "setup")
             if runs(c)]
    solutions = [c for c in group_cells(chapter, exercise, "solution") if runs(c)]
    if variant == "solution" and solutions:
        items += [executable(chapter, c, "solution") for c in solutions]
    else:
        items.append(executable(chapter, exercise_cell, "exercise"))
    if variant == "student":
        items += [Markdown(f"**Hint.** {hint.code.strip()}")
                  for hint in group_cells(chapter, exercise, "hint")]
    items += [executable(chapter, c, "check") for c in group_cells(chapter, exercise, "check")
              if runs(c)]
    return items


def notebook_items(chapter, variant):
    """Markdown and ExecutableCell items in notebook order.

    variant : "student" (exercise with blanks, hints, checks) or "solution"
        (the solution in place of the exercise; what the tests run).
    """
    if variant not in ("student", "solution"):
        raise ValueError(f"variant must be 'student' or 'solution', got {variant!r}")
    page_setup = [executable(chapter, cell, "setup") for cell in chapter.cells
                  if chapter.runs_at_page_load(cell)]
    items = []
    for block in chapter.blocks:
        if isinstance(block, str):
            items.append(Markdown(block))
            continue
        items += page_setup
        page_setup = []
        if chapter.role(block) == "exercise" and chapter.option(block, "eval"):
            items += exercise_group(chapter, block, variant)
        elif chapter.role(block) != "code" or chapter.runs_at_page_load(block):
            continue
        elif not chapter.option(block, "eval"):
            items.append(Markdown(f"```python\n{block.code}\n```"))
        else:
            items.append(executable(chapter, block, "code"))
    return items


def executable_cells(chapter):
    """The code cells the harness runs, in order (solutions in place of exercises)."""
    return [item for item in notebook_items(chapter, "solution")
            if isinstance(item, ExecutableCell)]


def readable_prose(text):
    """Markdown a notebook renders: drop Quarto div fences and attribute blocks."""
    lines = []
    for line in text.splitlines():
        div = DIV_FENCE.match(line)
        if not div:
            line = SPAN_WITH_ATTRIBUTES.sub(r"\g<text>", line)
            lines.append(ATTRIBUTE_BLOCK.sub("", line).rstrip())
            continue
        attrs = div["attrs"] or ""
        title = re.search(r'title="([^"]*)"', attrs)
        if "digit-pad" in attrs:
            lines.append("*(The drawing pad works on the course website.)*")
        elif title:
            lines.append(f"**{title[1]}**")
    return "\n".join(lines).strip()


def embed_images(text, folder):
    """Point local images at notebook attachments, so a downloaded notebook shows them.

    Returns (text, attachments) with attachments as nbformat wants them:
    {file name: {mime type: base64 data}}.
    """
    attachments = {}

    def attach(match):
        source = folder / match["src"]
        mime = IMAGE_TYPES.get(source.suffix.lower())
        if ":" in match["src"] or mime is None or not source.is_file():
            return match[0]
        attachments[source.name] = {mime: base64.b64encode(source.read_bytes()).decode("ascii")}
        return f"![{match['alt']}](attachment:{source.name}{match['title'] or ''})"

    return IMAGE.sub(attach, text), attachments


def wheel_notice(wheel_names, packages):
    """The first cell of a downloadable notebook: how to run it on your machine."""
    wheels = " ".join(wheel_names) or "pylib-0.1.0-py3-none-any.whl"
    needs = ", ".join(["numpy"] + [p for p in packages if p != "numpy"])
    return (
        "**Running this notebook on your computer.** On the website every cell runs in "
        "the browser. Here you need Python 3 with " + needs + ", and `pylib`, the "
        "course's small library: download `" + wheels + "` from the course site's "
        "`assets/wheels/` folder, then run\n\n"
        f"```\npip install {wheels}\n```\n\n"
        "The MNIST digits come inside the wheel. Exercises keep their blanks `______`: fill "
        "them in, run the cell, then the check cell below it."
    )


def chapter_notebook(chapter, variant="student", wheel_names=()):
    """An nbformat v4 notebook of the chapter; code cells carry their .qmd provenance."""
    cells = [nbformat.v4.new_markdown_cell(f"# {chapter.title}")]
    if variant == "student":
        cells.append(nbformat.v4.new_markdown_cell(wheel_notice(wheel_names, chapter.packages)))
    for item in notebook_items(chapter, variant):
        if isinstance(item, Markdown):
            text, attachments = embed_images(readable_prose(item.text), chapter.path.parent)
            if text:
                cells.append(nbformat.v4.new_markdown_cell(
                    text, **({"attachments": attachments} if attachments else {})))
            continue
        cell = nbformat.v4.new_code_cell(item.code)
        cell.metadata["qmd"] = {"position": item.position, "line": item.code_line,
                                "role": item.role, **({"label": item.label} if item.label else {})}
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["qmd"] = {"source": str(chapter.path), "variant": variant}
    return notebook


def project_settings(chapter_path):
    """The site's cell settings (``pycells``) of the nearest _quarto.yml above the chapter ({} if none)."""
    for folder in Path(chapter_path).resolve().parents:
        config = folder / "_quarto.yml"
        if config.is_file():
            settings = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pycells")
            return {**(settings or {}), "root": folder}
    return {}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path,
                        help=".qmd files (default: the repository's chapters/*.qmd)")
    parser.add_argument("--out", type=Path, default=REPO / "notebooks",
                        help="folder for <stem>.ipynb (default: the repository's notebooks/)")
    parser.add_argument("--variant", choices=["student", "solution"], default="student",
                        help="student: exercises with blanks (default); solution: what tests run")
    args = parser.parse_args(argv)
    chapters = args.chapters or sorted((REPO / "chapters").glob("*.qmd"))
    if not chapters:
        sys.exit("error: no chapters given and none in chapters/")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in chapters:
        try:
            chapter = parse_chapter(path)
        except ChapterError as error:
            sys.exit(f"error: {error}")
        wheels = [Path(w).name for w in project_settings(path).get("wheels", [])]
        notebook = chapter_notebook(chapter, args.variant, wheels)
        nbformat.validate(notebook)
        target = args.out / f"{path.stem}.ipynb"
        nbformat.write(notebook, target)
        print(f"{target}: {len(executable_cells(chapter))} code cells run")


if __name__ == "__main__":
    main()
