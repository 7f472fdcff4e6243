"""The attribution page and licences/ (coursekit/attribution.py): every third-party project the
site ships or loads is on the page, each committed licence text is the one its package
distributes, and the page's links to the texts work in the site Quarto renders."""
import re
from pathlib import Path

import pytest

from coursekit import attribution, website
from fixture_projects import REPO

LICENCE_LINK = re.compile(r'href="(licences/[^"]+\.txt)"')


@pytest.fixture(scope="module")
def projects(quarto):
    """The projects, their texts read from the mirror, node_modules/, the npm tarballs and Quarto."""
    return attribution.third_party_projects()


def test_the_committed_texts_and_table_are_the_packages_own(projects):
    found = attribution.differences(projects)
    assert not found, "run `make licences`:\n" + "\n".join(found)


def test_every_shipped_project_has_a_row_and_a_text(projects):
    page = attribution.PAGE.read_text(encoding="utf-8")
    for project in projects:
        assert f"](licences/{project.slug}.txt)" in page, f"{project.name} has no row on {attribution.PAGE.name}"
        assert (attribution.LICENCES / f"{project.slug}.txt").is_file(), f"licences/{project.slug}.txt is missing"


def test_the_list_covers_what_the_site_ships(projects):
    names = {project.name for project in projects}
    slugs = {project.slug for project in projects}
    # the packages the pages load, the engine, the editor's packages, MathJax, the typeface, Quarto
    assert {"numpy", "scipy", "matplotlib", "scikit-learn", "Pyodide", "@codemirror/view", "@lezer/python",
            "MathJax", "Quarto"} <= names
    assert {"mnist", "source-sans-pro"} <= slugs
    assert "axe-core" not in names and "esbuild" not in names, "test and build tools are not shipped"


def test_differences_names_a_changed_text_and_a_missing_row(projects, tmp_path):
    folder = tmp_path / "licences"
    page = tmp_path / "attribution.qmd"
    page.write_text(attribution.PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    attribution.write(projects, folder, page)
    assert attribution.differences(projects, folder, page) == []
    (folder / "pyodide-numpy.txt").write_text("retyped\n", encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace("| MathJax |", "| Math |"), encoding="utf-8")
    assert attribution.differences(projects, folder, page) == [
        "licences/pyodide-numpy.txt differs from the text its package distributes",
        "attribution.qmd: the table differs from the list of projects"]


def test_the_course_licences_name_both_and_carry_the_legal_code():
    code, content = (REPO / "LICENSE").read_text(), (REPO / "LICENSE-CONTENT").read_text()
    assert code.startswith("MIT License\n\nCopyright (c) 2026 The Neural Networks from Scratch authors")
    assert content.rstrip().endswith(attribution.spdx_text("CC-BY-SA-4.0").body.rstrip())
    for text in (code, content):
        assert "CC BY-SA 4.0" in text and "CC BY-SA 3.0" in text and "attribution" in text.lower()


def test_every_page_footer_names_the_licences_and_the_page_links_its_texts(quarto_course_site):
    site, _ = quarto_course_site
    pages = [website.html_path(page) for page in website.site_pages(REPO, website.load_config(REPO, None))]
    assert "attribution.html" in pages
    for page in pages:
        html = (site / page).read_text(encoding="utf-8")
        footer = html[html.index('<footer class="footer"'):]
        for text in ("Code MIT", "Text and figures CC BY-SA 4.0", "Attribution"):
            assert text in footer, f"{page}: the footer lacks {text!r}"
        for href in re.findall(r'href="([^"]*attribution\.html[^"]*)"', footer):
            target = (site / Path(page).parent / href.split("#")[0]).resolve()
            assert target == (site / "attribution.html").resolve(), f"{page}: footer link {href!r} misses the page"
    links = LICENCE_LINK.findall((site / "attribution.html").read_text(encoding="utf-8"))
    assert len(links) == len(list(attribution.LICENCES.glob("*.txt")))
    broken = [link for link in links if not (site / link).is_file()]
    assert not broken, f"attribution.html links texts the site does not serve: {broken}"
