"""The attribution page and licences/ (coursekit/attribution.py): every third-party project the
site ships or loads is on the page, each committed licence text is the one its package
distributes, the page's links to the texts work in the site Quarto renders, and its section on
Quarto's page files names the Quarto that rendered it, laid out as an official install or as
this machine's source build, and the versions of the files the site ships."""
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coursekit import attribution, website
from fixture_projects import REPO

LICENCE_LINK = re.compile(r'href="(licences/[^"]+\.txt)"')


@pytest.fixture(scope="module")
def projects(pyodide_mirror):
    """The projects, their texts read from the mirror, node_modules/ and the npm tarballs."""
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
    # the packages the pages load, the engine, the editor's packages, MathJax, the typeface
    assert {"numpy", "scipy", "matplotlib", "scikit-learn", "Pyodide", "@codemirror/view", "@lezer/python",
            "MathJax"} <= names
    assert "Quarto" not in names, "Quarto's files are the render's: its section is written by each render"
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


def quarto_share(quarto):
    """The share folder of the `quarto` on PATH (its resources, from which it copies site_libs/)."""
    return Path(subprocess.run([quarto, "--paths"], capture_output=True, text=True, check=True).stdout.split()[-1])


def installed_layout(real_share, share, notice_folder, version, headers=None):
    """A Quarto laid out with its share folder at `share` and its COPYRIGHT in `notice_folder`: the
    version file and the bundled libraries' files where Quarto keeps them, copied from the real
    installation (`headers`: {library name: a first line that replaces the file's own})."""
    share.mkdir(parents=True)
    (share / "version").write_text(version + "\n", encoding="utf-8")
    notice_folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(attribution.quarto_notice(real_share), notice_folder / "COPYRIGHT")
    for library in attribution.QUARTO_LIBRARIES:
        target = share / library.share_file
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (real_share / library.share_file).read_text(encoding="utf-8")
        if library.name in (headers or {}):
            text = headers[library.name] + "\n" + text
        target.write_text(text, encoding="utf-8")
    return share


def section_versions(section):
    """{library: version} from the rows of a Quarto section's Markdown table."""
    return dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| ", section, re.MULTILINE)[1:])


def test_an_official_install_gives_the_quarto_section(quarto, tmp_path):
    """The official tarball (and the Debian package, the PyPI wheel) keep COPYRIGHT inside share/;
    before the fix the attribution looked only above the share folder and stopped there."""
    real = quarto_share(quarto)
    share = installed_layout(real, tmp_path / "quarto-1.6.42" / "share", tmp_path / "quarto-1.6.42" / "share",
                             "1.6.42")
    section = attribution.quarto_section(share)
    assert "rendered by **Quarto 1.6.42**" in section
    assert attribution.quarto_notice(real).read_text(encoding="utf-8").rstrip() in section
    assert section_versions(section) == attribution.library_versions(real)


def test_a_newer_quarto_names_the_libraries_it_ships(quarto, tmp_path):
    """Quarto 1.8 ships Bootstrap Icons 1.13.1 and autocomplete-js 1.19.1: the section says so."""
    share = installed_layout(quarto_share(quarto), tmp_path / "share", tmp_path / "share", "1.8.27", {
        "Bootstrap Icons": "/*! Bootstrap Icons v1.13.1 (https://icons.getbootstrap.com/) */",
        "Algolia autocomplete-js": "/*! @algolia/autocomplete-js 1.19.1 | MIT License */"})
    section = attribution.quarto_section(share)
    versions = section_versions(section)
    assert "rendered by **Quarto 1.8.27**" in section
    assert (versions["Bootstrap Icons"], versions["Algolia autocomplete-js"]) == ("1.13.1", "1.19.1")


def test_a_source_build_keeps_its_notice_beside_src(quarto, tmp_path):
    share = installed_layout(quarto_share(quarto), tmp_path / "quarto-cli" / "src" / "resources",
                             tmp_path / "quarto-cli", "1.6.42")
    assert attribution.quarto_notice(share) == tmp_path / "quarto-cli" / "COPYRIGHT"
    assert "rendered by **Quarto 1.6.42**" in attribution.quarto_section(share)


def test_a_quarto_without_its_notice_or_a_moved_library_is_named(quarto, tmp_path):
    share = installed_layout(quarto_share(quarto), tmp_path / "share", tmp_path / "elsewhere", "1.6.42")
    with pytest.raises(attribution.AttributionError, match="no COPYRIGHT file in Quarto's share folder"):
        attribution.quarto_section(share)
    (share / attribution.QUARTO_LIBRARIES[0].share_file).unlink()
    with pytest.raises(attribution.AttributionError, match="Bootstrap elsewhere; update QUARTO_LIBRARIES"):
        attribution.library_versions(share)


def test_only_a_quarto_render_is_named_as_one(monkeypatch, tmp_path):
    """The pre-render reads the rendering Quarto from QUARTO_SHARE_PATH; the pandoc fallback runs
    the same scripts without it, so its page says that no Quarto rendered it."""
    assert attribution.rendering_quarto_share({"QUARTO_SHARE_PATH": "/opt/quarto/share"}) == Path("/opt/quarto/share")
    assert attribution.rendering_quarto_share({}) is None
    assert "rendered by pandoc, without Quarto" in attribution.quarto_section(None)
    monkeypatch.setenv("QUARTO_SHARE_PATH", "/opt/quarto/share")
    seen = tmp_path / "seen.txt"
    command = f"python -c open({str(seen)!r},'w').write(__import__('os').environ.get('QUARTO_SHARE_PATH','none'))"
    website.run_project_scripts(tmp_path, {"project": {"pre-render": [command]}}, "pre-render", tmp_path)
    assert seen.read_text() == "none"


def test_the_rendered_page_names_the_quarto_and_libraries_the_site_ships(quarto, quarto_course_site):
    """Like with like: the page's Quarto section against `quarto --version` and the headers of the
    files in the rendered site's site_libs/."""
    site, _ = quarto_course_site
    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "attribution.html").read_text(encoding="utf-8")))
    version = subprocess.run([quarto, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert f"rendered by Quarto {version} (MIT licence)" in page
    for library, shipped in attribution.library_versions(site / "site_libs", "site_file").items():
        assert re.search(rf"{re.escape(library)}\s+{re.escape(shipped)}\s", page), \
            f"the page does not name {library} {shipped}, the version site_libs/ ships"
    notice = attribution.quarto_notice(quarto_share(quarto)).read_text(encoding="utf-8")
    assert notice.splitlines()[1] in page
