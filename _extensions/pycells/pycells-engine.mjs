// The pycells engine: boots Pyodide, installs packages and wheels in the page's order,
// runs code and calls functions, and reports output, figures and progress as events.
//
// The page's module worker (pycells-worker.mjs) and the Node command line
// (hosts/node.mjs) both drive Pyodide through this module and nothing else.
// It knows nothing about its host: it is given `loadPyodide`, Pyodide's index URL
// and a function that returns the text of a support file (pycells_support.py, ...).
//
// Events passed to `emit`:
//   {type: "status", status: {phase: "loading" | "installing" | "installing-imports" | "ready"
//                                    | "install-failed", packages?: [names], message?: text}}
//   {type: "begin"}                         a run's code starts (after the packages it imports)
//   {type: "stream", name: "stdout" | "stderr", text}
//   {type: "figure", png: base64 text}
//   {type: "capped", lines, chars}          the run's output reached outputCap; the rest is dropped
//   {type: "settled"}                       the work started by idle() (page packages, imports ahead)
//                                           is over

const SUPPORT_FILES = ["pycells_support.py", "pycells_mpl_backend.py"];
const SUPPORT_DIR = "/home/pyodide/.pycells";

// numpy and the wheels come before the first run; the page's other packages once the
// host says it is idle after a run (or before a run whose code imports them), so that
// the first output does not wait for packages it does not use.
const FIRST_PACKAGES = ["numpy"];

