// The page's module worker: runs the pycells engine (pycells-engine.mjs) off the main thread.
// It answers the page's requests (start, run, call) in order, each by its id, and passes the
// engine's events on; README.md ("The protocol between page and worker") lists the messages.

import { clock, makeSnapshot, startEngine } from "./pycells-engine.mjs";

const WORKER_AT = clock();
const OUTPUT_CAP = { chars: 100000, lines: 1000 };
// Not "pycells-…": the service worker deletes the caches of that name that are not its own.
const SNAPSHOT_CACHE = "snapshots-of-pycells";
const SNAPSHOT_LENGTH = "x-snapshot-length";

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

/** Before Pyodide loads: on an iPad or iPhone (the page tells), make Pyodide 0.27 take its
    JavaScript call trampoline, not the WebAssembly-GC one that their WebKit breaks; Pyodide
    looks for the device's name in navigator.platform, which an iPad's worker does not give. */
function chooseCallPath(appleMobile) {
  if (appleMobile) Object.defineProperty(self.navigator, "platform", { value: "iPad", configurable: true });
}

/** The memory snapshot of the Pyodide at `indexURL`, kept in Cache Storage with its length (one
    per call path: a snapshot holds the path of the Pyodide that made it). */
function snapshotStore(indexURL, appleMobile) {
  if (!self.caches) return null;
  const key = new URL(appleMobile ? "pycells-memory-snapshot-js-calls" : "pycells-memory-snapshot", indexURL).href;
  const open = () => caches.open(SNAPSHOT_CACHE);
  return {
    async read() {
      const response = await (await open()).match(key);
      if (!response) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length === Number(response.headers.get(SNAPSHOT_LENGTH))) return bytes;
      await this.drop();   // cut short on its way in
      return null;
    },
    drop: async () => (await open()).delete(key),
    write: async (bytes) => (await open()).put(key, new Response(bytes, { headers: { [SNAPSHOT_LENGTH]: String(bytes.length) } })),
  };
}

async function loadPyodideOrFail(indexURL) {
  try {
    return await loadPyodideFrom(indexURL);
  } catch (error) {
    throw { kind: "load-failed", message: `Could not load the Python engine from ${indexURL} (${error.message ?? error}).` };
  }
}

const methods = {
  async start({ indexURL, appleMobile, packages, wheels, importAhead }) {
    const timings = { workerAt: WORKER_AT, askedAt: clock() };
    chooseCallPath(appleMobile);
    const loadPyodide = await loadPyodideOrFail(indexURL);
    timings.importedAt = clock();
    const snapshots = snapshotStore(indexURL, appleMobile);
    engine = await startEngine({ loadPyodide, indexURL, readSupportFile, packages, wheels, importAhead, emit,
                                 outputCap: OUTPUT_CAP, snapshots, timings });
    return { timings, snapshotWanted: snapshots !== null && !timings.fromSnapshot };
  },
  /** Store a snapshot for the engines started after this one; this worker is then done. */
  async snapshot({ indexURL, appleMobile }) {
    chooseCallPath(appleMobile);
    const bytes = await makeSnapshot({ loadPyodide: await loadPyodideOrFail(indexURL), indexURL });
    await snapshotStore(indexURL, appleMobile).write(bytes);
    return { bytes: bytes.length };
  },
  newPage: (params) => engine.newPage(params),
  run: ({ code, filename, settings }) => engine.run(code, filename, settings),
  idle: () => { engine.idle(); return {}; },
  call: ({ name, args }) => engine.call(name, args),
};

async function serve({ id, method, params }) {
  current = id;
  try {
    if (method !== "start" && method !== "snapshot" && engine === null) throw { kind: "not-started", message: "The Python engine has not started." };
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
