"""Each browser engine a student may have (Chromium, Firefox, WebKit), for bench/run.py (make bench).

The offline site that bench/browser.py renders is served on localhost under /course/. Each run, in
each engine, is one visit in a fresh profile (cold cache), driven through coursekit.browsers:

1. chapter 1 is opened; ready_s is the page clock (performance.now(), from navigation) when its
   status line said "ready". Run is then pressed on its first cell (the status is polled every
   50 ms, so the press comes up to that much later than a student's could); first_output_s is
   the page clock when that cell had run ("done", seen by an observer installed at load).
2. chapter 6 is opened in the same browser and every code cell with a Run button is run, in page
   order, each once finished; memory_mb is then the resident memory of all the engine's processes.
   Exercises are left as they ship (their blanks say to fill them in); the cells after them do not
   depend on them.
"""

import time

from bench.browser import FIRST_CELL_FINISHED, PAGE, READY, STATUS_TIMELINE, WATCH_FIRST_CELL, serving
from coursekit import browsers

CHAPTER_6 = "chapters/06-softmax.html"
TIMEOUT_S = 300
RUNNABLE_CODE_CELLS = """() => JSON.parse(document.getElementById('pycells-config').textContent).cells
  .filter((cell) => cell.role === 'code' && cell.run === 'button').map((cell) => cell.index)"""
CELL_STATE = "(n) => document.querySelector(`[data-pycell=\"${n}\"]`).dataset.state ?? null"
CELL_FINISHED = f"(n) => ['done', 'failed'].includes(({CELL_STATE})(n))"


class EngineMeasurementError(RuntimeError):
    """A visit that could not be measured."""


def chapter_1(page, url):
    """(ready_s, first_output_s) of chapter 1, from navigation."""
    page.goto(url + PAGE)
    page.evaluate(f"() => {{ {WATCH_FIRST_CELL} }}")   # installed at load, long before the first run ends
    page.wait_for(READY, timeout_s=TIMEOUT_S, message="chapter 1's engine did not become ready")
    page.click(".pycell-live .pycell-run")
    finished_ms = page.wait_for(FIRST_CELL_FINISHED, timeout_s=TIMEOUT_S,
                                message="chapter 1's first cell did not finish")
    state = page.evaluate("() => document.querySelector('.pycell-live').dataset.state")
    if state != "done":
        raise EngineMeasurementError(f"{page.engine}: chapter 1's first cell failed")
    ready_ms = next((mark["at"] for mark in page.evaluate(STATUS_TIMELINE) if mark["text"] == "ready"), None)
    if ready_ms is None:
        raise EngineMeasurementError(f"{page.engine}: the status line never said 'ready'")
    return ready_ms / 1000, finished_ms / 1000


def chapter_6(page, url, engine):
    """Run chapter 6's code cells; (seconds taken, the engine's memory in MB, cells that failed)."""
    started = time.monotonic()
    page.goto(url + CHAPTER_6)
    page.wait_for(READY, timeout_s=TIMEOUT_S, message="chapter 6's engine did not become ready")
    failed = []
    for position in page.evaluate(RUNNABLE_CODE_CELLS):
        page.click(f'[data-pycell="{position}"] .pycell-run')
        page.wait_for(CELL_FINISHED, position, timeout_s=TIMEOUT_S, message=f"chapter 6 cell {position} did not finish")
        if page.evaluate(CELL_STATE, position) != "done":
            failed.append(position)
    return time.monotonic() - started, browsers.memory_mb(engine), failed


def one_visit(engine, site):
    with serving(site) as (url, _server):
        browser = browsers.launch(engine)
        try:
            page = browser.new_page()
            ready_s, first_output_s = chapter_1(page, url)
            page.close()
            page = browser.new_page()
            chapter_6_s, memory_mb, failed = chapter_6(page, url, engine)
            page.close()
        finally:
            browser.close()
    if failed:
        raise EngineMeasurementError(f"{engine}: chapter 6 cells {failed} failed")
    return {"ready_s": ready_s, "first_output_s": first_output_s, "chapter_6_s": chapter_6_s,
            "chapter_6_memory_mb": memory_mb}


def engine_runs(runs, site, engines=browsers.ENGINES):
    """({engine: {key: [one value per visit]}} over `runs` visits per engine, {engine: why it is
    not installed here})."""
    results, missing = {}, {}
    for engine in engines:
        reason = browsers.missing(engine)
        if reason:
            missing[engine] = reason
            continue
        visits = [one_visit(engine, site) for _ in range(runs)]
        results[engine] = {key: [visit[key] for visit in visits] for key in visits[0]}
    return results, missing
