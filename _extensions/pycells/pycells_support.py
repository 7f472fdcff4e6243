"""What the pycells engine runs around a student's code.

Loaded by pycells-engine.mjs into Pyodide, and by the course build into CPython (which
records each cell's output for the page to show before the engine runs). Runs code pieces in one shared namespace,
like a REPL; shows tracebacks that start at the student's own code; sends matplotlib
figures to the page; calls a function the page names (the digit pad).
"""
import ast
import base64
import builtins
import importlib
import inspect
import io
import json
import linecache
import logging
import os
import sys
import traceback
import warnings

os.environ["MPLBACKEND"] = "module://pycells_mpl_backend"
# matplotlib's one-off "building the font cache" notice is not the student's output
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

namespace = {"__name__": "__main__"}
namespaces = {}  # quarto-live's `envir`: name -> a namespace of its own


def reset_namespace():
    """Start a new page on this engine: empty namespaces, no open figures, matplotlib's defaults.
    Imported modules stay loaded, so the page's imports cost nothing."""
    namespace.clear()
    namespace["__name__"] = "__main__"
    namespaces.clear()
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        sys.modules["matplotlib.pyplot"].close("all")
        matplotlib.rcdefaults()


def modules_imported_by(codes):
    """The modules the code pieces import ("matplotlib.pyplot" for both `import matplotlib.pyplot as
    plt` and `from matplotlib.pyplot import plot`), in order; code that does not parse is skipped."""
    names = []
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            found = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            names += [name for name in found if name not in names]
    return names


def import_ahead(codes):
    """Import what the page's cells import and is installed, while nobody waits, so that their own
    imports are instant (matplotlib builds its font cache on its first import). Nothing enters the
    namespace; a module that is not installed or fails to import is left for its cell."""
    for name in modules_imported_by(codes.to_py() if hasattr(codes, "to_py") else codes):
        try:
            importlib.import_module(name)
        except BaseException:
            pass


def namespace_for(envir):
    """The page's namespace, or the one named `envir`, which starts as a copy of the page's."""
    if not envir:
        return namespace
    if envir not in namespaces:
        namespaces[envir] = dict(namespace)
    return namespaces[envir]


class InputNotAvailable(RuntimeError):
    """input() was called: a cell cannot stop and wait for typing."""


InputNotAvailable.__module__ = "builtins"  # the traceback names it without this module's name


def _no_input(prompt=""):
    raise InputNotAvailable(
        "input() cannot wait for typing here: a cell runs from start to end on its own. "
        "Put the value in the code instead, for example  name = \"Ada\"  in place of  name = input()."
    )


builtins.input = _no_input


FIGURE_DPI = 96
FEEDBACK_KEYS = {"correct", "message", "type", "location"}
figure_dpi = FIGURE_DPI  # the resolution of the figures of the piece running now (its fig-dpi)


def emit_open_figures():
    """Send every open matplotlib figure to the page as a PNG, then close them."""
    if "matplotlib.pyplot" not in sys.modules:
        return
    import matplotlib.pyplot as plt
    import pycells_bridge
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", dpi=figure_dpi, bbox_inches="tight")
        pycells_bridge.figure(base64.b64encode(buffer.getvalue()).decode("ascii"))
    plt.close("all")


def _is_support_frame(frame):
    return os.path.dirname(frame.filename) == os.path.dirname(__file__)


# After a MemoryError in the browser, whose WebAssembly memory grows up to 4 GB and never shrinks.
MEMORY_NOTE = ("\nPython ran out of memory. In a browser tab it can use at most 4 GB, and phones and tablets "
               "give it much less. Free what you no longer need (del a_big_array) and work on less data at "
               "a time (a smaller batch, fewer digits). The memory Python has taken stays taken until Python "
               "restarts: reload the page to restart it (your edited code is kept).\n")


