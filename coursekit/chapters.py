"""Read a chapter (.qmd) and turn its ```{pyodide} cells into notebooks.

A chapter is prose with runnable cells. What each cell is and when it runs is
decided in one place, the pycells Lua filter (_extensions/pycells/pycells.lua):
this module runs that filter through pandoc and reads its answer, the page
config, in which every cell has its merged options, its ``role`` ("code",
"exercise", "setup", "hint", "solution", "check") and its ``run`` ("page-load",
"button", "with-exercise", "never"), and every exercise its group of cells. A
chapter the filter refuses raises ChapterError with the filter's message, which
names the file, the cell and the option. This module adds what the filter does
not know: the prose between the cells and the .qmd line of each cell's code.

It plans what the chapter harness runs: page-load cells first, in page order, as
the page runs them when its engine starts; each exercise's solution in place of
the exercise, between its setup and its checks; the other runnable cells in
page order. It writes Jupyter notebooks (nbformat v4) in two variants:
``student`` (the downloadable one: the exercise with its blanks, the hint as
text, the checks) and ``solution`` (what the chapter tests execute).

Every planned code cell keeps its provenance (chapter file, position among
the pyodide cells, label, the .qmd line where its code starts) so that a
failure can point at the line to fix.

    python -m tools.chapter_notebooks --out notebooks chapters/*.qmd
    python -m tools.chapter_notebooks        # the same, for every chapter
"""

import argparse
import base64
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from coursekit import website

REPO = Path(__file__).resolve().parents[1]
PYCELLS_FILTER = REPO / "_extensions" / "pycells" / "pycells.lua"

OPENING_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
PYODIDE_INFO = re.compile(r"^\{\s*pyodide\b(?P<rest>[^}]*)\}$")
PAGE_CONFIG = re.compile(r'<script type="application/json" id="pycells-config">(.*?)</script>', re.S)
ATTRIBUTE_BLOCK = re.compile(r"\{(?:[#.][\w:-]+|[\w-]+=)[^{}\n]*\}")
SPAN_WITH_ATTRIBUTES = re.compile(r"\[(?P<text>[^\]\n]*)\](?P<attrs>\{\.[^{}\n]*\})")
DIV_FENCE = re.compile(r"^\s*:{3,}\s*(?P<attrs>\{.*\}|[\w-]+)?\s*$")
IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+"[^"]*")?\)')
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif"}


class ChapterError(ValueError):
    """A chapter that the filter (and so the render) refuses: names file, cell and option."""


@dataclass(frozen=True)
class PyodideCell:
    """One ```{pyodide} cell, as the filter planned it.

    position : 1-based rank among the chapter's pyodide cells.
    options : every option, the page's defaults and the cell's own merged.
    code : the code after the option lines.
    code_line : 1-based .qmd line of the first code line.
    role, run : the filter's answer (see the module docstring).
    settings : what the cell asks of the engine when it runs (figure size, envir, warnings).
    name, file : the filter's names for it, in messages ('cell 4 "label"') and as the file
        of its code in tracebacks ("<cell 4>").
    """

    position: int
    options: dict
    code: str
    code_line: int
    role: str
    run: str
    settings: dict
    name: str
    file: str

    @classmethod
    def planned(cls, cell, code_line):
        """The cell the filter's page config describes (`cell`), its code starting on `code_line`."""
        return cls(cell["index"], cell["options"], cell["code"], code_line, cell["role"], cell["run"],
                   cell["settings"], cell["name"], cell["file"])

    @property
    def label(self):
        return self.options.get("label")

    def describe(self):
        return self.name


@dataclass(frozen=True)
class Chapter:
    """A parsed chapter: front matter, prose (str) and cells in page order, and the filter's
    exercise groups (id -> {"cell": position, "setup"/"hint"/"solution"/"check": [positions]})."""

    path: Path
    meta: dict
    blocks: list
    exercises: dict = field(default_factory=dict)
    packages: list = field(default_factory=list)

    @property
    def cells(self):
        return [block for block in self.blocks if isinstance(block, PyodideCell)]

    @property
    def title(self):
        return str(self.meta.get("title") or self.path.stem)

    def option(self, cell, name):
        return cell.options[name]

    def runs_at_page_load(self, cell):
        return cell.run == "page-load"

    def role(self, cell):
        return cell.role


@dataclass(frozen=True)
class ExecutableCell:
    """Code the harness runs, with where it came from in the chapter.

    role : "code", "setup", "solution", "check", or "exercise" (an exercise
        without a solution cell runs its own code).
    name, file : how messages name it, and the file name its tracebacks give its code (the
        page config's, for a chapter's cells).
    settings : what it asks of the engine (see PyodideCell).
    """

    chapter: str
    position: int
    label: object
    code_line: int
    role: str
    code: str
    name: str
    file: str
    settings: dict = None

    def describe(self):
        role = "" if self.role == "code" else f", {self.role}"
        return f"{self.chapter} {self.name} (line {self.code_line}{role})"

    def qmd_line(self, line_in_cell):
        """The .qmd line of the ``line_in_cell``-th (1-based) line of this cell's code."""
        return self.code_line + line_in_cell - 1


@dataclass(frozen=True)
class Markdown:
    text: str


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


