"""The site as real Quarto renders it (`make site`, `make offline`): only the site's pages, no
Jupyter, the site's cell settings on every page, URLs that work at a domain root and under a
sub-path, and render errors that stop `quarto render`."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from coursekit import website
from coursekit.mirrors import PYODIDE_VERSION
from fixture_projects import REPO, broken_links, course_pages, make_project, mathjax_script, page_config, render

FIXTURES = REPO / "tests" / "site" / "fixtures"


site_pages = course_pages


def test_quarto_renders_the_site_pages_and_nothing_else(quarto_course_site):
    site, log = quarto_course_site
    rendered = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    assert rendered == sorted(site_pages())
    assert len(rendered) >= 7
    stray = [str(path) for path in REPO.rglob("*.quarto_ipynb") if ".venv" not in path.parts]
    assert not stray, f"quarto render left notebooks in the source tree: {stray}"


def test_no_page_needs_a_jupyter_kernel(quarto_course_site):
    _, log = quarto_course_site
    assert "kernel" not in log.lower(), log


@pytest.mark.parametrize("prefix", ["/", "/course/"])
@pytest.mark.parametrize("renderer", ["quarto", "pandoc"])
def test_every_url_the_filter_writes_names_a_file_of_the_offline_site(request, renderer, prefix):
    if renderer == "quarto":
        site, _ = request.getfixturevalue("quarto_offline_site")
    else:
        site = request.getfixturevalue("pandoc_offline_site")
    broken = [link for page in site_pages() for link in broken_links(site, page, prefix)]
    assert not broken, "\n".join(broken)


@pytest.fixture(scope="module")
def pandoc_offline_site(pylib_wheel, tmp_path_factory):
    site = tmp_path_factory.mktemp("pandoc-offline") / "_site"
    website.render_with_pandoc(REPO, "offline", site)
    website.add_offline_folders(site, link=True)
    return site


@pytest.mark.parametrize("renderer", ["quarto", "pandoc"])
def test_without_an_engine_url_the_pages_load_the_release_of_engine_json_from_the_cdn(request, renderer, tmp_path):
    if renderer == "quarto":
        site, _ = request.getfixturevalue("quarto_course_site")
    else:
        site = website.render_with_pandoc(REPO, None, tmp_path / "_site")
    assert "engine-url" not in website.load_config(REPO, None)["pycells"]
    expected = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
    urls = {page_config((site / page).read_text())["engineUrl"] for page in site_pages()
            if 'id="pycells-config"' in (site / page).read_text()}
    assert urls == {expected}


def test_every_chapter_keeps_the_site_settings_beside_its_own(quarto_offline_site):
    site, _ = quarto_offline_site
    for page in site_pages():
        if not page.startswith("chapters/"):
            continue
        html = (site / page).read_text(encoding="utf-8")
        config = page_config(html)
        assert config["wheels"] == ["../assets/wheels/pylib-0.1.0-py3-none-any.whl"], page
        assert config["engineUrl"] == "../pyodide/", page
        assert mathjax_script(html) == "../assets/mathjax/tex-chtml-full.js", page
        assert f'href="../notebooks/{Path(page).stem}.ipynb"' in html, page
        assert config["packages"][0] == "numpy" and len(config["packages"]) > 1, page
        assert isinstance(config["cells"], list) and config["cells"], page


# ------------------------------------------------------------- small projects
@pytest.mark.parametrize("page, expected", [
    ("bad-option.qmd", "pycells: chapters/bad-option.qmd: cell 2 \"broken-cell\": unknown option 'autorn' "
                       "(did you mean 'autorun'?)"),
    ("bad-type.qmd", "pycells: chapters/bad-type.qmd: cell 1 \"typed\": option 'autorun' must be a boolean"),
    ("duplicate-label.qmd", "pycells: chapters/duplicate-label.qmd: cell 2 \"same\": label 'same' already used by cell 1"),
    ("setup-check.qmd", "pycells: chapters/setup-check.qmd: cell 2: options 'setup' and 'check' exclude each other"),
])
def test_a_bad_cell_stops_quarto_render_naming_file_cell_and_option(quarto, tmp_path, page, expected):
    root = make_project(tmp_path, [FIXTURES / page])
    result = render(root)
    assert result.returncode != 0, result.stdout
    assert expected in result.stderr


def test_a_malformed_option_line_stops_quarto_render_naming_file_and_line(quarto, tmp_path):
    """Quarto reads every cell's `#|` lines as YAML before the filter runs, and stops on its own."""
    root = make_project(tmp_path, [FIXTURES / "bad-yaml.qmd"])
    result = render(root)
    assert result.returncode != 0
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert "In file chapters/bad-yaml.qmd" in output and "11: #| echo false" in output, output


