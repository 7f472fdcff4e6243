"""What each page asks of other hosts, in each browser engine (Chromium, Firefox, WebKit).

Each engine sends every request for a host other than this machine to a proxy that refuses it
and remembers the host (tests/browser/refusing_proxy.py), so a page's own requests, its worker's
and its service worker's are all seen. First a probe page proves that the proxy sees a font, a
script and a worker's fetch in that engine. Then:

* the offline build (`make offline`): every page but the chapters, opened and settled (math
  typeset; on pages with cells, the engine ready and a cell run), asks no other host at all (the
  chapters' pages are checked for the same as test_browser_chapters.py runs every cell of them);
* the published build (`make site`): pages ask only the host of the engine's CDN (the
  filter's default, or `engine-url` in _quarto.yml), and pages with cells do ask it (the engine is refused, so the page says so).

The hosts a browser asks for itself (updates, settings) are not the page's and are listed apart
(coursekit.browsers.OWN_SERVICES). Each page's requests to this machine are counted from the
page's resource timing, for the summary.
"""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from fixture_projects import REPO, course_pages, page_config

SUMMARY = "requests to other hosts"
PAGES = course_pages()
# the chapters' pages: test_browser_chapters.py runs them in each engine, and asserts no other host
OFFLINE_PAGES = [path for path in PAGES if not path.startswith("chapters/")]
SETTLE_TIMEOUT_S = 90
QUIET_S = 1.5   # after a page has settled, the time it gets to ask for anything more
PROBE_HOSTS = ["fonts.example.org", "cdn.example.org", "worker.example.org"]
PROBE = """<!doctype html><html lang="en"><head><title>probe</title>
<link rel="stylesheet" href="https://fonts.example.org/face.css">
<script src="http://cdn.example.org/script.js"></script></head><body><p>probe</p><script>
new Worker(URL.createObjectURL(new Blob(["fetch('https://worker.example.org/data').catch(() => {})"])));
</script></body></html>"""
SETTLED = """() => {
  const math = document.querySelectorAll("span.math").length;
  if (document.querySelectorAll("span.math mjx-container").length !== math) return false;
  if (!document.getElementById("pycells-config")) return true;
  return document.querySelector("[role=status]")?.dataset.state === "ready"
    && document.querySelector(".pycell-live") !== null;
}"""
FIRST_CELL_DONE = """() => ["done", "failed"].includes(document.querySelector(".pycell-live")?.dataset.state)"""
ENGINE_REFUSED = """() => !document.getElementById("pycells-config")
  || document.querySelector("[role=status]")?.dataset.state === "failed\""""
LOCAL_REQUESTS = "() => performance.getEntriesByType('resource').length + 1"


@pytest.fixture(scope="module")
def report(summary_section):
    return summary_section(SUMMARY)


@pytest.fixture(scope="module")
def published(quarto_course_site, serve):
    """(URL, folder) of the course as `make site` builds it (the engine from its CDN), served on localhost."""
    with serve(quarto_course_site[0]) as url:
        yield url, quarto_course_site[0]


def pages_hosts(engine, url, until, click_first_cell=False):
    """Open `url` in a new tab, wait for `until`, optionally run its first cell; (page's outside
    hosts, the browser's own, requests to this machine)."""
    mark = len(engine.proxy.asked)
    page = engine.browser.new_page()
    try:
        page.goto(url)
        page.wait_for(until, timeout_s=SETTLE_TIMEOUT_S, message=f"{url} did not settle")
        if click_first_cell and page.evaluate("() => document.querySelector('.pycell-live .pycell-run') !== null"):
            page.click(".pycell-live .pycell-run")
            page.wait_for(FIRST_CELL_DONE, timeout_s=SETTLE_TIMEOUT_S, message=f"{url}: its first cell did not finish")
        time.sleep(QUIET_S)
        local = page.evaluate(LOCAL_REQUESTS)
    finally:
        page.close()
    outside = engine.outside_hosts(mark)
    own = [host for host in engine.proxy.hosts_since(mark) if host not in outside]
    return outside, own, local


def test_the_proxy_sees_a_pages_requests_for_other_hosts(engine, serve, tmp_path):
    """The check below could not pass by the proxy being bypassed: here it must see all three."""
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    with serve(tmp_path) as url:
        outside, _, _ = pages_hosts(engine, f"{url}/probe.html",
                                    "() => document.readyState === 'complete'")
        deadline = time.monotonic() + 10
        while set(PROBE_HOSTS) - set(outside) and time.monotonic() < deadline:
            time.sleep(0.2)
            outside = [host for host in engine.proxy.hosts_since(0) if host in PROBE_HOSTS]
    assert set(PROBE_HOSTS) <= set(outside), \
        f"{engine.name}: the proxy saw {outside}, not the probe's {PROBE_HOSTS}: requests bypass it"


@pytest.mark.parametrize("path", OFFLINE_PAGES)
def test_offline_page_asks_no_other_host(path, engine, course_url, report):
    outside, own, local = pages_hosts(engine, f"{course_url}/{path}", SETTLED, click_first_cell=True)
    report(f"{engine.name} offline {path}: {local} requests to this machine; other hosts: {', '.join(outside) or 'none'}"
           + (f" (the browser's own: {', '.join(own)})" if own else ""))
    assert not outside, f"{engine.name}: the offline {path} asks other hosts: {outside}"


def engine_host(site) -> str:
    """The host of the engine the published pages load (the filter's answer, in a page config)."""
    return urlsplit(page_config((site / "chapters" / "01-digits.html").read_text(encoding="utf-8"))["engineUrl"]).hostname


@pytest.mark.parametrize("path", PAGES)
def test_published_page_asks_only_the_engine_cdn(path, engine, published, report):
    url, site = published
    outside, _, _ = pages_hosts(engine, f"{url}/{path}", ENGINE_REFUSED)
    report(f"{engine.name} published {path}: other hosts: {', '.join(outside) or 'none'}")
    allowed = engine_host(site)
    assert set(outside) <= {allowed}, f"{engine.name}: the published {path} asks {outside}; only {allowed} may be"
    has_cells = 'id="pycells-config"' in (site / path).read_text(encoding="utf-8")
    assert (allowed in outside) == has_cells, \
        f"{engine.name}: the published {path} {'does not ask' if has_cells else 'asks'} the engine's CDN {allowed}"
