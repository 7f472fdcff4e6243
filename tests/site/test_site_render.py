"""tools/render_site.py with the pandoc fallback: pages, navigation, the filter's
HTML (readable without JavaScript), site config, offline profile, and errors."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
from coursekit import website
from fixture_projects import CDN_ENGINE, REPO, RENDER, make_project, mathjax_script, page_config  # noqa: E402

OFFLINE = {"pycells": {"engine-url": "/pyodide/"}}
DEMO_WHEEL = "demo-0.1.0-py3-none-any.whl"


def project(root: Path, chapters: list[str]) -> Path:
    wheel = root.parent / DEMO_WHEEL
    wheel.write_bytes(b"not really a wheel")
    return make_project(root, [FIXTURES / c for c in chapters], index=FIXTURES / "index.qmd", wheel=wheel,
                        offline_profile=OFFLINE)


def render(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*RENDER, "--root", str(root), "--pandoc", *extra], cwd=REPO,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("site") / "project", ["chapter.qmd"])
    result = render(root)
    assert result.returncode == 0, result.stderr
    return root, result


def test_pandoc_renders_every_listed_page_to_the_same_path(rendered):
    root, result = rendered
    assert "renderer = pandoc" in result.stdout
    assert (root / "_site" / "index.html").is_file()
    assert (root / "_site" / "chapters" / "chapter.html").is_file()


def test_sidebar_lists_the_chapters_with_relative_links(rendered):
    root, _ = rendered
    chapter = (root / "_site" / "chapters" / "chapter.html").read_text()
    nav = chapter[chapter.index('<nav class="site-sidebar"'):chapter.index("</nav>")]
    assert 'href="../index.html"' in nav
    assert 'href="../chapters/chapter.html" aria-current="page">Fixture chapter</a>' in nav
    index = (root / "_site" / "index.html").read_text()
    assert 'href="chapters/chapter.html"' in index


def test_math_css_and_runtime_are_linked_relative_to_the_page(rendered):
    root, _ = rendered
    chapter = (root / "_site" / "chapters" / "chapter.html").read_text()
    assert mathjax_script(chapter) == "../assets/mathjax/tex-chtml-full.js" and r"\(\sigma(z)" in chapter
    assert 'href="../assets/course.css"' in chapter
    for name in ("pycells.js", "codemirror.bundle.js", "pycells.css"):
        assert f"../site_libs/pycells/{name}" in chapter
    for extension in ("pycells", "course"):
        served = [file.name for file in (REPO / "_extensions" / extension).iterdir() if file.is_file()
                  and file.suffix != ".lua" and file.name not in website.EXTENSION_SOURCES]
        assert served
        for name in served:
            assert (root / "_site" / "site_libs" / extension / name).is_file(), name
    assert (root / "_site" / "assets" / "wheels" / DEMO_WHEEL).is_file()


def test_cells_show_highlighted_code_without_javascript(rendered):
    root, _ = rendered
    chapter = (root / "_site" / "chapters" / "chapter.html").read_text()
    cell = chapter[chapter.index('id="pycell-sigmoid-demo"'):]
    cell = cell[:cell.index("</div>\n</div>")]
    assert '<code class="sourceCode python">' in cell
    assert '<span class="kw">def</span> sigmoid(z):' in cell
    assert "#|" not in cell
    plain_text = html.unescape(re.sub(r"<[^>]+>", "", cell))
    assert "return 1 / (1 + np.exp(-z))" in plain_text
    assert 'class="sourceCode python"' in chapter.split('id="pycell-2"')[1]


def test_page_config_merges_site_document_and_cell_options(rendered):
    root, _ = rendered
    config = page_config((root / "_site" / "chapters" / "chapter.html").read_text())
    assert config["engineUrl"] == CDN_ENGINE
    assert config["packages"] == ["numpy", "scipy"]
    assert config["wheels"] == ["../assets/wheels/demo-0.1.0-py3-none-any.whl"]
    first, second = config["cells"]
    assert first["options"]["label"] == "sigmoid-demo"
    assert first["options"]["autorun"] is True          # document cell-options default
    assert second["options"]["autorun"] is False        # the cell's own option wins
    assert second["options"]["timelimit"] == 2.5
    assert first["code"].startswith("import numpy as np\n")
    assert len(config["cells"]) == 2                    # ```{python} is not a runnable cell


@pytest.mark.slow
def test_offline_profile_points_the_engine_at_the_copied_mirror_and_math_at_the_sites_mathjax(tmp_path):
    root = project(tmp_path / "project", ["chapter.qmd"])
    result = render(root, "--profile", "offline")
    assert result.returncode == 0, result.stderr
    chapter = (root / "_site" / "chapters" / "chapter.html").read_text()
    assert page_config(chapter)["engineUrl"] == "../pyodide/"
    assert mathjax_script(chapter) == "../assets/mathjax/tex-chtml-full.js"
    assert (root / "_site" / "pyodide" / "pyodide.js").is_file()
    assert (root / "_site" / "pyodide" / "pyodide-lock.json").is_file()
    assert (root / "_site" / "assets" / "mathjax" / "tex-chtml-full.js").is_file()
    assert (root / "_site" / "assets" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


@pytest.mark.slow
@pytest.mark.parametrize("page, expected", [
    ("bad-option.qmd", "chapters/bad-option.qmd: cell 2 \"broken-cell\": unknown option 'autorn'"),
    ("bad-yaml.qmd", "chapters/bad-yaml.qmd: cell 2: malformed option line 1: '#| echo false'"),
    ("bad-type.qmd", "chapters/bad-type.qmd: cell 1 \"typed\": option 'autorun' must be a boolean"),
    ("duplicate-label.qmd", "chapters/duplicate-label.qmd: cell 2 \"same\": label 'same' already used by cell 1"),
    ("setup-check.qmd", "chapters/setup-check.qmd: cell 2: options 'setup' and 'check' exclude each other"),
])
def test_bad_cell_options_stop_the_render_naming_file_cell_and_option(tmp_path, page, expected):
    root = project(tmp_path / "project", [page])
    result = render(root)
    assert result.returncode != 0
    assert expected in result.stderr


def test_preprocess_turns_cell_fences_into_class_fences():
    source = "```{pyodide}\nx\n```\n\n````{python #id}\ny\n````\n\n```python\nz\n```\n"
    assert website.preprocess(source) == (
        "```{.pyodide}\nx\n```\n\n````{.python #id}\ny\n````\n\n```python\nz\n```\n")


@pytest.mark.slow
def test_every_course_page_renders_and_chapters_offer_their_notebook(tmp_path):
    config = website.load_config(REPO, None)
    pages = website.site_pages(REPO, config)
    missing = [page for page in pages if not (REPO / page).exists()]
    assert not missing, f"_quarto.yml lists pages that do not exist: {missing}"
    site = tmp_path / "site"
    result = subprocess.run([*RENDER, "--pandoc", "--out", str(site)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for page in pages:
        html = (site / website.html_path(page)).read_text(encoding="utf-8")
        assert not re.search(r'href="[^"]*\.qmd', html), f"{page} links to a .qmd source"
        stem = Path(page).stem
        if page.startswith("chapters/"):
            assert f'href="../notebooks/{stem}.ipynb"' in html, f"{page} lacks its notebook link"
            assert (site / "notebooks" / f"{stem}.ipynb").is_file()
        else:
            assert "course-notebook" not in html
        for classes in re.findall(r'<div[^>]* class="(pycell(?: [^"]*)?)"', html):   # the cells, not their parts
            ignored = "mathjax_ignore" in classes.split()
            assert ignored != ("pycell-hint" in classes.split()), \
                f"{page}: a cell with classes '{classes}' (MathJax must skip code and typeset hints)"
    attribution_page = (site / "attribution.html").read_text(encoding="utf-8")
    assert "rendered by pandoc, without Quarto" in attribution_page, "the pandoc site names no Quarto it lacks"
