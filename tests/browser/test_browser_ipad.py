"""An iPad-safe engine. Pyodide 0.27 calls through a WebAssembly-GC trampoline that the WebKit of
iPadOS and iOS breaks (pyodide issues 5428 and 5670); it skips it only where the worker's
navigator.platform names an iPad, an iPhone or an iPod, which an iPad in desktop mode ("MacIntel",
with touch points a worker cannot see) never does. The page tells the worker; the worker makes
Pyodide take its JavaScript trampoline. The observable is the engine's own record of the path
Pyodide took (`callPath` in the engine's start mark: Pyodide's `_PyEM_CountArgsPtr`, zero on the
JavaScript path).

Emulated here: Chromium as an iPad in desktop mode (user agent, platform and touch points through
CDP), WebKitGTK's MiniBrowser with an iPad's user agent (mobile mode). On both, every cell of
chapter 1 must then run as on the desktop; the desktop keeps Pyodide's own choice, its fast path.
Only a real iPad can show that the crash is gone: WebKitGTK on Linux does not have iOS WebKit's
garbage-collector bug.
"""
from __future__ import annotations

import pytest

from coursekit.chapters import parse_chapter
from refusing_proxy import behind_refusing_proxy
from test_browser_chapters import REPO, ChapterRun, open_chapter, run_every_cell, wait_for_engine

CHAPTER = REPO / "chapters" / "01-digits.qmd"
CALL_PATH = "() => performance.getEntriesByName('pycells-engine-started')[0]?.detail.callPath ?? null"


def launched(name, device, request):
    options = {"playwright": request.getfixturevalue("playwright")} if name == "chromium" else {}
    return behind_refusing_proxy(name, device=device, **options)


@pytest.mark.parametrize("name", ["chromium", "webkit"])
def test_an_ipad_takes_the_javascript_call_path_and_runs_every_cell_of_chapter_1(name, require_engine, request,
                                                                                 course_url):
    require_engine(name)
    chapter = parse_chapter(CHAPTER)
    with launched(name, "ipad", request) as engine:
        page = open_chapter(engine, course_url, CHAPTER)
        try:
            wait_for_engine(page, course_url, f"{name} as an iPad")
            assert page.evaluate(CALL_PATH) == "javascript", f"{name} as an iPad: Pyodide kept its WebAssembly-GC calls"
            run_every_cell(page, CHAPTER, chapter, ChapterRun(f"{name} ipad"))
        finally:
            page.close()


def test_the_desktop_keeps_pyodides_fast_call_path(require_engine, request, course_url):
    require_engine("chromium")
    with launched("chromium", None, request) as engine:
        page = open_chapter(engine, course_url, CHAPTER)
        try:
            wait_for_engine(page, course_url, "chromium")
            assert page.evaluate(CALL_PATH) == "wasm-gc"
            assert page.evaluate("() => navigator.platform") != "MacIntel"
        finally:
            page.close()