/** A failure of the engine itself, as opposed to an error in the code it runs. */
export class EngineProblem extends Error {
  /** @param {"load-failed" | "install-failed" | "interpreter-died"} kind */
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** "numpy" for "numpy", "pylib" for ".../pylib-0.1.0-py3-none-any.whl": how Pyodide names what it loaded. */
const packageName = (nameOrUrl) => (nameOrUrl.includes("/") ? nameOrUrl.split("/").pop().split("-")[0] : nameOrUrl);
const describe = (error) => (error && error.message ? error.message : String(error));
const seconds = () => performance.now() / 1000;
/** Milliseconds since the epoch: one clock for the page and its worker. */
export const clock = () => performance.timeOrigin + performance.now();

// A restore from a snapshot too small for its heap never settles in Pyodide 0.27.
const RESTORE_LIMIT_MS = 30000;

function withinLimit(promise, ms, what) {
  let timer;
  const late = new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Boot Pyodide: from the memory snapshot in `snapshots` when it holds one that restores, else from
 * its files. `snapshots` (or null): {read() -> Uint8Array | null, drop()}. A snapshot that fails to
 * restore is dropped. Records `fromSnapshot` and `snapshotRead` (ms) in `timings`.
 */
export async function bootPyodide(loadPyodide, options, snapshots, timings) {
  timings.fromSnapshot = false;
  const reading = clock();
  const saved = snapshots ? await snapshots.read().catch(() => null) : null;
  timings.snapshotRead = clock() - reading;
  if (saved) {
    try {
      const pyodide = await withinLimit(loadPyodide({ indexURL: options.indexURL, _loadSnapshot: saved }),
        RESTORE_LIMIT_MS, "restoring the snapshot");
      // the snapshot holds `random` already seeded: every restored engine would draw the same numbers
      pyodide.runPython("import random; random.seed()");
      timings.fromSnapshot = true;
      return pyodide;
    } catch {
      await snapshots.drop().catch(() => {});
    }
  }
  return loadPyodide(options);
}

/** The bytes of a memory snapshot of a Pyodide just booted, before any package or code. */
export async function makeSnapshot({ loadPyodide, indexURL }) {
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
  return pyodide.makeMemorySnapshot();
}

/**
 * Boot Pyodide and install what the page needs before its first run. `snapshots`: see bootPyodide.
 * `timings` receives how long each step took (s) and when it ended (ms, `clock`).
 * @returns {Promise<Engine>}; rejects with an EngineProblem ("load-failed" or "install-failed").
 */
export async function startEngine({
  loadPyodide, indexURL, readSupportFile, packages = [], wheels = [], importAhead = [], emit = () => {}, outputCap = null,
  snapshots = null, timings = {},
}) {
  let pyodide;
  const first = packages.filter((name) => FIRST_PACKAGES.includes(name));
  emit({ type: "status", status: { phase: "loading" } });
  try {
    const started = seconds();
    // Pyodide downloads `packages` while it boots; the install below then finds them there, or
    // reports what failed to arrive.
    pyodide = await bootPyodide(loadPyodide, { indexURL, packages: [...first, ...wheels] }, snapshots, timings);
    timings.boot = seconds() - started;
    timings.bootedAt = clock();
    // which call trampoline Pyodide chose: "wasm-gc" (its fast path) or "javascript" (no GC proposal,
    // or an iPad or iPhone, whose WebKit breaks the other)
    timings.callPath = pyodide._module._PyEM_CountArgsPtr ? "wasm-gc" : "javascript";
  } catch (error) {
    throw new EngineProblem("load-failed", `Could not load the Python engine from ${indexURL} (${describe(error)}).`);
  }
  const engine = new Engine(pyodide, emit, outputCap, timings);
  engine.importAhead = importAhead;
  engine.pagePackages = packages.filter((name) => !FIRST_PACKAGES.includes(name));
  try {
    emit({ type: "status", status: { phase: "installing", packages: [...first, ...wheels].map(packageName) } });
    const started = seconds();
    await engine.install([...first, ...wheels]);
    timings.packages = seconds() - started;
    timings.installedAt = clock();
    await engine.loadSupport(readSupportFile);
  } catch (error) {
    throw new EngineProblem("install-failed", `Could not install the course packages (${describe(error)}).`);
  }
  emit({ type: "status", status: { phase: "ready" } });
  return engine;
}

class Engine {
  constructor(pyodide, emit, outputCap, timings) {
    this.pyodide = pyodide;
    this.emit = emit;
    this.outputCap = outputCap;
    this.timings = timings;
    this.pagePackages = [];
    this.importAhead = [];  // the page's cells' code, whose imports run once the page's first run is over
    this.background = Promise.resolve();
    this.output = null;   // the run in progress: {chars, lines, capped}
    this.death = null;    // rejects every waiting run once the interpreter is gone
    this.deathPromise = new Promise((resolve, reject) => { this.death = reject; });
    this.deathPromise.catch(() => {});
    pyodide.setStdout(this.streamTo("stdout"));
    pyodide.setStderr(this.streamTo("stderr"));
    pyodide.registerJsModule("pycells_bridge", {
      figure: (png) => { if (this.output) emit({ type: "figure", png }); },
    });
  }

  /** The size of Pyodide's WebAssembly memory (bytes): it grows when Python needs more and never shrinks. */
  heapBytes() {
    return this.pyodide._module.HEAP8.length;
  }

  async install(names) {
    if (names.length === 0) return;
    const problems = [];
    await this.pyodide.loadPackage(names, { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
    if (problems.length > 0) throw new Error(problems.join("; "));
  }

  async loadSupport(readSupportFile) {
    this.pyodide.FS.mkdirTree(SUPPORT_DIR);
    for (const name of SUPPORT_FILES) {
      this.pyodide.FS.writeFile(`${SUPPORT_DIR}/${name}`, await readSupportFile(name));
    }
    const sys = this.pyodide.pyimport("sys");
    sys.path.insert(0, SUPPORT_DIR);
    sys.destroy();
    this.support = this.pyodide.pyimport("pycells_support");
  }

  /** Output goes out as it is written: a long computation after a print must not hold it back. */
  streamTo(name) {
    const decoder = new TextDecoder();
    return {
      write: (bytes) => {
        this.collect(name, decoder.decode(bytes, { stream: true }));
        return bytes.length;
      },
    };
  }

  collect(name, text) {
    const output = this.output;
    if (output === null || output.capped) return;
    if (this.outputCap === null) {
      this.emit({ type: "stream", name, text });
      return;
    }
    const { chars: charCap, lines: lineCap } = this.outputCap;
    let accepted = text.slice(0, Math.max(0, charCap - output.chars));
    let newlines = 0;
    for (let i = 0; i < accepted.length; i++) {
      if (accepted.charCodeAt(i) === 10 && output.lines + ++newlines >= lineCap) {
        accepted = accepted.slice(0, i + 1);
        break;
      }
    }
    output.chars += accepted.length;
    output.lines += newlines;
    if (accepted) this.emit({ type: "stream", name, text: accepted });
    if (accepted.length < text.length || output.lines >= lineCap) {
      output.capped = true;
      this.emit({ type: "capped", lines: lineCap, chars: charCap });
    }
  }

  /**
   * The host's handler for uncaught errors passes them here: Pyodide reports the interpreter's
   * death (os._exit, a fatal error inside it) that way. Returns true when it was that death,
   * which ends the waiting run with an EngineProblem ("interpreter-died").
   */
  uncaught(error) {
    if (!error || !error.pyodide_fatal_error) return false;
    this.dead = true;
    this.death(new EngineProblem("interpreter-died", describe(error)));
    return true;
  }

  /**
   * Run one piece of code in the shared namespace.
   * @param {{figure?: {width?: number, height?: number, dpi?: number}, envir?: string, warnings?: boolean}}
   *   [settings] from the cell's options: the size (inches) and resolution of the figures the code
   *   draws, the namespace it runs in, whether Python's warnings are shown
   * @returns {Promise<{value: string | null, error: string | null, feedback: string | null}>} the repr
   *   of its last expression, or the traceback of the exception it raised, or a check's feedback
   *   (JSON of {correct, message, type}); rejects with an EngineProblem ("interpreter-died") when
   *   Python itself stopped.
   */
  async run(code, filename, settings = null) {
    await this.settled();
    this.output = { chars: 0, lines: 0, capped: false };
    try {
      await this.loadImportedPackages(code);
      this.emit({ type: "begin" });
      const pySettings = settings ? this.pyodide.toPy(settings) : null;
      const outcome = await Promise.race([this.support.run_piece(code, filename, pySettings), this.deathPromise]);
      pySettings?.destroy();
      const [value, error, feedback] = outcome.toJs();
      outcome.destroy();
      return { value: value ?? null, error: error ?? null, feedback: feedback ?? null };
    } catch (error) {
      if (error instanceof EngineProblem) throw error;
      this.dead = true;
      throw new EngineProblem("interpreter-died", describe(error));
    } finally {
      this.output = null;
    }
  }

  /**
   * The host has shown a run's output and has nothing waiting: the engine starts the work it defers
   * until then (once per page): the page's own packages, then its cells' imports. The next run or
   * call waits for it; `{type: "settled"}` says it is over.
   */
  idle() {
    if (this.dead || (this.pagePackages.length === 0 && this.importAhead.length === 0)) return;
    const names = this.pagePackages;
    const codes = this.importAhead;
    this.pagePackages = [];
    this.importAhead = [];
    this.background = this.background.then(() => this.installPagePackages(names, codes))
      .finally(() => this.emit({ type: "settled" }));
  }

  /** Resolves once background work (installing the page's packages) is over. */
  settled() {
    return this.background;
  }

  async loadImportedPackages(code) {
    const announce = {
      messageCallback: (text) => {
        if (text.startsWith("Loading ")) {
          const packages = text.slice("Loading ".length).split(/,\s*/);
          this.emit({ type: "status", status: { phase: "installing-imports", packages } });
        }
      },
      errorCallback: () => {},
    };
    try {
      await this.pyodide.loadPackagesFromImports(code, announce);
    } catch {
      // A syntax error or an unknown module is reported when the code itself runs.
    }
  }

  /** The page's own packages `names`, then what the code pieces `codes` import and is installed. */
  async installPagePackages(names, codes) {
    if (this.dead) return;
    if (names.length > 0) {
      this.emit({ type: "status", status: { phase: "installing", packages: names } });
      const started = seconds();
      try {
        await this.install(names);
        this.emit({ type: "status", status: { phase: "ready" } });
      } catch (error) {
        this.emit({ type: "status", status: { phase: "install-failed", packages: names, message: describe(error) } });
      }
      this.timings.page_packages = seconds() - started;
    }
    if (codes.length === 0) return;
    // only what is installed by now: a package the page does not list is installed when a cell imports it
    const pyCodes = this.pyodide.toPy(codes);
    try {
      this.support.import_ahead(pyCodes);
    } finally {
      pyCodes.destroy();
    }
  }

  /**
   * A new page on the same engine: a fresh namespace (imported modules stay loaded), and the
   * packages and wheels it needs that are not installed yet, installed now.
   */
  async newPage({ packages = [], wheels = [], importAhead = [] }) {
    await this.settled();
    this.support.reset_namespace();
    this.importAhead = importAhead;
    const loaded = Object.keys(this.pyodide.loadedPackages);
    const missing = [...packages, ...wheels].filter((item) => !loaded.includes(packageName(item)));
    if (missing.length === 0) return;
    this.emit({ type: "status", status: { phase: "installing", packages: missing.map(packageName) } });
    try {
      await this.install(missing);
    } catch (error) {
      throw new EngineProblem("install-failed", `Could not install the page's packages (${describe(error)}).`);
    }
    this.emit({ type: "status", status: { phase: "ready" } });
  }

  /**
   * Call the page's named Python function with JSON-like `args`.
   * @returns {Promise<{values: number[]} | {problem: string}>} problem: a sentence for the student.
   */
  async call(name, args) {
    await this.settled();
    const pyArgs = this.pyodide.toPy(args);
    try {
      const outcome = this.support.call_function(name, pyArgs);
      const [values, problem] = outcome.toJs();
      outcome.destroy();
      return problem ? { problem } : { values };
    } finally {
      pyArgs.destroy();
    }
  }
}
