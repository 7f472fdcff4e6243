// The pycells Node host: run cells in real Pyodide under Node through the page's own engine
// (../pycells-engine.mjs): the same boot, package order, support code, settings, tracebacks,
// input() and figures as a page.
//
//   node _extensions/pycells/hosts/node.mjs JOB.json RESULT.json
//
// JOB and RESULT are the hosts' job and result (README, "Hosts"); this host's job also names
// Pyodide's `indexURL` (a folder, ending in "/"), the page's `packages` and its `wheels` (files).
// RESULT is rewritten after every cell, the cell running now already in it, failed. Each cell's
// record has `heap_bytes`, the size of Pyodide's WebAssembly memory once the cell has run, before
// the page's idle-time work (the memory grows and never shrinks: the largest is the peak).
// Exit status: 0 the cells ran, 1 a cell failed and the job stops at an error, 2 the engine
// could not start.

import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { appendAsTerminal } from "../src/runtime/terminal-text.mjs";

const EXTENSION = new URL("../", import.meta.url);
const { startEngine } = await import(new URL("pycells-engine.mjs", EXTENSION).href);

const [jobPath, resultPath] = process.argv.slice(2);
if (!jobPath || !resultPath) {
  console.error("usage: node _extensions/pycells/hosts/node.mjs JOB.json RESULT.json");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobPath, "utf8"));
const result = { startup: {}, error: null, cells: [] };
const save = () => writeFileSync(resultPath, JSON.stringify(result));

let outputs = null;  // the outputs of the cell running now
function collect(event) {
  if (outputs === null) return;
  const last = outputs[outputs.length - 1];
  if (event.type === "stream" && last?.kind === event.name) last.text = appendAsTerminal(last.text, event.text);
  else if (event.type === "stream") outputs.push({ kind: event.name, text: appendAsTerminal("", event.text) });
  else if (event.type === "figure") outputs.push({ kind: "figure", png: event.png });
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
  const record = { ok: false, seconds: 0, outputs: [] };
  result.cells.push(record);
  save();
  outputs = record.outputs;
  const started = performance.now();
  try {
    const { value, error } = await engine.run(cell.code, cell.file, cell.settings ?? null);
    if (value !== null) outputs.push({ kind: "result", text: value });
    if (error !== null) outputs.push({ kind: "error", text: error });
    record.ok = error === null;
  } catch (problem) {
    outputs.push({ kind: "error", text: `Python itself stopped (${problem.message}).` });
  }
  record.seconds = (performance.now() - started) / 1000;
  record.heap_bytes = engine.heapBytes();
  outputs = null;
  engine.idle();   // as a page does once it has shown the output
  await engine.settled();
  result.startup = engine.timings;
  save();
  console.error(`cell ${index + 1}/${job.cells.length} ${record.ok ? "ok" : "FAILED"} ${record.seconds.toFixed(2)} s`);
  if (!record.ok && job.stop_at_error) process.exit(1);
}
process.exit(0);
