// The page's module worker: runs the pycells engine (pycells-engine.mjs) off the main thread.
// It answers the page's requests (start, run, call) in order, each by its id, and passes the
// engine's events on; README.md ("The protocol between page and worker") lists the messages.

import { startEngine } from "./pycells-engine.mjs";

const OUTPUT_CAP = { chars: 100000, lines: 1000 };

let engine = null;
let current = null;   // id of the request being served

function emit({ type, ...fields }) {
  if (type === "status") self.postMessage({ event: "status", status: fields.status });
  else if (type === "settled") self.postMessage({ event: "settled" });
  else self.postMessage({ event: type, request: current, ...fields });
}

async function readSupportFile(name) {
  const response = await fetch(new URL(name, import.meta.url));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.text();
}

async function loadPyodideFrom(indexURL) {
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  return loadPyodide;
}

const methods = {
  async start({ indexURL, packages, wheels, importAhead }) {
    let loadPyodide;
    try {
      loadPyodide = await loadPyodideFrom(indexURL);
    } catch (error) {
      throw { kind: "load-failed", message: `Could not load the Python engine from ${indexURL} (${error.message ?? error}).` };
    }
    engine = await startEngine({ loadPyodide, indexURL, readSupportFile, packages, wheels, importAhead, emit, outputCap: OUTPUT_CAP });
    return {};
  },
  newPage: (params) => engine.newPage(params),
  run: ({ code, filename, settings }) => engine.run(code, filename, settings),
  idle: () => { engine.idle(); return {}; },
  call: ({ name, args }) => engine.call(name, args),
};

async function serve({ id, method, params }) {
  current = id;
  try {
    if (method !== "start" && engine === null) throw { kind: "not-started", message: "The Python engine has not started." };
    self.postMessage({ id, result: await methods[method](params) });
  } catch (problem) {
    self.postMessage({ id, failure: { kind: problem.kind ?? "interpreter-died", message: problem.message ?? String(problem) } });
  } finally {
    current = null;
  }
}

// Pyodide reports the interpreter's death (os._exit, a fatal error) as an uncaught error.
self.addEventListener("error", (event) => { if (engine?.uncaught(event.error)) event.preventDefault(); });
self.addEventListener("unhandledrejection", (event) => { if (engine?.uncaught(event.reason)) event.preventDefault(); });

let queue = Promise.resolve();
self.onmessage = (event) => { queue = queue.then(() => serve(event.data)); };