def page_plan(path, text):
    """The page config the pycells filter writes for this chapter (cells, roles, run plan,
    exercises, packages), read from pandoc's output; ChapterError with the filter's message."""
    # the plan needs no outputs from the build (which are made from the plan)
    settings = {key: value for key, value in project_settings(path).items() if key not in ("root", "outputs")}
    metadata = {"pycells": settings, "page-source": str(path), "page-offset": "."}
    with tempfile.TemporaryDirectory(prefix="chapter-plan-") as work:
        meta_file = Path(work) / "metadata.json"
        meta_file.write_text(json.dumps(metadata), encoding="utf-8")
        completed = subprocess.run(
            [website.pandoc_binary(), "--from=markdown", "--to=html5", f"--lua-filter={PYCELLS_FILTER}",
             f"--metadata-file={meta_file}"],
            input=website.preprocess(text), capture_output=True, text=True)
    if completed.returncode != 0:
        reasons = [line for line in completed.stderr.splitlines() if line.startswith("pycells:")]
        raise ChapterError(reasons[0].removeprefix("pycells: ") if reasons else f"{path}: {completed.stderr.strip()}")
    match = PAGE_CONFIG.search(completed.stdout)
    return json.loads(match.group(1)) if match else {"cells": [], "exercises": {}, "packages": []}


def parse_blocks(lines, first_line, path):
    """Prose strings and (fence line, body lines) of each pyodide cell, in page order.
    Other code blocks stay in the prose."""
    blocks, prose, index = [], [], 0
    while index < len(lines):
        opening = OPENING_FENCE.match(lines[index])
        if not opening:
            prose.append(lines[index])
            index += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(index + 1, len(lines)) if closing.match(lines[j])), None)
        if PYODIDE_INFO.match(opening["info"]):
            if end is None:
                raise ChapterError(f"{path}: the cell fenced on line {first_line + index} is never closed")
            blocks.append("\n".join(prose))
            prose = []
            blocks.append((first_line + index, lines[index + 1:end]))
        else:
            stop = len(lines) if end is None else end + 1
            prose.extend(lines[index:stop])
            end = stop - 1
        index = end + 1
    blocks.append("\n".join(prose))
    return [block for block in blocks if not isinstance(block, str) or block.strip()]


def parse_chapter(path):
    """Parse a .qmd file into a Chapter; raise ChapterError on invalid cells or options."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    meta, body, first_line = split_front_matter(text, path)
    plan = page_plan(path, text)
    planned = list(plan["cells"])
    lines = text.splitlines()
    blocks = []

    def take_div_cells():
        """quarto-live hint and solution divs the filter made cells of, up to the next fenced cell."""
        while planned and planned[0].get("fromDiv"):
            cell = planned.pop(0)
            first = cell["code"].splitlines()[0] if cell["code"].strip() else None
            line = next((n for n, text_line in enumerate(lines, 1) if first and text_line.strip() == first.strip()), 0)
            blocks.append(PyodideCell.planned(cell, line))

    for block in parse_blocks(body, first_line, path):
        if isinstance(block, str):
            blocks.append(block)
            continue
        fence_line, _ = block
        take_div_cells()
        if not planned:
            raise ChapterError(f"{path}: the cell fenced on line {fence_line} is not a cell for pandoc "
                               "(is it inside another block?)")
        cell = planned.pop(0)
        blocks.append(PyodideCell.planned(cell, fence_line + 1 + cell["optionLines"]))
    take_div_cells()
    if planned:
        raise ChapterError(f"{path}: pandoc finds more pyodide cells than this reader does")
    return Chapter(path, meta, blocks, plan["exercises"] or {}, plan["packages"])


def executable(chapter, cell, role):
    return ExecutableCell(str(chapter.path), cell.position, cell.label, cell.code_line,
                          role, cell.code, cell.name, cell.file, cell.settings)


def group_cells(chapter, exercise, role):
    """The cells with `role` ("setup", "hint", "solution", "check") in an exercise's group."""
    positions = chapter.exercises.get(exercise, {}).get(role, [])
    return [cell for cell in chapter.cells if cell.position in positions]


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
    """Markdown a notebook renders: drop Quarto div fences and attribute blocks, and the hint and
    solution divs of quarto-live exercises (the notebook has their exercise's own cells)."""
    lines, skipping = [], 0   # skipping: the div depth inside a hint or solution div
    for line in text.splitlines():
        div = DIV_FENCE.match(line)
        if skipping:
            skipping += 0 if not div else (1 if div["attrs"] else -1)
            continue
        if div and re.search(r"\.(hint|solution)\b", div["attrs"] or "") and "exercise=" in div["attrs"]:
            skipping = 1
            continue
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
    """The first cell of a downloadable notebook: how to run it on your machine (`packages`: the page's)."""
    wheels = " ".join(wheel_names) or "pylib-0.1.0-py3-none-any.whl"
    needs = ", ".join(packages)  # the page config's, numpy first
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


def chapter_files(root=REPO):
    """The chapters of the project in `root`, as the chapter tests find them: chapters/*.qmd, sorted."""
    return sorted((Path(root) / "chapters").glob("*.qmd"))


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
    chapters = args.chapters or chapter_files()
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

