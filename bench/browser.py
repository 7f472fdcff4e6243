"""Time to first output in headless Chromium, for bench/run.py (make bench).

The offline site (tools/render_site.py --profile offline, engine and wheel
served by the site itself) is rendered into a scratch folder and served on
localhost. For each run a fresh Chromium profile (cold cache) opens chapter 1
and, as a student would, presses Run on the first cell as soon as the button
is there. The time is the page's own clock (performance.now(), which starts
at navigation) when that cell has run and its output shows (data-state
"done"); any text that appears earlier (a warning printed while importing) is
recorded too, as first_text_s. The bytes are the response bodies the local
server sent until the output showed, the engine's and the worker's downloads
included.
"""

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from coursekit.website import SiteRequestHandler

REPO = Path(__file__).resolve().parents[1]
PAGE = "chapters/01-digits.html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIRST_OUTPUT_TIMEOUT_MS = 120_000

# the page's record of its status line: a performance mark per change, [{at: ms since navigation, text}]
STATUS_TIMELINE = ("() => performance.getEntriesByName('pycells-status')"
                   ".map((mark) => ({at: Math.round(mark.startTime), text: mark.detail.text}))")
# the page clock when the first live cell finished ("done" or "failed"), else false
FIRST_CELL_FINISHED = """() => {
  const cell = document.querySelector('.pycell-live');
  return cell && /^(done|failed)$/.test(cell.dataset.state || '') ? performance.now() : false;
}"""
# the page clock when the first live cell's output holds text or a figure, else false
FIRST_TEXT_SHOWN = """() => {
  const output = document.querySelector('.pycell-live .pycell-output');
  const shown = output && (output.textContent.trim() !== '' || output.querySelector('img'));
  return shown ? performance.now() : false;
}"""


class MeasurementError(RuntimeError):
    """The browser measurement could not be taken."""


def render_offline_site(scratch):
    """Render the whole site with its own Pyodide into `scratch`/site; return that folder."""
    site = Path(scratch) / "site"
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
    daemon_threads = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.lock = threading.Lock()
        self.bytes_by_path = {}

    def count(self, path, size):
        with self.lock:
            self.bytes_by_path[path] = self.bytes_by_path.get(path, 0) + size

    def tally(self):
        """(total bytes sent, the ten largest downloads as {path: bytes})."""
        with self.lock:
            largest = sorted(self.bytes_by_path.items(), key=lambda item: -item[1])[:10]
            return sum(self.bytes_by_path.values()), dict(largest)

    def reset(self):
        with self.lock:
            self.bytes_by_path = {}


@contextmanager
def serving(folder):
    """Serve `folder` on 127.0.0.1; yield (base URL, server)."""
    server = CountingServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


def cold_first_output(playwright, url, server, profile_dir):
    """One cold-cache load of `url`: press Run on the first cell; return seconds and bytes."""
    context = playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        server.reset()
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
        bytes_sent, largest = server.tally()
        cell = page.locator(".pycell-live").first
        output = cell.locator(".pycell-output").text_content()
        if cell.get_attribute("data-state") != "done":
            raise MeasurementError(f"the first cell of {url} failed:\n{output[-1500:]}")
        timeline = page.evaluate(STATUS_TIMELINE)
        return {"seconds": finished_ms / 1000, "first_text_s": first_text_ms / 1000, "bytes": bytes_sent,
                "largest_downloads": largest, "status_timeline_ms": timeline, "output": output[:300]}
    finally:
        context.close()


def first_output_runs(runs, scratch):
    """`runs` cold-cache measurements of chapter 1's first output (list of dicts)."""
    from playwright.sync_api import sync_playwright

    site = render_offline_site(scratch)
    results = []
    with serving(site) as (base_url, server), sync_playwright() as playwright:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(dir=scratch, prefix="chromium-profile-") as profile:
                results.append(cold_first_output(playwright, f"{base_url}/{PAGE}", server, profile))
    return results
