"""The page's side of the extension's contract, on its example page (_extensions/pycells/contract/),
rendered by real Quarto and run in Chromium: the page reads the golden page config, each code cell
shows the golden outputs (the ones both hosts give: tests/contract/), and every message between the
page and its worker follows the schema. The example's cells each carry one setting (figure size,
dpi, warning, envir), or call input(), rewrite a line with "\\r", draw, end with a value, or fail."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from contract_files import GOLDEN_CONFIG, GOLDEN_OUTPUTS, problems

ENGINE_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 30_000
# Every message the page sends its worker and the worker sends back, as structured clones of JSON.
RECORD_PROTOCOL = """(() => {
  const copy = (data) => JSON.parse(JSON.stringify(data));
  const protocol = window.pycellsProtocol = { sent: [], received: [] };
  window.Worker = class extends window.Worker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => protocol.received.push(copy(event.data)));
    }
    postMessage(message, ...rest) {
      protocol.sent.push(copy(message));
      return super.postMessage(message, ...rest);
    }
  };
})()"""
# A cell's outputs as the page shows them, in the record format (a figure without its PNG).
PAGE_OUTPUTS = """(node) => Array.from(node.querySelector(".pycell-output").children, (child) => {
  if (child.matches("img.pycell-figure")) return {kind: "figure"};
  const kind = Array.from(child.classList).find((name) => /^pycell-(stdout|stderr|result|error)$/.test(name));
  return kind ? {kind: kind.slice("pycell-".length), text: child.textContent} : {kind: child.className};
})"""
PAGE_CONFIG = "() => JSON.parse(document.getElementById('pycells-config').textContent)"


@pytest.fixture(scope="module")
def example(browser, base_url):
    """The example page after each of its code cells ran: its config, the outputs, the messages."""
    context = browser.new_context()
    context.add_init_script(RECORD_PROTOCOL)
    page = context.new_page()
    page.goto(f"{base_url}/chapters/example.html")
    expect(page.get_by_role("status")).to_contain_text("ready", timeout=ENGINE_TIMEOUT_MS)
    config = page.evaluate(PAGE_CONFIG)
    outputs = {}
    for label in GOLDEN_OUTPUTS:
        node = page.locator(f"#pycell-{label}")
        node.get_by_role("button", name=re.compile("^Run cell")).click()
        expect(node).to_have_attribute("data-state", re.compile("^(done|failed)$"), timeout=RUN_TIMEOUT_MS)
        outputs[label] = node.evaluate(PAGE_OUTPUTS)
    protocol = page.evaluate("() => window.pycellsProtocol")
    context.close()
    return config, outputs, protocol


def test_the_page_reads_the_golden_config(example):
    config, _, _ = example
    assert not problems("pageConfig", config)
    assert {key: config[key] for key in GOLDEN_CONFIG} == GOLDEN_CONFIG


@pytest.mark.parametrize("label", list(GOLDEN_OUTPUTS))
def test_each_code_cell_shows_the_golden_outputs(example, label):
    _, outputs, _ = example
    assert outputs[label] == GOLDEN_OUTPUTS[label]


def test_every_message_between_page_and_worker_follows_the_schema(example):
    _, _, protocol = example
    methods = {message["method"] for message in protocol["sent"]}
    events = {message.get("event") for message in protocol["received"]}
    assert {"start", "run", "idle"} <= methods, methods
    assert {"status", "begin", "stream", "figure", "settled"} <= events, events
    assert any("result" in message for message in protocol["received"])
    bad = [(message, found) for message in protocol["sent"] if (found := problems("request", message))]
    bad += [(message, found) for message in protocol["received"] if (found := problems("workerMessage", message))]
    assert not bad, bad[:3]