def student_traceback(error, filename):
    """The traceback of `error` from the first frame in `filename` on, without this module's frames;
    in the browser, a MemoryError ends with what to do about it (MEMORY_NOTE)."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, frame in enumerate(frames) if frame.filename == filename), len(frames))
    kept = [frame for frame in frames[first:] if not _is_support_frame(frame)]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(kept)] if kept else []
    lines.extend(traceback.format_exception_only(type(error), error))
    if isinstance(error, MemoryError) and sys.platform == "emscripten":
        lines.append(MEMORY_NOTE)
    return "".join(lines)


def feedback_of(value):
    """A check's result written the quarto-live way, a dict such as {"correct": True, "message": "..."},
    as JSON text for the page; None for any other value."""
    if isinstance(value, dict) and value and set(value) <= FEEDBACK_KEYS and ("correct" in value or "message" in value):
        return json.dumps({"correct": value.get("correct"), "message": str(value.get("message", "")),
                           "type": value.get("type")})
    return None


def figure_size(figure):
    """Set matplotlib's figure size for the figures of one piece (figure: {"width", "height"} in
    inches, either may be missing); returns what to restore afterwards, or None."""
    if not figure or not ({"width", "height"} & set(figure)):
        return None
    import matplotlib
    saved = matplotlib.rcParams["figure.figsize"]
    width, height = matplotlib.rcParamsDefault["figure.figsize"]
    matplotlib.rcParams["figure.figsize"] = (figure.get("width", width), figure.get("height", height))
    return saved


async def evaluate(code, scope, filename):
    """Run `code` in `scope` like a REPL and return the value of its last line when that line is an
    expression (None when it ends with ";"). In Pyodide this is Pyodide's own evaluator; elsewhere
    (the course build, which runs the cells in CPython) the same rules with top-level await."""
    try:
        from pyodide.code import eval_code_async
    except ImportError:
        pass
    else:
        return await eval_code_async(code, scope, filename=filename)
    tree = ast.parse(code, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    for part, mode in ((ast.Module(tree.body, []), "exec"), (last, "eval")):
        if part is None:
            continue
        compiled = compile(part, filename, mode, flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        value = eval(compiled, scope)
        if compiled.co_flags & inspect.CO_COROUTINE:
            value = await value
    return value if last is not None else None


async def run_piece(code, filename, settings=None):
    """Run one piece of code; return (repr of its last expression or None, traceback text or None,
    a check's feedback as JSON text or None). `settings`, from the cell's options, each optional:
    "figure" ({"width", "height", "dpi"}: the figures the piece draws), "envir" (the name of the
    namespace to run in), "warnings" (False: Python's warnings are not shown)."""
    global figure_dpi
    settings = settings.to_py() if hasattr(settings, "to_py") else (settings or {})
    figure = settings.get("figure") or {}
    figure_dpi = figure.get("dpi", FIGURE_DPI)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    saved_size = figure_size(figure)
    try:
        with warnings.catch_warnings():
            if settings.get("warnings") is False:
                warnings.simplefilter("ignore")
            value = await evaluate(code, namespace_for(settings.get("envir")), filename)
        feedback = feedback_of(value)
        return (None if value is None or feedback else repr(value)), None, feedback
    except BaseException as error:  # SystemExit and KeyboardInterrupt are the student's too
        return None, student_traceback(error, filename), None
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        emit_open_figures()
        figure_dpi = FIGURE_DPI
        if saved_size is not None:
            import matplotlib
            matplotlib.rcParams["figure.figsize"] = saved_size


def call_function(name, args):
    """Call the page's named function with `args`; return (list of floats or None, problem or None).

    The problem is one plain sentence: the page shows it as it is.
    """
    function = namespace.get(name)
    if function is None:
        return None, f"{name} is not defined yet: run the cells above first."
    try:
        return [float(value) for value in function(*args)], None
    except Exception as error:
        hint = " Run the cells above first." if isinstance(error, NameError) else ""
        return None, f"{name} raised {type(error).__name__}: {error}.{hint}"
