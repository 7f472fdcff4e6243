"""Engine start-up: time to first output from the local mirror, and a failed
engine download that is reported plainly and recovers with Retry."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import STATUS_TIMELINE

REPO = Path(__file__).resolve().parents[2]
ENGINE_TIMEOUT_MS = 60_000


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