def test_a_site_setting_in_a_page_stops_the_render_saying_where_it_belongs(quarto, tmp_path):
    page = tmp_path / "own-wheels.qmd"
    page.write_text("---\ntitle: Own wheels\nengine: markdown\npyodide:\n  wheels: [/x.whl]\n---\n\n"
                    "```{pyodide}\nprint(1)\n```\n")
    root = make_project(tmp_path / "project", [page])
    result = render(root)
    assert result.returncode != 0
    assert ("pycells: chapters/own-wheels.qmd: front matter pyodide: unknown option 'wheels' "
            "(a site setting: put it under 'pycells:' in _quarto.yml)") in result.stderr


def test_a_relative_site_path_stops_the_render_with_the_fix(quarto, tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "chapter.qmd"], pycells={"wheels": ["assets/x.whl"]})
    result = render(root)
    assert result.returncode != 0
    assert ("_quarto.yml: pycells: wheels: 'assets/x.whl' must start at the "
            "site root with '/' (write '/assets/x.whl'), or be a full URL") in result.stderr


def test_a_site_without_wheels_and_a_pad_only_page_get_json_lists(quarto, tmp_path):
    pad = tmp_path / "pad.qmd"
    pad.write_text("---\ntitle: Pad\nengine: markdown\n---\n\n::: {.digit-pad predict=\"classify\"}\n:::\n")
    root = make_project(tmp_path / "project", [FIXTURES / "chapter.qmd", pad])
    result = render(root)
    assert result.returncode == 0, result.stderr
    for name in ("chapter", "pad"):
        config = page_config((root / "_site" / "chapters" / f"{name}.html").read_text())
        assert config["wheels"] == [] and isinstance(config["packages"], list) and isinstance(config["cells"], list)


OUTPUTS_PAGE = """---
title: Outputs
engine: markdown
---

```{pyodide}
#| label: shown
print("hello")
```

```{pyodide}
#| label: edited
print("the code changed since the build")
```

```{pyodide}
#| label: quiet
#| output: false
print("not shown")
```

```{pyodide}
#| exercise: ex
answer = ______
```

```{pyodide}
#| exercise: ex
#| solution: true
answer = 42
```
"""


def outputs_record(code, text):
    return {"code_sha1": hashlib.sha1(code.encode()).hexdigest(),
            "outputs": [{"kind": "stdout", "text": text}, {"kind": "figure", "png": "iVBORw0KGgo="}]}


def test_the_build_outputs_show_in_the_cells_the_reader_runs_and_nowhere_else(quarto, tmp_path):
    page = tmp_path / "outputs.qmd"
    page.write_text(OUTPUTS_PAGE)
    root = make_project(tmp_path / "project", [page], pycells={"outputs": "/_outputs"})
    records = {"1": outputs_record('print("hello")', "hello <b>\n"),
               "2": outputs_record('print("what the build ran")', "stale\n"),
               "3": outputs_record('print("not shown")', "not shown\n"),
               "4": outputs_record("answer = ______", "exercise output\n"),
               "5": outputs_record("answer = 42", "solution output\n")}
    (root / "_outputs" / "chapters").mkdir(parents=True)
    (root / "_outputs" / "chapters" / "outputs.json").write_text(json.dumps({"cells": records}))
    result = render(root)
    assert result.returncode == 0, result.stderr
    html = (root / "_site" / "chapters" / "outputs.html").read_text()
    config = page_config(html)
    assert [(c["index"], c["buildOutput"], c["prerendered"]) for c in config["cells"]] == [
        (1, True, True), (2, True, False), (3, False, False), (4, False, False), (5, False, False)]
    shipped = re.findall(r'data-pycell="(\d+)"[^>]*data-prerendered="true"|data-prerendered="true"[^>]*data-pycell="(\d+)"', html)
    assert [a or b for a, b in shipped] == ["1"]
    assert "Output computed when the course was built." in html
    assert '<pre class="pycell-stdout">hello &lt;b&gt;\n</pre>' in html
    assert '<img class="pycell-figure" src="data:image/png;base64,iVBORw0KGgo=" alt="Figure 1">' in html
    for text in ("stale", "not shown\n</pre>", "exercise output", "solution output"):
        assert text not in html


def test_a_page_without_its_build_outputs_renders_and_says_so(quarto, tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "chapter.qmd"], pycells={"outputs": "/_outputs"})
    result = render(root)
    assert result.returncode == 0, result.stderr
    assert "pycells: chapters/chapter.qmd: no outputs from the build at" in result.stderr
    config = page_config((root / "_site" / "chapters" / "chapter.html").read_text())
    assert not any(cell["prerendered"] for cell in config["cells"])


def test_every_cell_the_reader_runs_ships_its_build_output(quarto_course_site):
    site, _ = quarto_course_site
    counts = {}
    for page in site_pages():
        html = (site / page).read_text()
        if 'id="pycells-config"' not in html:
            continue
        cells = page_config(html)["cells"]
        counts[page] = (sum(c["prerendered"] for c in cells), sum(c["buildOutput"] for c in cells))
        assert not [c["index"] for c in cells if c["prerendered"] and c["role"] != "code"], page
    missing = {page: f"{shipped} of {shown}" for page, (shipped, shown) in counts.items() if shipped != shown}
    assert not missing, f"cells without their build output: {missing}"
    assert sum(shown for _, shown in counts.values()) >= 80
