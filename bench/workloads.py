"""The timed workloads of `make bench`, identical in CPython and in Pyodide.

bench/run.py runs this file in an engine (the venv's CPython, or Pyodide
under Node) followed by one call such as ``report(softmax_training(...))``.
`report` prints a single line ``BENCH_RESULT {json}`` that bench.py reads back.
Every timing covers computation only: loading data and packages happens
before the clock starts.
"""

import json
import sys
import time

import numpy as np

RESULT_MARKER = "BENCH_RESULT "


def report(result):
    """Print `result` (a JSON-able dict) on one marked line for bench.py."""
    result = dict(result, engine=sys.platform, python=sys.version.split()[0], numpy=np.__version__)
    print(RESULT_MARKER + json.dumps(result), flush=True)


def timed(function):
    """Call `function()`; return (seconds taken, its return value)."""
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def _digits_for_softmax():
    """The shipped digits as pylib loads them: X (196, m) in [0, 1], Y one-hot (10, m)."""
    from pylib import load_mnist, one_hot

    data = load_mnist()
    return data.X_train, one_hot(data.y_train), data.X_test, data.y_test


def _train_softmax_network(X, Y, plan):
    """Build the chapter-6 network and train it stage by stage; return the model.

    Parameters
    ----------
    plan : dict
        "hidden" (hidden units), "model_seed", and "stages": a list of keyword
        dicts for pylib.train (epochs, learning_rate, batch_size, ...), run one
        after the other on the same model, as the chapter's cells do.
    """
    from pylib import SoftmaxNetwork, train

    model = SoftmaxNetwork(X.shape[0], plan["hidden"], seed=plan["model_seed"])
    for stage in plan["stages"]:
        train(model, X, Y, **stage)
    return model


def softmax_training(runs, plan):
    """Time the chapter-6 training `runs` times; report seconds and test accuracy.

    Returns
    -------
    dict with "runs_s" (list of float, one per run), "test_acc" (float per run,
    list), "matmul_backend" (the route pylib.linalg.matmul took).
    """
    from pylib import accuracy
    from pylib.linalg import get_matmul_backend

    X_train, Y_train, X_test, y_test = _digits_for_softmax()
    seconds, accuracies = [], []
    for _ in range(runs):
        elapsed, model = timed(lambda: _train_softmax_network(X_train, Y_train, plan))
        seconds.append(elapsed)
        accuracies.append(float(accuracy(y_test, model.predict(X_test))))
    return {"runs_s": seconds, "test_acc": accuracies, "matmul_backend": get_matmul_backend()}


def epoch_products(X, n_hidden, n_classes, batch_size):
    """The matrix products of one mini-batch epoch, and nothing else.

    For each batch of X (n_x, m): the forward products W1 X, W2 A1 and the
    backward products dZ2 A1.T, W2.T dZ2, dZ1 X.T, through pylib.linalg.matmul
    (so through the backend chosen), on random matrices of the right shapes.
    """
    from pylib.linalg import matmul

    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((n_hidden, X.shape[0])), rng.standard_normal((n_classes, n_hidden))
    for start in range(0, X.shape[1], batch_size):
        X_batch = X[:, start:start + batch_size]
        A1 = matmul(W1, X_batch)
        dZ2 = matmul(W2, A1)
        matmul(dZ2, A1.T)
        dZ1 = matmul(W2.T, dZ2)
        matmul(dZ1, X_batch.T)


def backend_epochs(runs, plan):
    """Time chapter-6 work with matmul through NumPy, then through BLAS.

    Three pieces of work, each timed `runs` times per backend:
    "epoch", one epoch of the plan's first stage (mini-batches, as the chapter
    trains); "products", that epoch's matrix products alone (`epoch_products`:
    what a backend can speed up at all); "full_batch_epoch", the same epoch on
    all 60,000 digits at once (large products).

    Returns
    -------
    dict with keys "<backend>_<work>_runs_s" (lists of `runs` floats),
    e.g. "numpy_epoch_runs_s", "blas_products_runs_s".
    """
    from pylib import set_matmul_backend

    X_train, Y_train, _, _ = _digits_for_softmax()
    one_epoch = dict(plan["stages"][0], epochs=1, on_epoch=None)
    full_batch = dict(one_epoch, batch_size=None)
    work = {
        "epoch": lambda: _train_softmax_network(X_train, Y_train, dict(plan, stages=[one_epoch])),
        "products": lambda: epoch_products(X_train, plan["hidden"], Y_train.shape[0], one_epoch["batch_size"]),
        "full_batch_epoch": lambda: _train_softmax_network(X_train, Y_train, dict(plan, stages=[full_batch])),
    }
    result = {}
    try:
        for backend in ("numpy", "blas"):
            set_matmul_backend(backend)
            for name, function in work.items():
                result[f"{backend}_{name}_runs_s"] = [timed(function)[0] for _ in range(runs)]
    finally:
        set_matmul_backend("auto")
    return result


