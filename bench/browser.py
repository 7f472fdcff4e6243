"""A student's first visit in headless Chromium, for bench/run.py (make bench).

The offline site (tools/render_site.py --profile offline, engine and wheel
served by the site itself) is rendered into a scratch folder and served on
localhost under /course/, as a published project site is. Each run, in a fresh
Chromium profile (cold cache), is one visit:

1. chapter 1: press Run on its first cell as soon as the button is there. The
   time is the page's own clock (performance.now(), which starts at navigation)
   at the moment that cell has run and shows its output (its data-state becomes
   "done", seen by an observer installed before the page's scripts); the time
   its own output first held text (not the build's output shown before it) is
   recorded too, as first_text_s. The bytes are the
   response bodies the local server sent until then (by the server's clock,
   from just before navigation), the engine's and the worker's downloads
   included; what the page fetches after its output is not counted.
2. once the page has settled (its service worker, registered when the engine
   is idle, controls it: the site and the engine are cached; the engine's
   background work is over), the student moves on: a click on the page's Next
   link (chapter 2, shown in place, on the same engine), then Run on its first
   cell: next_chapter_s, from the click to that output, and the bytes the
   server sent meanwhile.
3. the server is shut down (the network is gone) and chapter 3 is opened anew
   (a fresh page and engine, from the service worker's cache): offline is true
   when its first cell shows its output; offline_chapter_s is that time.
4. the return visit: the tab is closed, chapter 1 opens in a new tab (server
   still down: everything from the caches, the engine from the memory snapshot
   chapter 1 stored once it settled) and its Run is pressed at once;
   return_visit_s is navigation to that output.

`throttled=True` runs the same visit under Chromium's network emulation
(THROTTLED: 20 Mbit/s both ways, 40 ms round trip). The engine's own record
of its start (ENGINE_TIMELINE) is kept for the cold visit and the return one.
"""

import http.server
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from coursekit.website import SiteRequestHandler, site_handler

REPO = Path(__file__).resolve().parents[1]
PAGE = "chapters/01-digits.html"
NEXT_PAGE = "chapters/02-neuron.html"   # where chapter 1's Next link leads
OFFLINE_PAGE = "chapters/03-loss.html"
PREFIX = "/course/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIRST_OUTPUT_TIMEOUT_MS = 120_000
# true once a service worker controls the page (it has cached the site and the engine), the
# engine's background work after the first run is over and its memory snapshot is stored
SETTLED = ("() => navigator.serviceWorker.controller !== null"
           " && performance.getEntriesByName('pycells-settled').length > 0"
           " && performance.getEntriesByName('pycells-snapshot').length > 0")
# the engine's record of its start, as ms of the page clock: when its worker ran, was asked to
# start, had imported Pyodide, had booted Python and had installed numpy and the wheels
ENGINE_TIMELINE = """() => {
  const mark = performance.getEntriesByName('pycells-engine-started')[0];
  if (!mark) return null;
  const timeline = {fromSnapshot: mark.detail.fromSnapshot, snapshotReadMs: Math.round(mark.detail.snapshotRead)};
  for (const [name, at] of Object.entries(mark.detail)) {
    if (name.endsWith('At')) timeline[name] = Math.round(at - performance.timeOrigin);
  }
  return timeline;
}"""
# the page's engine started from the memory snapshot
FROM_SNAPSHOT = "() => performance.getEntriesByName('pycells-engine-started')[0]?.detail.fromSnapshot === true"
# Chromium's network emulation for the throttled visit: 20 Mbit/s, 40 ms round trip
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 20e6 / 8}
# true once the page's status line says its engine is ready
READY = "() => document.querySelector('[role=status]')?.dataset.state === 'ready'"
# the page clock once the page shown in place of `url` has its cells (not yet run)
SHOWN_IN_PLACE = """(url) => location.href !== url && document.querySelector('.pycell-live .pycell-run') !== null
  && document.querySelector('.pycell-live').dataset.state === undefined ? performance.now() : false"""

