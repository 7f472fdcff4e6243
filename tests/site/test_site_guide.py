"""The instructor's guide (guide.qmd) works as written: its new chapter, added to a copy of the
project as the guide says, renders with real Quarto, shows in every page's sidebar, and is
found and run by the chapter tests (tests/chapters/) in CPython and in Pyodide."""
import re
import shutil
from pathlib import Path

import pytest
import yaml

from coursekit import website
from coursekit.chapters import chapter_files, executable_cells, parse_chapter
from coursekit.engines import run_in_cpython, run_in_pyodide, wheel_site
from fixture_projects import REPO, make_project, render

GUIDE = REPO / "guide.qmd"
# a code block of the guide that shows a file: ```{.lang filename="PATH"} ... ``` (any fence length)
FILE_BLOCK = re.compile(r'^(?P<indent> *)(?P<fence>`{3,})\{\.\w+ filename="(?P<path>[^"]+)"\}\n(?P<body>.*?)\n'
                        r'(?P=indent)(?P=fence)$', re.M | re.S)


def guide_files():
    """{path: text} of the files the guide shows whole or in part (its blocks with a filename)."""
    files = {}
    for match in FILE_BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        indent = len(match["indent"])
        files[match["path"]] = "\n".join(line[indent:] for line in match["body"].splitlines()) + "\n"
    return files


def guide_chapter():
    """(path, text) of the chapter the guide adds."""
    chapters = {path: text for path, text in guide_files().items() if path.startswith("chapters/")}
    assert len(chapters) == 1, f"the guide should show one new chapter file, it shows {sorted(chapters)}"
    return next(iter(chapters.items()))


def sidebar_chapters(config):
    """The contents list of the sidebar's "Chapters" section in a parsed _quarto.yml."""
    for item in config["website"]["sidebar"]["contents"]:
        if isinstance(item, dict) and item.get("section") == "Chapters":
            return item["contents"]
    raise AssertionError("the sidebar has no \"Chapters\" section")


def follow_the_guide(root):
    """Add the guide's chapter to the project in `root`, listing it in the sidebar where the
    guide's _quarto.yml excerpt puts it (after the chapter the excerpt shows before it)."""
    path, text = guide_chapter()
    (root / path).write_text(text, encoding="utf-8")
    excerpt = sidebar_chapters(yaml.safe_load(guide_files()["_quarto.yml"]))
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    listed = sidebar_chapters(config)
    for before, entry in zip(excerpt, excerpt[1:]):
        if entry not in listed and before in listed:
            listed.insert(listed.index(before) + 1, entry)
    (root / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def guided_project(quarto, pylib_wheel, tmp_path_factory):
    """A copy of the project with the course's last chapter, to which the guide's chapter is added."""
    root = make_project(tmp_path_factory.mktemp("guide") / "project", [REPO / "chapters" / "07-libraries.qmd"],
                        wheel=pylib_wheel)
    added = follow_the_guide(root)
    result = render(root)
    assert result.returncode == 0, f"the guide's chapter does not render:\n{result.stdout}\n{result.stderr}"
    return root, added


def test_the_guide_shows_a_chapter_with_a_cell_and_a_checked_exercise():
    path, text = guide_chapter()
    assert re.fullmatch(r"chapters/\d\d-[\w-]+\.qmd", path)
    assert "engine: markdown" in text and "```{pyodide}" in text
    assert "#| exercise:" in text and "#| solution: true" in text and "#| check: true" in text


def test_the_chapter_renders_and_every_page_lists_it_in_the_sidebar(guided_project):
    root, added = guided_project
    site = root / "_site"
    page = website.html_path(added)
    assert (site / page).is_file(), f"{page} was not rendered"
    assert 'class="pycell' in (site / page).read_text(encoding="utf-8"), f"{page} has no cells"
    for other in ("index.html", "chapters/07-libraries.html"):
        sidebar = (site / other).read_text(encoding="utf-8").split('id="quarto-sidebar"', 1)[1].split("</nav>", 1)[0]
        assert Path(page).name in sidebar, f"{other}: the sidebar does not list {page}"


def test_the_chapter_tests_find_and_run_the_chapter(guided_project, pylib_wheel, pyodide_mirror, tmp_path):
    root, added = guided_project
    assert root / added in chapter_files(root), "tests/chapters would not find the chapter"
    cells = executable_cells(parse_chapter(root / added))
    assert [cell.role for cell in cells].count("check") == 1
    run = run_in_cpython(cells, added, wheel_site([pylib_wheel], tmp_path / "site"))
    assert run.ok, run.failure_report()
    verdicts = [cell.stdout.strip() for cell in run.cells if cell.cell.role == "check"]
    assert verdicts and all(verdict.startswith("Correct") for verdict in verdicts), verdicts
    in_pyodide = run_in_pyodide(cells, added, parse_chapter(root / added).packages, [pylib_wheel])
    assert in_pyodide.ok, in_pyodide.failure_report()


def test_a_chapter_left_out_of_the_sidebar_is_caught(tmp_path):
    """The check above is not vacuous: without the guide's sidebar step the chapter is not listed."""
    root = tmp_path / "project"
    (root / "chapters").mkdir(parents=True)
    shutil.copy2(REPO / "_quarto.yml", root / "_quarto.yml")
    path, text = guide_chapter()
    (root / path).write_text(text, encoding="utf-8")
    pages = website.site_pages(root, website.load_config(root, None))
    assert path not in pages
    follow_the_guide(root)
    assert path in website.site_pages(root, website.load_config(root, None))
