// Run code cells in real Pyodide under Node through the page's own engine
// (_extensions/pycells/pycells-engine.mjs): the same boot, package order, runner,
// tracebacks, input() and figure handling as a chapter page.
//
//   node tools/pyodide_job.mjs JOB.json RESULT.json
//
// JOB.json:    {"indexURL": "/abs/build/pyodide/", "packages": ["scipy", ...], "wheels": ["/abs/x.whl"],
//               "cells": [{"filename": "<qmd-cell-0>", "code": "..."}, ...]}
//              packages are the page's: the engine decides when each is installed.
// RESULT.json: {"startup": {"boot": s, "packages": s, "page_packages": s}, "error": null | text,
//               "cells": [{"ok": bool, "seconds": s, "stdout": text, "stderr": text,
//                          "figures": n, "traceback": text}, ...]}
// RESULT.json is rewritten after every cell (a cell that never returns leaves the earlier
// results readable). Runs stop at the first failing cell.
// Exit status: 0 all cells ran, 1 a cell failed, 2 the engine could not start.

import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const EXTENSION = new URL("../_extensions/pycells/", import.meta.url);
const { startEngine } = await import(new URL("pycells-engine.mjs", EXTENSION).href);

const [jobPath, resultPath] = process.argv.slice(2);
if (!jobPath || !resultPath) {
  console.error("usage: node tools/pyodide_job.mjs JOB.json RESULT.json");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobPath, "utf8"));
const result = { startup: {}, error: null, cells: [] };
const save = () => writeFileSync(resultPath, JSON.stringify(result, null, 1));

let current = null;
function collect(event) {
  if (current === null) return;
  if (event.type === "stream") current[event.name] += event.text;
  if (event.type === "figure") current.figures += 1;
}

let engine = null;
// Pyodide reports the interpreter's death (os._exit, a fatal error) as an uncaught error.
process.on("uncaughtException", (error) => {
  if (engine?.uncaught(error)) return;
  console.error(error);
  process.exit(2);
});

try {
  const { loadPyodide } = await import(pathToFileURL(`${job.indexURL}pyodide.mjs`).href);
  engine = await startEngine({
    loadPyodide,
    indexURL: job.indexURL,
    readSupportFile: (name) => readFileSync(new URL(name, EXTENSION), "utf8"),
    packages: job.packages ?? [],
    wheels: job.wheels ?? [],
    emit: collect,
  });
  result.startup = engine.timings;
} catch (error) {
  result.error = `Pyodide did not start: ${error.stack ?? error}`;
  save();
  console.error(result.error);
  process.exit(2);
}

for (const [index, cell] of job.cells.entries()) {
  current = { ok: false, seconds: 0, stdout: "", stderr: "", figures: 0, traceback: "" };
  result.cells.push(current);
  save();
  const started = performance.now();
  try {
    const { error } = await engine.run(cell.code, cell.filename);
    current.ok = error === null;
    current.traceback = error ?? "";
  } catch (problem) {
    current.traceback = `Python itself stopped (${problem.message}).`;
  }
  current.seconds = (performance.now() - started) / 1000;
  engine.idle();   // as a page does once it has shown the output
  await engine.settled();
  result.startup = engine.timings;
  const finished = current;
  current = null;
  save();
  console.error(`cell ${index + 1}/${job.cells.length} ${finished.ok ? "ok" : "FAILED"} ${finished.seconds.toFixed(2)} s`);
  if (!finished.ok) process.exit(1);
}
process.exit(0);
