// Run a chapter's cells in real Pyodide under Node, the way a chapter page does:
// boot the engine, load numpy (and the job's other "packages") and install the
// wheels with pyodide.loadPackage, run the first cell, install the page's
// packages ("page_packages", which a page installs after its first cell), then
// run the remaining cells one by one in one namespace, loading the packages each
// cell imports first. Times every step.
//
//   node tools/run_pyodide.mjs JOB.json RESULT.json
//
// JOB.json:    {"indexURL": "/abs/build/pyodide/", "packages": ["numpy", ...], "page_packages": [...],
//               "wheels": ["/abs/pylib-0.1.0-py3-none-any.whl"], "env": {"MPLBACKEND": "Agg"},
//               "cells": [{"filename": "<qmd-cell-0>", "code": "..."}, ...]}
// RESULT.json: {"startup": {"boot": s, "packages": s, "wheels": s, "page_packages": s}, "error": null | text,
//               "cells": [{"ok": bool, "seconds": s, "stdout": text, "stderr": text,
//                          "traceback": text}, ...]}
// RESULT.json is rewritten after every cell (a cell that never returns leaves the
// earlier results readable). Runs stop at the first failing cell.
// Exit status: 0 all cells ran, 1 a cell failed, 2 the engine could not start.

import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [jobPath, resultPath] = process.argv.slice(2);
if (!jobPath || !resultPath) {
  console.error("usage: node tools/run_pyodide.mjs JOB.json RESULT.json");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobPath, "utf8"));
const result = { startup: {}, error: null, cells: [] };
const save = () => writeFileSync(resultPath, JSON.stringify(result, null, 1));
const now = () => performance.now() / 1000;
const quiet = { messageCallback: () => {} };

// Source lines for tracebacks, and the cleanup after each cell, live outside the page namespace.
const HARNESS_HELPERS = `
import linecache, sys

def register_source(filename, code):
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)

def close_figures():
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
`;

async function timed(name, step) {
  const start = now();
  await step();
  result.startup[name] = now() - start;
}

let pyodide;
let current = null;
try {
  const { loadPyodide } = await import(pathToFileURL(job.indexURL + "pyodide.mjs").href);
  await timed("boot", async () => {
    pyodide = await loadPyodide({ indexURL: job.indexURL, env: job.env ?? {} });
  });
  const capture = (stream) => ({ batched: (text) => { if (current) current[stream] += text + "\n"; } });
  pyodide.setStdout(capture("stdout"));
  pyodide.setStderr(capture("stderr"));
  await timed("packages", () => pyodide.loadPackage(job.packages ?? ["numpy"], quiet));
  await timed("wheels", () => pyodide.loadPackage(job.wheels ?? [], quiet));
} catch (error) {
  result.error = `Pyodide did not start: ${error.stack ?? error}`;
  save();
  console.error(result.error);
  process.exit(2);
}

const helpers = pyodide.toPy({});
pyodide.runPython(HARNESS_HELPERS, { globals: helpers });
const registerSource = helpers.get("register_source");
const closeFigures = helpers.get("close_figures");

for (const [index, cell] of job.cells.entries()) {
  current = { ok: false, seconds: 0, stdout: "", stderr: "", traceback: "" };
  result.cells.push(current);
  save();
  const start = now();
  try {
    await pyodide.loadPackagesFromImports(cell.code, quiet);
    registerSource(cell.filename, cell.code);
    const value = await pyodide.runPythonAsync(cell.code, { filename: cell.filename });
    value?.destroy?.();
    current.ok = true;
  } catch (error) {
    current.traceback = error.message ?? String(error);
  }
  current.seconds = now() - start;
  closeFigures();
  save();
  const status = current.ok ? "ok" : "FAILED";
  console.error(`cell ${index + 1}/${job.cells.length} ${status} ${current.seconds.toFixed(2)} s`);
  if (!current.ok) process.exit(1);
  if (index === 0) {
    await timed("page_packages", () => pyodide.loadPackage(job.page_packages ?? [], quiet));
    save();
  }
}
process.exit(0);
