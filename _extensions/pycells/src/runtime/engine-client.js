// The page's side of the Python engine: the module worker pycells-worker.mjs and its protocol.
import { absolute } from "./dom.js";

// Read while this script runs: document.currentScript is null once it has run.
const WORKER_URL = new URL("pycells-worker.mjs", document.currentScript.src).href;
const STOP_NOTICE = "The Python engine was restarted, so this page's Python state was reset: " +
  "variables from earlier cells are gone (use \u201cRun all above\u201d to rebuild them).";
const DIED_NOTICE = "Python itself stopped while running this cell: the code called os._exit(), or the " +
  "interpreter crashed. A cell cannot end Python; to stop a cell early, raise an exception instead.";
const NOT_AVAILABLE = { kind: "not-started", message: "the Python engine is not available: press Retry at the bottom of the page." };

/** An iPad or iPhone: their WebKit breaks the WebAssembly-GC call trampoline of Pyodide 0.27
    (pyodide issues 5428 and 5670), which Pyodide skips only where the worker's navigator.platform
    names the device. An iPad in desktop mode says "MacIntel" there and has touch points, which
    a worker cannot see: the page decides, and the worker makes Pyodide take its other path. */
export function onAppleMobile(nav = navigator) {
  return /iPad|iPhone|iPod/.test(nav.platform) || /iPad|iPhone|iPod/.test(nav.userAgent)
    || (nav.platform === "MacIntel" && nav.maxTouchPoints > 1);
}

/** Where the engine comes from, for the page's worker and the snapshot's. */
function engineSource(config) {
  return { indexURL: absolute(config.engineUrl), appleMobile: onAppleMobile() };
}

/** What the engine installs for a page, and the code whose imports it runs ahead (in idle time). */
function pageNeeds(config) {
  return { packages: config.packages, wheels: config.wheels.map(absolute),
           importAhead: config.cells.filter((cell) => cell.run !== "never").map((cell) => cell.code) };
}

// Owns the module worker (pycells-worker.mjs) and speaks its protocol: requests answered by id
// (start, run, call), stream/figure/begin/capped events for a request, status events.
// Runs jobs one at a time; Stop, a time limit or a dead interpreter restart the worker.
export class Engine {
  constructor(config, status) {
    this.config = config;
    this.status = status;
    this.queue = [];
    this.current = null;
    this.requests = new Map();   // id -> {resolve, reject, onEvent}
    this.waitingCalls = [];      // calls made before the engine was ready
    this.nextId = 1;
    this.state = "stopped";      // "starting" | "ready" | "failed" | "stopped"
    this.onReady = () => {};
    this.onIdle = () => {};     // ready, with nothing queued or running
  }

  /** Ready, with nothing queued or running: the engine can move to another page. */
  isIdle() {
    return this.state === "ready" && !this.current && this.queue.length === 0;
  }

  /** Move this engine to a new page of the site (an idle engine): a fresh namespace, then the
      packages of the new page that are not installed yet; its setup runs once that is done. */
  adopt(config) {
    this.config = config;
    this.setupFailure = null;
    this.ran = false;
    this.state = "starting";
    this.request("newPage", pageNeeds(config)).then(() => this.started(), (failure) => this.startFailed(failure));
  }

  start() {
    this.state = "starting";
    this.ran = false;
    this.worker = new Worker(WORKER_URL, { type: "module" });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => this.workerFailed(event.message || "the worker stopped");
    this.status.show({ phase: "loading" });
    const params = { ...engineSource(this.config), ...pageNeeds(this.config) };
    this.request("start", params).then(({ timings, snapshotWanted }) => {
      // the engine's own record of its start (ms since the epoch), for anyone measuring it
      performance.mark("pycells-engine-started", { detail: timings });
      this.snapshotWanted = snapshotWanted;
      this.started();
    }, (failure) => this.startFailed(failure));
  }

  /** Once the page has settled, a second worker stores a snapshot of a fresh Python, from which
      the engines of later visits start (the next tab, a reload, Stop, a page opened offline). */
  storeSnapshot() {
    if (!this.snapshotWanted) return;
    this.snapshotWanted = false;
    const maker = new Worker(WORKER_URL, { type: "module" });
    const done = (stored) => {
      maker.terminate();
      performance.mark("pycells-snapshot", { detail: { stored } });
    };
    maker.onmessage = (event) => { if (event.data.id === 1) done(!event.data.failure); };
    maker.onerror = () => done(false);
    maker.postMessage({ id: 1, method: "snapshot", params: engineSource(this.config) });
  }

  started() {
    this.state = "ready";
    this.showIdle();
    for (const call of this.waitingCalls.splice(0)) call();
    this.onReady();
    this.next();
  }

  /** The engine did not start: say so, offer Retry, and keep the cells that wait for it. */
  startFailed(failure) {
    this.worker.terminate();
    this.state = "failed";
    this.rejectAll(failure);
    for (const call of this.waitingCalls.splice(0)) call();
    this.status.show({ phase: "failed", message: failure.message });
    for (const job of this.queue) job.sink.waitingForRetry();
  }

