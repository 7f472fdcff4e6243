// The page's module worker: runs the pycells engine (pycells-engine.mjs) off the main thread.
//
// Requests in (answered in order, each by its id):
//   {id, method: "start", params: {indexURL, packages, wheels}}  -> {id, result: {}}
//   {id, method: "run",   params: {code, filename}}              -> {id, result: {value, error}}
//   {id, method: "call",  params: {name, args}}                  -> {id, result: {values} | {problem}}
// A request the engine cannot serve is answered {id, failure: {kind, message}}, kind one of
// "load-failed", "install-failed", "interpreter-died", "not-started".
// Events out: {event: "status", status}, and for the request they belong to
// {event: "begin" | "stream" | "figure" | "capped", request: id, ...the engine's fields}.

import { startEngine } from "./pycells-engine.mjs";

const OUTPUT_CAP = { chars: 100000, lines: 1000 };

let engine = null;
let current = null;   // id of the request being served

function emit({ type, ...fields }) {
  if (type === "status") self.postMessage({ event: "status", status: fields.status });
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
  async start({ indexURL, packages, wheels }) {
    let loadPyodide;
    try {
      loadPyodide = await loadPyodideFrom(indexURL);
    } catch (error) {
      throw { kind: "load-failed", message: `Could not load the Python engine from ${indexURL} (${error.message ?? error}).` };
    }
    engine = await startEngine({ loadPyodide, indexURL, readSupportFile, packages, wheels, emit, outputCap: OUTPUT_CAP });
    return {};
  },
  run: ({ code, filename }) => engine.run(code, filename),
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

// Pyodide reports a fatal error (os._exit, a crash inside the interpreter) as an uncaught error.
function interpreterDied(error) {
  if (engine !== null) engine.died(error);
}
self.addEventListener("error", (event) => { event.preventDefault(); interpreterDied(event.error ?? event.message); });
self.addEventListener("unhandledrejection", (event) => { event.preventDefault(); interpreterDied(event.reason); });

let queue = Promise.resolve();
self.onmessage = (event) => { queue = queue.then(() => serve(event.data)); };