def seed_style_digits(idx_dir, n_examples=60000):
    """The source chapter's training data: pixel columns and one-hot targets.

    Parameters
    ----------
    idx_dir : str or None
        A folder with the genuine MNIST training files (train-images-idx3-ubyte,
        train-labels-idx1-ubyte; 28x28 digits). None draws uniform random
        pixels and labels of the same shapes instead.

    Returns
    -------
    X : ndarray, shape (784, n_examples), values in [0, 1]
    Y : ndarray, shape (10, n_examples), one-hot
    which : "genuine" or "random"
    """
    rng = np.random.default_rng(0)
    if idx_dir is None:
        rows = rng.random((n_examples, 784))
        labels = rng.integers(0, 10, n_examples)
        which = "random"
    else:
        with open(f"{idx_dir}/train-images-idx3-ubyte", "rb") as images_file:
            pixels = np.frombuffer(images_file.read(), dtype=np.uint8, offset=16)
        with open(f"{idx_dir}/train-labels-idx1-ubyte", "rb") as labels_file:
            labels = np.frombuffer(labels_file.read(), dtype=np.uint8, offset=8)[:n_examples]
        rows = pixels.reshape(-1, 784)[:n_examples] / 255
        which = "genuine"
    # examples become columns, in a shuffled order, as the source chapter arranges them
    shuffle = rng.permutation(n_examples)
    return rows.T[:, shuffle], np.eye(10)[labels].T[:, shuffle], which


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def full_batch_epoch(W1, b1, W2, b2, X, Y, learning_rate=1.0, product=np.matmul):
    """One gradient step on all of X, with the operations the source chapter's code performs.

    Every product through `product` (np.matmul there), an unshifted softmax, the
    sigmoid evaluated again for its derivative, and the loss on every epoch.

    Parameters
    ----------
    W1 : (n_h, 784), b1 : (n_h, 1), W2 : (10, n_h), b2 : (10, 1)
    X : (784, m) pixels; Y : (10, m) one-hot targets.
    product : the matrix product; np.matmul as the source has it, or another
        route (pylib.linalg.product, which like np.matmul checks nothing) to
        see what BLAS would change.

    Returns
    -------
    (W1, b1, W2, b2, loss) after the step.
    """
    n_examples = X.shape[1]
    hidden_input = product(W1, X) + b1
    hidden = _sigmoid(hidden_input)
    scores = product(W2, hidden) + b2
    exponentials = np.exp(scores)
    probabilities = exponentials / exponentials.sum(axis=0)
    loss = -(Y * np.log(probabilities)).sum() / n_examples

    output_error = probabilities - Y
    grad_W2 = product(output_error, hidden.T) / n_examples
    grad_b2 = output_error.sum(axis=1, keepdims=True) / n_examples
    slope = _sigmoid(hidden_input) * (1 - _sigmoid(hidden_input))
    hidden_error = product(W2.T, output_error) * slope
    grad_W1 = product(hidden_error, X.T) / n_examples
    grad_b1 = hidden_error.sum(axis=1, keepdims=True) / n_examples

    step = learning_rate
    return (W1 - step * grad_W1, b1 - step * grad_b1, W2 - step * grad_W2, b2 - step * grad_b2, loss)


def seed_epochs(runs, idx_dir=None, n_hidden=64):
    """Time `runs` full-batch epochs of the source chapter's 784-64-10 network.

    First as written (np.matmul), then with the products through BLAS
    (pylib.linalg.product, backend "blas": the unchecked product pylib's
    training loop calls, so neither route pays for input checks), continuing
    from the same weights.

    Returns
    -------
    dict with "runs_s" and "blas_runs_s" (lists of float), "data" ("genuine"
    or "random"), "examples" (int), "losses" (the loss at each epoch, both
    routes in order: evidence that it learns).
    """
    from pylib.linalg import product as blas_product
    from pylib.linalg import set_matmul_backend

    X, Y, which = seed_style_digits(idx_dir)
    rng = np.random.default_rng(1)
    weights = (rng.standard_normal((n_hidden, 784)), np.zeros((n_hidden, 1)),
               rng.standard_normal((10, n_hidden)), np.zeros((10, 1)))
    result = {"data": which, "examples": int(X.shape[1]), "losses": []}
    set_matmul_backend("blas")
    try:
        for key, product in (("runs_s", np.matmul), ("blas_runs_s", blas_product)):
            result[key] = []
            for _ in range(runs):
                elapsed, (*weights, loss) = timed(lambda: full_batch_epoch(*weights, X, Y, product=product))
                result[key].append(elapsed)
                result["losses"].append(float(loss))
    finally:
        set_matmul_backend("auto")
    return result


def seed_shaped_training(runs, idx_dir=None, n_hidden=64):
    """Time one full-batch epoch of pylib's own training at the source chapter's shape.

    A pylib SoftmaxNetwork(784, n_hidden) trained by pylib.train for one epoch
    on all 60,000 examples at once (batch_size None), as the source trains its
    784-64-10 network: `runs` epochs with the products through NumPy's ``@``,
    then `runs` through BLAS, continuing from the same weights.

    Returns
    -------
    dict with "numpy_runs_s" and "blas_runs_s" (lists of float), "data",
    "examples", and "losses" (each epoch's loss, both routes in order).
    """
    from pylib import SoftmaxNetwork, set_matmul_backend, train

    X, Y, which = seed_style_digits(idx_dir)
    model = SoftmaxNetwork(784, n_hidden, seed=0)
    result = {"data": which, "examples": int(X.shape[1]), "losses": []}
    try:
        for backend in ("numpy", "blas"):
            set_matmul_backend(backend)
            result[f"{backend}_runs_s"] = []
            for _ in range(runs):
                history = train(model, X, Y, epochs=1, learning_rate=1.0, on_epoch=None)
                result[f"{backend}_runs_s"].append(history.seconds[0])
                result["losses"].append(history.loss[0])
    finally:
        set_matmul_backend("auto")
    return result
