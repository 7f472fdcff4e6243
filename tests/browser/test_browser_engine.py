"""Engine start-up: time to first output from the local mirror; the memory snapshot later engines
start from (and a damaged one replaced); a failed engine download that is reported plainly and
recovers with Retry."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import STATUS_TIMELINE

REPO = Path(__file__).resolve().parents[2]
ENGINE_TIMEOUT_MS = 60_000
FRESH_ENGINE = "chapters/fresh-engine.html"
ENGINE_STARTED = "() => performance.getEntriesByName('pycells-engine-started')[0]?.detail ?? false"
SNAPSHOT_STORED = "() => performance.getEntriesByName('pycells-snapshot')[0]?.detail.stored ?? null"
# Cache Storage as the worker keeps the snapshot: (cache name, entry key, length header)
SNAPSHOT_ENTRY = """() => ['snapshots-of-pycells',
  new URL('pycells-memory-snapshot', new URL(JSON.parse(document.getElementById('pycells-config').textContent).engineUrl,
                                              document.baseURI)).href, 'x-snapshot-length']"""


def test_time_from_page_load_to_first_output_is_recorded(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/chapters/first-output.html")
    page.wait_for_function(
        "() => document.querySelector('#pycell-hello .pycell-output')?.textContent.includes('hello from Pyodide')",
        timeout=ENGINE_TIMEOUT_MS, polling="raf")
    seconds = page.evaluate("performance.now()") / 1000
    timeline = page.evaluate(STATUS_TIMELINE)
    context.close()
    print(f"\nfirst output {seconds:.2f} s after navigation start; status timeline: {timeline}")
    (REPO / "build").mkdir(exist_ok=True)
    (REPO / "build" / "browser-first-output.json").write_text(
        json.dumps({"first_output_seconds": round(seconds, 2), "status_timeline_ms": timeline}, indent=1) + "\n")
    assert [step["text"] for step in timeline][-1] == "ready"


@pytest.mark.parametrize("blocked, message", [
    ("**/pyodide/pyodide.mjs", "Could not load the Python engine"),
    ("**/assets/wheels/*.whl", "Could not install the course packages"),
])
def test_engine_load_failure_is_reported_with_a_working_retry(browser, base_url, blocked, message):
    context = browser.new_context()
    page = context.new_page()
    page.route(blocked, lambda route: route.abort())
    page.goto(f"{base_url}/chapters/first-output.html")
    status = page.get_by_role("status")
    expect(status).to_contain_text(message, timeout=ENGINE_TIMEOUT_MS)
    retry = status.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()
    page.unroute(blocked)
    retry.click()
    expect(page.locator("#pycell-hello .pycell-output")).to_have_text("hello from Pyodide", timeout=ENGINE_TIMEOUT_MS)
    use = page.locator("#pycell-use")
    use.get_by_role("button", name=re.compile("^Run all above")).click()
    use.get_by_role("button", name=re.compile("^Run cell")).click()
    expect(use.locator(".pycell-output")).to_have_text("defined above", timeout=ENGINE_TIMEOUT_MS)
    context.close()


def visit(context, base_url):
    """Open the fresh-engine page in a new tab; run its cell; return (tab, what the engine's start
    recorded, the number the cell drew)."""
    page = context.new_page()
    page.goto(f"{base_url}/{FRESH_ENGINE}")
    timings = page.wait_for_function(ENGINE_STARTED, timeout=ENGINE_TIMEOUT_MS).json_value()
    draw = page.locator("#pycell-draw")
    draw.get_by_role("button", name=re.compile("^Run cell")).click()
    expect(draw.locator(".pycell-output")).to_contain_text("drew ", timeout=ENGINE_TIMEOUT_MS)
    return page, timings, draw.locator(".pycell-output").inner_text()


def snapshot_stored(page):
    """Whether the page stored its snapshot, once it says."""
    page.wait_for_function(f"() => ({SNAPSHOT_STORED})() !== null", timeout=ENGINE_TIMEOUT_MS)
    return page.evaluate(SNAPSHOT_STORED)


def test_a_new_tab_starts_from_the_snapshot_with_its_own_random_numbers(browser, base_url):
    context = browser.new_context()
    first, first_timings, _ = visit(context, base_url)
    assert first_timings["fromSnapshot"] is False
    assert snapshot_stored(first) is True
    first.close()
    draws = []
    for _ in range(2):
        page, timings, drawn = visit(context, base_url)
        assert timings["fromSnapshot"] is True, timings
        draws.append(drawn)
        page.close()
    context.close()
    assert draws[0] != draws[1], f"two engines restored from the snapshot drew the same number: {draws}"


@pytest.mark.parametrize("damage", ["zeroed", "cut short"])
def test_a_damaged_snapshot_is_dropped_and_replaced(browser, base_url, damage):
    context = browser.new_context()
    first, _, _ = visit(context, base_url)
    assert snapshot_stored(first) is True
    first.evaluate("""async ([[name, key, header], damage]) => {
      const cache = await caches.open(name);
      const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
      const damaged = damage === "zeroed" ? new Uint8Array(bytes.length) : bytes.slice(0, bytes.length >> 1);
      await cache.put(key, new Response(damaged, { headers: { [header]: String(bytes.length) } }));
    }""", [first.evaluate(SNAPSHOT_ENTRY), damage])
    first.close()
    second, timings, drawn = visit(context, base_url)
    assert timings["fromSnapshot"] is False, f"the engine restored a {damage} snapshot"
    assert drawn.startswith("drew 0.")
    assert snapshot_stored(second) is True, "no fresh snapshot replaced the damaged one"
    second.close()
    third, timings, _ = visit(context, base_url)
    assert timings["fromSnapshot"] is True, timings
    context.close()
