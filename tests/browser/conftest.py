"""Browser fixtures: fixture pages rendered through the pycells filter, and the real
course site, each served on localhost together with the local Pyodide mirror and the
real pylib wheel, driven by one shared headless Chromium."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

import render_site

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
PYTHON = sys.executable
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def fixture_project(root: Path, pages: list[str], wheel: Path) -> Path:
    """A small site project in `root` whose chapters are the given fixture pages."""
    config = {
        "project": {"type": "website", "output-dir": "_site", "resources": ["assets/wheels/*.whl"]},
        "website": {"title": "Fixture site", "sidebar": {"contents": [f"chapters/{p}" for p in pages]}},
        "format": {"html": {"toc": False}},
        "filters": ["pycells"],
        "pyodide": {"engine-url": "pyodide/", "packages": ["numpy"],
                    "wheels": [f"assets/wheels/{wheel.name}"]},
    }
    (root / "_quarto.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy2(FIXTURES / page, root / "chapters" / page)
    (root / "assets" / "wheels").mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, root / "assets" / "wheels" / wheel.name)
    return root


def link_mirror(site: Path) -> Path:
    """Serve the local Pyodide and MathJax as the site's pyodide/ and mathjax/ folders, without copying."""
    try:
        render_site.add_offline_folders(site, link=True)
    except SystemExit as missing:
        pytest.fail(str(missing))
    return site


@pytest.fixture(scope="session")
def site_dir(pylib_wheel, tmp_path_factory) -> Path:
    pages = ["cells.qmd", "first-output.qmd", "failures.qmd", "setup-fails.qmd"]
    root = fixture_project(tmp_path_factory.mktemp("browser-site"), pages, pylib_wheel)
    subprocess.run([PYTHON, str(REPO / "tools" / "render_site.py"), "--root", str(root), "--pandoc"],
                   check=True, capture_output=True, text=True)
    return link_mirror(root / "_site")


@pytest.fixture(scope="session")
def course_site_dir(pylib_wheel, tmp_path_factory) -> Path:
    """The real course (_quarto.yml, chapters, assets, wheel) rendered by pandoc with the
    `offline` profile, whose engine-url is the site's pyodide/ folder: what
    `render_site.py --pandoc --profile offline --out DIR` writes, with the mirror linked
    instead of copied."""
    site = render_site.render_with_pandoc(REPO, "offline", tmp_path_factory.mktemp("course-site") / "_site")
    return link_mirror(site)


class QuietHandler(render_site.SiteRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a reload drops downloads mid-way; that is expected


@contextlib.contextmanager
def serving(directory: Path):
    """Serve `directory` on a free localhost port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir):
    with serving(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def course_url(course_site_dir):
    with serving(course_site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()
