"""Small website projects for the tests: a _quarto.yml, the real pycells extension, and pages
copied from a fixtures folder, rendered by real Quarto or by the pandoc fallback."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import yaml

REPO = Path(__file__).resolve().parents[1]
# the extension's contract: its schema, and an example page with its golden page config and outputs
CONTRACT = REPO / "_extensions" / "pycells" / "contract"
CONTRACT_EXAMPLE = CONTRACT / "example.qmd"
RENDER = [sys.executable, "-m", "tools.render_site"]  # what `make site` runs, from the repository folder
CDN_ENGINE = "https://cdn.example.invalid/pyodide/full/"   # a stand-in host
SITE_MATHJAX = REPO / "assets" / "mathjax"  # `make mathjax`


def course_pages() -> list[str]:
    """The course site's pages, as the HTML paths it serves (the site's own list: coursekit.website)."""
    from coursekit import website
    return [website.html_path(page) for page in website.site_pages(REPO, website.load_config(REPO, None))]


def site_math_settings() -> dict:
    """The course's own math settings (its MathJax, no polyfill), as _quarto.yml gives them."""
    html = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))["format"]["html"]
    return {key: html[key] for key in ("html-math-method", "mathjax")}


def make_project(root: Path, chapters: list[Path], *, index: Path | None = None, wheel: Path | None = None,
                 pycells: dict | None = None, offline_profile: dict | None = None, course: dict | None = None) -> Path:
    """Write a project into `root`: `chapters` go to chapters/, `index` (or a blank page) to index.qmd,
    `wheel` to assets/wheels/ and into the site settings, which `pycells` completes."""
    settings = {"engine-url": CDN_ENGINE, "packages": ["numpy"], **(pycells or {})}
    if wheel is not None:
        settings.setdefault("wheels", [f"/assets/wheels/{wheel.name}"])
    config = {
        "project": {"type": "website", "output-dir": "_site", "render": ["/index.qmd", "/chapters/*.qmd"],
                    "resources": ["/assets/wheels/*.whl", "/assets/mathjax/**"]},
        "website": {"title": "Fixture site", "sidebar": {"contents": [
            "index.qmd", {"section": "Chapters", "contents": [f"chapters/{c.name}" for c in chapters]}]}},
        "format": {"html": {"toc": True, "css": "assets/course.css", **site_math_settings()}},
        "filters": [{"path": f"_extensions/{name}/{name}.lua", "at": "pre-ast"} for name in ("course", "pycells")],
        "pycells": settings,
        "course": course or {},
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if offline_profile is not None:
        (root / "_quarto-offline.yml").write_text(yaml.safe_dump(offline_profile), encoding="utf-8")
    shutil.copytree(REPO / "_extensions", root / "_extensions", dirs_exist_ok=True)
    if index is not None:
        shutil.copy2(index, root / "index.qmd")
    else:
        (root / "index.qmd").write_text('---\ntitle: "Fixture home"\n---\n\nNo cells on this page.\n')
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        shutil.copy2(chapter, root / "chapters" / chapter.name)
    (root / "assets" / "wheels").mkdir(parents=True, exist_ok=True)
    (root / "assets" / "course.css").write_text("body { color: black; }\n")
    if not (SITE_MATHJAX / "tex-chtml-full.js").is_file():
        raise FileNotFoundError(f"{SITE_MATHJAX} is missing: run `make mathjax`")
    shutil.copytree(SITE_MATHJAX, root / "assets" / "mathjax", dirs_exist_ok=True)
    if wheel is not None:
        shutil.copy2(wheel, root / "assets" / "wheels" / wheel.name)
    return root


def render(root: Path, *extra: str, renderer: str = "quarto") -> subprocess.CompletedProcess:
    """tools/render_site.py on the project in `root` (what `make site` runs), with Quarto or pandoc."""
    command = [*RENDER, "--root", str(root)] + (["--pandoc"] if renderer == "pandoc" else [])
    return subprocess.run(command + list(extra), capture_output=True, text=True, cwd=REPO)


def page_config(page_html: str) -> dict:
    match = re.search(r'<script type="application/json" id="pycells-config">(.*?)</script>', page_html, re.S)
    assert match, "the page has no pycells config"
    return json.loads(match.group(1))


def mathjax_script(page_html: str) -> str | None:
    """The URL of the MathJax this page loads, if it loads one."""
    match = re.search(r'<script[^>]*\ssrc="([^"]*tex-chtml[^"]*\.js)"', page_html)
    return match.group(1) if match else None


def site_links(page_html: str) -> dict[str, str]:
    """Every URL of the site that the filters write into a page: what -> URL (relative to the page).
    A page without cells (the glossary) has none of the engine's."""
    links = {}
    if 'id="pycells-config"' in page_html:
        config = page_config(page_html)
        links = {f"wheel {i}": wheel for i, wheel in enumerate(config["wheels"])}
        links["engine"] = config["engineUrl"] + "pyodide.mjs"
    mathjax = mathjax_script(page_html)
    if mathjax:
        links["mathjax"] = mathjax
    for number, href in enumerate(re.findall(r'<a href="([^"]+\.ipynb)"', page_html)):
        links[f"notebook link {number}"] = href
    for number, src in enumerate(re.findall(r'<script[^>]* src="([^"]*pycells[^"]*)"', page_html)):
        links[f"runtime script {number}"] = src
    return links


def broken_links(site: Path, page: str, prefix: str) -> list[str]:
    """The links of `page` (a path in `site`) that, served at URL path `prefix`, leave the site or name no file."""
    page_url = f"http://127.0.0.1{prefix}{page}"
    broken = []
    for what, link in site_links((site / page).read_text(encoding="utf-8")).items():
        absolute = urlparse(urljoin(page_url, link))
        if absolute.hostname != "127.0.0.1":
            continue  # a CDN
        if not absolute.path.startswith(prefix) or not (site / absolute.path[len(prefix):]).is_file():
            broken.append(f"{page}: {what} {link!r} -> {absolute.path}")
    return broken