  workerFailed(message) {
    if (this.state === "starting") this.startFailed({ kind: "load-failed", message: `The Python worker failed to start (${message}).` });
    else this.stop(DIED_NOTICE);
  }

  request(method, params, onEvent = () => {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject, onEvent });
      this.worker.postMessage({ id, method, params });
    });
  }

  rejectAll(failure) {
    for (const [, request] of this.requests) request.reject(failure);
    this.requests.clear();
  }

  receive(message) {
    if (message.event === "settled") {
      // the engine's background work (the page's packages, its cells' imports) is over
      performance.mark("pycells-settled");
      this.storeSnapshot();
      return;
    }
    if (message.event === "status") {
      if (message.status.phase === "ready") this.showIdle();
      else this.status.show(message.status);
      return;
    }
    const request = this.requests.get(message.event ? message.request : message.id);
    if (!request) return;
    if (message.event) { request.onEvent(message); return; }
    this.requests.delete(message.id);
    if (message.failure) request.reject(message.failure);
    else request.resolve(message.result);
  }

  /** Queue pieces [{code, filename, showValue}] to run; resolves true when all ran without error. */
  run(pieces, sink, { name, timelimit = 0, first = false } = {}) {
    return new Promise((resolve) => {
      const job = { pieces, sink, name, timelimit, first, resolve };
      sink.queued();
      if (this.state === "failed") sink.waitingForRetry();
      // `first` jobs (a page's hidden setup) go ahead of cells queued before the engine was ready.
      const place = first ? this.queue.findIndex((queued) => !queued.first) : -1;
      if (place >= 0) this.queue.splice(place, 0, job); else this.queue.push(job);
      this.next();
    });
  }

  /** Call a named Python function; resolves {values} or {problem}, or rejects {kind, message}. */
  call(name, args) {
    if (this.state === "ready") return this.request("call", { name, args });
    if (this.state === "failed") return Promise.reject(NOT_AVAILABLE);
    return new Promise((resolve, reject) => {
      this.waitingCalls.push(() => (this.state === "ready" ? this.call(name, args).then(resolve, reject) : reject(NOT_AVAILABLE)));
    });
  }

  next() {
    if (this.state !== "ready" || this.current || this.queue.length === 0) return;
    this.execute(this.queue.shift());
  }

  async execute(job) {
    this.current = job;
    this.ran = true;
    job.sink.started();
    this.status.show({ phase: "running", cell: job.name });
    let ok = true;
    for (const piece of job.pieces) {
      let outcome;
      try {
        outcome = await this.request("run", { code: piece.code, filename: piece.filename, settings: piece.settings ?? null },
          (event) => this.deliver(job, event));
      } catch (failure) {
        if (failure.kind === "interpreter-died" && this.current === job) this.stop(DIED_NOTICE);
        return;   // stop() has ended the job
      }
      if (outcome.error !== null) {
        job.sink.error(outcome.error);
        ok = false;
        break;
      }
      if (outcome.feedback !== null) job.sink.feedback(JSON.parse(outcome.feedback));
      if (outcome.value !== null && piece.showValue !== false) job.sink.result(outcome.value);
    }
    this.finish(job, ok);
  }

  deliver(job, event) {
    switch (event.event) {
      case "begin": this.begin(job); break;
      case "stream": job.sink.stream(event.name, event.text); break;
      case "figure": job.sink.figure(event.png); break;
      case "capped": job.sink.capped(event.lines, event.chars); break;
      default: break;
    }
  }

  /** The job's code began (after any package installs): its time limit starts now. */
  begin(job) {
    this.status.show({ phase: "running", cell: job.name });
    if (job.timelimit > 0 && !job.timer) {
      job.timer = setTimeout(() => this.stop(`Stopped after the time limit of ${job.timelimit} s.`), job.timelimit * 1000);
    }
  }

  showIdle() {
    if (this.current) this.status.show({ phase: "running", cell: this.current.name });
    else if (this.queue.length === 0) {
      this.status.show(this.setupFailure || { phase: "ready" });
      // the output is on the page: the engine may now fetch what the page will need next
      if (this.state === "ready" && this.ran) this.request("idle").catch(() => {});
      this.onIdle();
    }
  }

  finish(job, ok) {
    clearTimeout(job.timer);
    this.current = null;
    job.sink.finished(ok);
    job.resolve(ok);
    this.showIdle();
    this.next();
  }

  /** End whatever runs, drop the queue, and boot a fresh engine. */
  stop(reason = "Stopped.") {
    this.worker.terminate();
    const dropped = this.current ? [this.current, ...this.queue] : this.queue;
    this.current = null;
    this.queue = [];
    this.setupFailure = null;
    this.rejectAll({ kind: "restarted", message: "the Python engine was restarted." });
    for (const job of dropped) {
      clearTimeout(job.timer);
      job.sink.notice(job === dropped[0] ? `${reason} ${STOP_NOTICE}` : "Not run: the engine was stopped.");
      job.sink.finished(false);
      job.resolve(false);
    }
    this.start();
  }
}
