// pycells page runtime: upgrades the filter's .pycell blocks into editable, runnable Python cells
// backed by one Pyodide worker per page. This module is the entry of the bundle pycells.js.
"use strict";   // the bundle is a classic script: the directive keeps it as strict as its modules
import { followLinksInPlace } from "./navigation.js";
import { Page } from "./page.js";

// The public API for other scripts on the page (a widget such as the course's digit pad, marked
// `pycells-client` in the source so that the page gets the engine): window.PyCells.call(name, args)
// calls the Python function `name` of the page's namespace with JSON-able `args` once the engine is
// ready, and resolves to {values} (a list of numbers) or {problem} (a sentence to show the reader).
// A page that replaces this one in place (navigation.js) announces itself with the event
// "pycells:page", and runs on the same engine.
let engineBooted;
const booted = new Promise((resolve) => { engineBooted = resolve; });
window.PyCells = Object.freeze({
  call: (name, args) => booted.then((engine) => engine.call(name, args)).catch((failure) => ({ problem: failure.message })),
});

function boot() {
  const source = document.getElementById("pycells-config");
  if (!source) return;
  const page = new Page(JSON.parse(source.textContent));
  page.start();
  followLinksInPlace(page);
  engineBooted(page.engine);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
