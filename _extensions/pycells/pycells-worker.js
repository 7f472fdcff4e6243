// pycells worker: runs Pyodide off the page's main thread.
//
// Messages in:  {type: "init", engineUrl, packages, wheels}
//               {type: "run", id, pieces: [{code, filename}]}
//               {type: "call", id, fn, args}
// Messages out: {type: "status", text} | {type: "ready"} | {type: "idle"} | {type: "init-error", message}
//               {type: "begin", id} | {type: "stream", id, name, text} | {type: "figure", id, png}
//               {type: "result", id, text} | {type: "error", id, text}
//               {type: "capped", id} | {type: "done", id, ok} | {type: "call-done", id, value, error}

const OUTPUT_CHAR_CAP = 100000;
const OUTPUT_LINE_CAP = 1000;
const FLUSH_INTERVAL_MS = 30;

let pyodide = null;
let runner = null;       // Python helpers defined in PYTHON_SUPPORT
let run = null;          // state of the run in progress: {id, pending, chars, lines, capped, lastFlush}

const PYTHON_SUPPORT = String.raw`
import base64, io, linecache, logging, os, sys, traceback
os.environ["MPLBACKEND"] = "module://pycells_mpl_backend"
# matplotlib's one-off "building the font cache" notice is not the student's output
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
namespace = {"__name__": "__main__"}

def _emit_open_figures():
    if "matplotlib.pyplot" not in sys.modules:
        return
    import matplotlib.pyplot as plt
    import pycells_bridge
    for number in plt.get_fignums():
        figure = plt.figure(number)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        pycells_bridge.figure(base64.b64encode(buffer.getvalue()).decode("ascii"))
    plt.close("all")

def _student_traceback(error):
    """Format error, keeping only frames from the student's cells onward."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, f in enumerate(frames) if f.filename.startswith("<cell")), len(frames))
    kept = frames[first:]
    lines = []
    if kept:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(kept))
    lines.extend(traceback.format_exception_only(type(error), error))
    return "".join(lines)

async def run_piece(code, filename):
    """Run one cell's code like a REPL; returns (repr of last value or None, error text or None)."""
    from pyodide.code import eval_code_async
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        value = await eval_code_async(code, namespace, filename=filename)
        return (None if value is None else repr(value)), None
    except BaseException as error:
        return None, _student_traceback(error)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        _emit_open_figures()

def call_function(name, args):
    function = namespace.get(name)
    if function is None:
        raise NameError(f"no function named {name!r} is defined yet: run the cells above first")
    return function(*args)
`;

const MPL_BACKEND = String.raw`
"""Matplotlib backend for pycells: Agg rendering; show() sends figures to the page."""
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

def show(*args, **kwargs):
    from pycells_support import _emit_open_figures
    _emit_open_figures()
`;

function post(message) { self.postMessage(message); }

function flush(force) {
  if (!run || run.pending === "") return;
  const now = performance.now();
  if (!force && now - run.lastFlush < FLUSH_INTERVAL_MS) return;
  for (const [name, text] of run.pendingParts) post({ type: "stream", id: run.id, name, text });
  run.pending = "";
  run.pendingParts = [];
  run.lastFlush = now;
}

// Collect stream text, respecting the per-run output cap.
function collect(name, text) {
  if (!run || run.capped) return;
  let accepted = text;
  const roomChars = OUTPUT_CHAR_CAP - run.chars;
  if (accepted.length > roomChars) accepted = accepted.slice(0, Math.max(0, roomChars));
  let newlines = 0;
  for (let i = 0; i < accepted.length; i++) {
    if (accepted.charCodeAt(i) === 10 && ++newlines + run.lines >= OUTPUT_LINE_CAP) {
      accepted = accepted.slice(0, i + 1);
      break;
    }
  }
  run.chars += accepted.length;
  run.lines += newlines;
  if (accepted) {
    const last = run.pendingParts[run.pendingParts.length - 1];
    if (last && last[0] === name) last[1] += accepted; else run.pendingParts.push([name, accepted]);
    run.pending += accepted;
  }
  if (accepted.length < text.length || run.lines >= OUTPUT_LINE_CAP) {
    run.capped = true;
    flush(true);
    post({ type: "capped", id: run.id, chars: OUTPUT_CHAR_CAP, lines: OUTPUT_LINE_CAP });
    return;
  }
  flush(false);
}

function streamHandler(name) {
  const decoder = new TextDecoder();
  return {
    write(bytes) {
      collect(name, decoder.decode(bytes, { stream: true }));
      return bytes.length;
    },
  };
}