# the page's record of its status line: a performance mark per change, [{at: ms since navigation, text}]
STATUS_TIMELINE = ("() => performance.getEntriesByName('pycells-status')"
                   ".map((mark) => ({at: Math.round(mark.startTime), text: mark.detail.text}))")
# the page clock when the first live cell finished ("done" or "failed"), else false
# Installed before the page's scripts: the page clock at the moment the first live cell's state
# becomes "done" or "failed" (an observer sees the change as it is made, not a frame later).
WATCH_FIRST_CELL = """
window.__pycellsFinished = null;
new MutationObserver(() => {
  const cell = document.querySelector('.pycell-live');
  if (window.__pycellsFinished === null && cell && /^(done|failed)$/.test(cell.dataset.state || '')) {
    window.__pycellsFinished = performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
"""
FIRST_CELL_FINISHED = "() => window.__pycellsFinished ?? false"
# the page clock when the first live cell's own output (not the build's) holds text or a figure
FIRST_TEXT_SHOWN = """() => {
  const output = document.querySelector('.pycell-live .pycell-output:not(.pycell-prerendered)');
  const shown = output && (output.textContent.trim() !== '' || output.querySelector('img'));
  return shown ? performance.now() : false;
}"""


class MeasurementError(RuntimeError):
    """The browser measurement could not be taken."""


def render_offline_site(scratch):
    """Render the whole site with its own Pyodide into `scratch`/site (once); return that folder."""
    site = Path(scratch) / "site"
    if (site / PAGE).is_file():
        return site
    process = subprocess.run([sys.executable, "-m", "tools.render_site", "--profile", "offline", "--out", str(site)],
                             capture_output=True, text=True, cwd=REPO)
    if process.returncode != 0 or not (site / PAGE).is_file():
        raise MeasurementError(f"rendering the offline site failed (exit {process.returncode}):\n"
                               f"{process.stdout[-1500:]}\n{process.stderr[-1500:]}")
    return site


class CountingHandler(SiteRequestHandler):
    """Serves files and adds every response body's length to the server's tally."""

    def copyfile(self, source, outputfile):
        while chunk := source.read(1 << 16):
            outputfile.write(chunk)
            self.server.count(self.path, len(chunk))

    def log_message(self, *args):
        pass


class CountingServer(http.server.ThreadingHTTPServer):
    """Keeps, for every chunk of a response body it sends, when (time.monotonic()), what and how much."""

    daemon_threads = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.lock = threading.Lock()
        self.chunks = []

    def count(self, path, size):
        with self.lock:
            self.chunks.append((time.monotonic(), path, size))

    def tally(self, until=None):
        """(total bytes sent, up to the time `until` if given; the ten largest downloads as {path: bytes})."""
        by_path = {}
        with self.lock:
            for sent, path, size in self.chunks:
                if until is None or sent <= until:
                    by_path[path] = by_path.get(path, 0) + size
        largest = sorted(by_path.items(), key=lambda item: -item[1])[:10]
        return sum(by_path.values()), dict(largest)

    def reset(self):
        with self.lock:
            self.chunks = []

    def handle_error(self, request, client_address):
        pass  # a browser that navigates on or closes drops its downloads mid-way; that is expected


