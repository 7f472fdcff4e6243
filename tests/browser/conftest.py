"""Browser fixtures: fixture pages and the real course site, rendered by real Quarto (and, for a
lighter check, by the pandoc fallback), each served on localhost under the sub-path /course/ (as
on a GitHub Pages project site) with the local Pyodide mirror and the real pylib wheel, driven by
one shared headless Chromium."""
from __future__ import annotations

import contextlib
import http.server
import re
import threading
from pathlib import Path

import pytest

from coursekit import browsers, website
from fixture_projects import CONTRACT_EXAMPLE, REPO, make_project, render
from missing_input import missing
from refusing_proxy import behind_refusing_proxy

FIXTURES = Path(__file__).parent / "fixtures"
SITE_PATH = "/course/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def link_mirror(site: Path) -> Path:
    """Serve the local Pyodide and MathJax as the site's pyodide/ and mathjax/ folders, without copying."""
    try:
        website.add_offline_folders(site, link=True)
    except SystemExit as problem:
        pytest.fail(str(problem))
    return site


@pytest.fixture(scope="session")
def site_dir(quarto, pylib_wheel, tmp_path_factory) -> Path:
    """The fixture pages as a site rendered by real Quarto, its engine the local mirror."""
    root = make_project(tmp_path_factory.mktemp("browser-site") / "project",
                        [FIXTURES / page for page in ("cells.qmd", "first-output.qmd", "fresh-engine.qmd", "failures.qmd",
                                                      "setup-fails.qmd", "memory.qmd")] + [CONTRACT_EXAMPLE], wheel=pylib_wheel,
                        pycells={"engine-url": "/pyodide/"})
    result = render(root)
    assert result.returncode == 0, result.stderr
    return link_mirror(root / "_site")


@pytest.fixture(scope="session")
def course_site_dir(quarto_offline_site) -> Path:
    """The real course as `make offline` builds it with real Quarto."""
    return quarto_offline_site[0]


@pytest.fixture(scope="session")
def pandoc_course_site_dir(pylib_wheel, tmp_path_factory) -> Path:
    """The real course's offline profile rendered by the pandoc fallback."""
    site = website.render_with_pandoc(website.REPO, "offline", tmp_path_factory.mktemp("pandoc-course") / "_site")
    return link_mirror(site)


class QuietHandler(website.SiteRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a reload drops downloads mid-way; that is expected


@contextlib.contextmanager
def serving(directory: Path, prefix: str = SITE_PATH):
    """Serve `directory` at the URL path `prefix` on a free localhost port; yields the site's URL
    without its final slash."""
    server = QuietServer(("127.0.0.1", 0), website.site_handler(directory, prefix, QuietHandler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve():
    """`serving` for a test that starts (and stops) a server of its own."""
    return serving


@pytest.fixture(scope="session")
def base_url(site_dir):
    with serving(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def course_url(course_site_dir):
    with serving(course_site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def pandoc_course_url(pandoc_course_site_dir):
    with serving(pandoc_course_site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def playwright():
    """Playwright, started once: its sync API runs one instance per thread."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def require_engine():
    """Call with an engine's name: the test skips when that engine is not installed here, except
    under CI (CI=true), where every engine must be (`.ci/run` installs them)."""
    def require(name):
        reason = browsers.missing(name)
        if reason is not None:
            missing(reason)
    return require


@pytest.fixture(scope="module", params=browsers.ENGINES)
def engine(request, require_engine):
    """Each engine in turn, one browser for the whole module (a student's browser: one HTTP
    cache), its requests for other hosts refused by a proxy that remembers them."""
    require_engine(request.param)
    options = {"playwright": request.getfixturevalue("playwright")} if request.param == "chromium" else {}
    with behind_refusing_proxy(request.param, **options) as running:
        yield running


# ------------------------------------------------ quarto-live pages (test_browser_live.py)
SEEDS = REPO.parent / "shared" / "seeds"
# the source chapter's data cells call fetch_openml, which cannot work in a browser
FETCH_OPENML = re.compile(r"from sklearn\.datasets import fetch_openml\nX, y = fetch_openml\([^\n]*\)\n")
LOAD_FROM_PYLIB = ("import pylib\nmnist = pylib.load_mnist()\n"
                   "X = np.concatenate([mnist.X_train, mnist.X_test], axis=1).T\n"
                   "y = np.concatenate([mnist.y_train, mnist.y_test]).astype(str)\n")


def source_chapter() -> str:
    found = sorted(SEEDS.glob("000_*.txt"))
    if not found:
        missing(f"the source chapter is not in {SEEDS}")
    text = found[0].read_text(encoding="utf-8")
    changed, count = FETCH_OPENML.subn(LOAD_FROM_PYLIB, text)
    assert count == 2, f"expected the source chapter's two fetch_openml cells, found {count}"
    return changed


@pytest.fixture(scope="module")
def live_site(quarto, pylib_wheel, tmp_path_factory):
    work = tmp_path_factory.mktemp("live")
    source = work / "source-chapter.qmd"
    source.write_text(source_chapter(), encoding="utf-8")
    root = make_project(work / "project", [FIXTURES / "live-exercise.qmd", source], wheel=pylib_wheel,
                        pycells={"engine-url": "/pyodide/"})
    result = render(root)
    assert result.returncode == 0, result.stdout + result.stderr
    link_mirror(root / "_site")
    with serving(root / "_site") as url:
        yield url, result.stderr