async function init({ engineUrl, packages, wheels }) {
  try {
    post({ type: "status", text: "Loading the Python engine…" });
    importScripts(engineUrl + "pyodide.js");
    pyodide = await loadPyodide({ indexURL: engineUrl });
  } catch (err) {
    post({ type: "init-error", message: `Could not load the Python engine from ${engineUrl} (${err && err.message ? err.message : err}).` });
    return;
  }
  try {
    pyodide.setStdout(streamHandler("stdout"));
    pyodide.setStderr(streamHandler("stderr"));
    pyodide.registerJsModule("pycells_bridge", {
      figure(png) { if (run) post({ type: "figure", id: run.id, png }); },
    });
    const wheelNames = wheels.map((url) => url.split("/").pop().split("-")[0]);
    const first = packages.filter((name) => FIRST_PACKAGES.includes(name));
    deferredPackages = packages.filter((name) => !FIRST_PACKAGES.includes(name));
    post({ type: "status", text: `Installing packages: ${[...first, ...wheelNames].join(", ")}…` });
    await installPackages([...first, ...wheels]);
    pyodide.FS.mkdirTree("/home/pyodide/.pycells");
    pyodide.FS.writeFile("/home/pyodide/.pycells/pycells_support.py", PYTHON_SUPPORT);
    pyodide.FS.writeFile("/home/pyodide/.pycells/pycells_mpl_backend.py", MPL_BACKEND);
    pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/.pycells')");
    runner = pyodide.pyimport("pycells_support");
  } catch (err) {
    post({ type: "init-error", message: `Could not install the course packages (${err && err.message ? err.message : err}).` });
    return;
  }
  post({ type: "ready" });
}

// numpy and the wheels are installed before the first cell runs; the page's other
// packages right after it (or before it, when it imports them), so that the first
// output does not wait for packages it does not use.
const FIRST_PACKAGES = ["numpy"];
let deferredPackages = [];

async function installPackages(names) {
  const problems = [];
  await pyodide.loadPackage(names, { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
  if (problems.length > 0) throw new Error(problems.join("; "));
}

async function installDeferredPackages() {
  if (deferredPackages.length === 0) return;
  const names = deferredPackages;
  deferredPackages = [];
  post({ type: "status", text: `Installing packages: ${names.join(", ")}…` });
  try {
    await installPackages(names);
    post({ type: "idle" });
  } catch (err) {
    post({ type: "status", text: `Could not install ${names.join(", ")} (${err && err.message ? err.message : err}).` });
  }
}

// Packages a cell imports (scipy, matplotlib, ...) load before it runs, and the
// status line says so: the first plotting cell of a page can wait seconds for them.
const INSTALL_NOTICE = {
  messageCallback: (text) => {
    if (text.startsWith("Loading ")) post({ type: "status", text: "Installing the packages this cell imports…" });
  },
  errorCallback: () => {},
};

async function loadImportedPackages(pieces) {
  for (const piece of pieces) {
    try {
      await pyodide.loadPackagesFromImports(piece.code, INSTALL_NOTICE);
    } catch (err) {
      // A syntax error or unknown module is reported when the cell itself runs.
    }
  }
}

async function runPieces({ id, pieces }) {
  run = { id, pending: "", pendingParts: [], chars: 0, lines: 0, capped: false, lastFlush: 0 };
  await loadImportedPackages(pieces);
  post({ type: "begin", id });
  let ok = true;
  for (const piece of pieces) {
    const outcome = await runner.run_piece(piece.code, piece.filename);
    const [value, error] = outcome.toJs();
    outcome.destroy();
    flush(true);
    if (error !== undefined && error !== null) {
      post({ type: "error", id, text: error });
      ok = false;
      break;
    }
    if (value !== undefined && value !== null && piece.showValue !== false) {
      post({ type: "result", id, text: value });
    }
  }
  flush(true);
  run = null;
  post({ type: "done", id, ok });
  await installDeferredPackages();
}

function callFunction({ id, fn, args }) {
  try {
    const pyArgs = pyodide.toPy(args);
    const result = runner.call_function(fn, pyArgs);
    pyArgs.destroy();
    const value = result && typeof result.toJs === "function" ? result.toJs() : result;
    const plain = Array.from(value, Number);
    post({ type: "call-done", id, value: plain });
  } catch (err) {
    post({ type: "call-done", id, error: String(err && err.message ? err.message : err) });
  }
}

let queue = Promise.resolve();
self.onmessage = (event) => {
  const message = event.data;
  const handlers = { init, run: runPieces, call: callFunction };
  const handler = handlers[message.type];
  if (handler) queue = queue.then(() => handler(message));
};