@contextmanager
def serving(folder):
    """Serve `folder` on 127.0.0.1 under PREFIX; yield (the site's URL, server)."""
    server = CountingServer(("127.0.0.1", 0), site_handler(Path(folder), PREFIX, CountingHandler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", server
    finally:
        server.shutdown()
        server.server_close()


def first_cell_output(page, url, errors):
    """Open `url` (None: the page is open), press Run on its first cell; return (ms of the page clock
    when it finished, ms when its first text showed, its output)."""
    if url is not None:
        page.goto(url, wait_until="commit")
    page.locator(".pycell-live .pycell-run").first.click(timeout=FIRST_OUTPUT_TIMEOUT_MS)
    try:
        first_text_ms = page.wait_for_function(
            FIRST_TEXT_SHOWN, polling="raf", timeout=FIRST_OUTPUT_TIMEOUT_MS).json_value()
        finished_ms = page.wait_for_function(
            FIRST_CELL_FINISHED, polling="raf", timeout=FIRST_OUTPUT_TIMEOUT_MS).json_value()
    except Exception as error:
        status = page.locator(".pycells-status").first.text_content(timeout=1000)
        raise MeasurementError(f"no output from the first cell of {url}: {error}; "
                               f"status line {status!r}; page errors {errors}") from None
    cell = page.locator(".pycell-live").first
    output = cell.locator(".pycell-output").text_content()
    if cell.get_attribute("data-state") != "done":
        raise MeasurementError(f"the first cell of {url} failed:\n{output[-1500:]}")
    return finished_ms, first_text_ms, output


def throttle(page):
    """Chromium's network emulation (THROTTLED) for `page`, its workers' downloads included."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", THROTTLED)


def new_tab(context, errors, throttled):
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    if throttled:
        throttle(page)
    return page


def one_visit(playwright, site, profile_dir, throttled=False):
    """Chapter 1 cold, chapter 2 next, chapter 3 with the network gone, chapter 1 again in a new
    tab (see the module docstring)."""
    context = playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        context.add_init_script(WATCH_FIRST_CELL)
        errors = []
        for blank in context.pages:
            blank.close()
        page = new_tab(context, errors, throttled)
        with serving(site) as (base_url, server):
            navigated = time.monotonic()   # the page clock starts at navigation, a moment later
            finished_ms, first_text_ms, output = first_cell_output(page, base_url + PAGE, errors)
            bytes_sent, largest = server.tally(until=navigated + finished_ms / 1000)
            timeline = page.evaluate(STATUS_TIMELINE)
            engine_timeline = page.evaluate(ENGINE_TIMELINE)
            try:
                page.wait_for_function(SETTLED, timeout=FIRST_OUTPUT_TIMEOUT_MS)
            except Exception as error:
                raise MeasurementError(f"chapter 1 did not settle (service worker in control, engine idle): "
                                       f"{error}; page errors {errors}") from None
            server.reset()
            clicked_ms = page.evaluate("performance.now()")
            clicked = time.monotonic()
            chapter_1 = page.url
            page.evaluate("window.__pycellsFinished = null")   # the same document goes on
            page.locator("nav.page-navigation .nav-page-next a").click()
            page.wait_for_function(SHOWN_IN_PLACE, arg=chapter_1, timeout=FIRST_OUTPUT_TIMEOUT_MS)
            if not page.url.endswith(NEXT_PAGE):
                raise MeasurementError(f"Next led to {page.url}, not {NEXT_PAGE}")
            next_ms, _, _ = first_cell_output(page, None, errors)
            next_ms -= clicked_ms
            next_bytes, next_largest = server.tally(until=clicked + next_ms / 1000)
        try:
            offline_ms, _, _ = first_cell_output(page, base_url + OFFLINE_PAGE, errors)
            offline = True
        except Exception as error:   # the page or its engine did not come from the cache
            offline_ms, offline, errors = None, False, errors + [f"offline: {error}"]
        page.close()
        page = new_tab(context, errors, throttled)
        try:
            return_ms, _, _ = first_cell_output(page, base_url + PAGE, errors)
            return_timeline = page.evaluate(ENGINE_TIMELINE)
        except Exception as error:
            return_ms, return_timeline, errors = None, None, errors + [f"return visit: {error}"]
        return {"seconds": finished_ms / 1000, "first_text_s": first_text_ms / 1000, "bytes": bytes_sent,
                "largest_downloads": largest, "status_timeline_ms": timeline, "output": output[:300],
                "engine_timeline_ms": engine_timeline, "return_visit_s": return_ms and return_ms / 1000,
                "return_visit_engine_timeline_ms": return_timeline,
                "next_chapter_s": next_ms / 1000, "next_chapter_bytes": next_bytes,
                "next_chapter_largest_downloads": next_largest,
                "offline": offline, "offline_chapter_s": offline_ms and offline_ms / 1000, "page_errors": errors}
    finally:
        context.close()


def visit_runs(runs, site, throttled=False):
    """`runs` first visits of the rendered `site`, each in a fresh profile (list of dicts)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
                results.append(one_visit(playwright, site, profile, throttled))
    return results
