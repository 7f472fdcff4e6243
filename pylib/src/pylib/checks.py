"""Checkers for the chapters' exercises.

Each ``check_*`` function calls the student's function on a few inputs
(including edge cases), prints ONE friendly sentence -- what is wrong, or a
short congratulation -- and returns True or False. They never print the
answer and never raise because of a bug in the student's code.

Signatures the student's function must have:

===============================  ==========================================================
checker                          student's function
===============================  ==========================================================
check_sigmoid(f)                 f(Z) -> array of Z's shape
check_neuron_forward(f)          f(W, b, X) -> A, W (1, n_x), b (1, 1), X (n_x, m), A (1, m)
check_mse(f)                     f(Y, A) -> float, Y and A (1, m); mean over the m examples
check_binary_cross_entropy(f)    f(Y, A) -> float, Y and A (1, m); finite even when A holds
                                 exact 0s or 1s
check_neuron_gradients(f)        f(X, Y, A) -> (dW, db), X (n_x, m), Y and A (1, m);
                                 dW (1, n_x); db (1, 1) or a number; gradients of the mean
                                 binary cross-entropy of a sigmoid neuron
check_hidden_layer_gradients(f)  f(X, Y, params, cache) -> dict with "W1", "b1", "W2", "b2";
                                 params: "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (1, n_h),
                                 "b2" (1, 1); cache: "Z1", "A1" (n_h, m), "Z2", "A2" (1, m)
                                 of the forward pass; sigmoid hidden and output units,
                                 mean binary cross-entropy; each gradient has its
                                 parameter's shape
check_softmax(f)                 f(Z) -> array of Z's shape (n_classes, m), softmax of each
                                 column, finite for scores like 1000
check_one_hot(f)                 f(y, n_classes) -> (n_classes, m), y int array (m,)
check_categorical_cross_entropy  f(Y, A) -> float, Y one-hot and A (n_classes, m); mean over
(f)                              the m examples, finite when A holds exact 0s
===============================  ==========================================================
"""

import warnings

import numpy as np

from .activations import _sigmoid, _softmax


class _Problem(Exception):
    """Raised inside a check with the sentence to show the student."""


def _run(name, f, cases):
    """Run the cases; print one sentence; return True if all pass."""
    if not callable(f):
        print(f"Pass your function itself, without brackets after its name (e.g. check_softmax(softmax)); "
              f"this check received a {type(f).__name__}.", flush=True)
        return False
    for case in cases:
        try:
            case(f)
        except _Problem as problem:
            print(f"Not yet: {problem}", flush=True)
            return False
    print(f"Correct: your {name} passed every check.", flush=True)
    return True


def _call(f, *args):
    """Call the student's function on copies of args; turn any exception into a _Problem."""
    copies = [{k: np.copy(v) for k, v in a.items()} if isinstance(a, dict)
              else np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return f(*copies)
        except Exception as error:  # the student's bug, reported kindly
            raise _Problem(f"calling it raised {type(error).__name__}: {error}.") from None


def _array(value, shape, what):
    """The student's result as a float array of the given shape, or a _Problem."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Problem(f"{what} should be a NumPy array, but it is a {type(value).__name__}.") from None
    if array.shape != shape:
        raise _Problem(f"{what} should have shape {shape}, but yours has shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise _Problem(f"{what} contains nan or inf; look for a division by zero, log(0) or exp overflow.")
    return array


def _number(value, what):
    """The student's result as one float, or a _Problem."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Problem(f"{what} should be a single number, but it is a {type(value).__name__}.") from None
    if array.size != 1:
        raise _Problem(f"{what} should be a single number (the mean over examples), "
                       f"but yours has shape {array.shape}; did you forget to sum or average?")
    number = float(array.reshape(()))
    if not np.isfinite(number):
        raise _Problem(f"{what} is {number}; look for log(0) or a division by zero.")
    return number


def _close(result, expected, what):
    if not np.allclose(result, expected, rtol=1e-6, atol=1e-9):
        raise _Problem(f"{what} has the right shape but the wrong values; compare your formula with the chapter's.")


_rng = np.random.default_rng(2024)
_Z = _rng.normal(0, 3, size=(3, 4))


# ---- sigmoid -----------------------------------------------------------------------------

def check_sigmoid(f):
    """Check ``f(Z)``: the element-wise sigmoid, any shape, stable for |z| = 1000."""
    def at_zero(f):
        _close(_array(_call(f, np.zeros((1, 1))), (1, 1), "sigmoid of a 1x1 matrix of zeros"), 0.5,
               "sigmoid of a 1x1 matrix of zeros")

    def matrix(f):
        _close(_array(_call(f, _Z), _Z.shape, "sigmoid of a 3x4 matrix"), _sigmoid(_Z), "sigmoid of a 3x4 matrix")

    def large(f):
        Z = np.array([[-1000.0, 1000.0]])
        _close(_array(_call(f, Z), Z.shape, "sigmoid of [[-1000, 1000]]"), _sigmoid(Z), "sigmoid of [[-1000, 1000]]")

    return _run("sigmoid", f, [at_zero, matrix, large])


# ---- a neuron's forward pass ----------------------------------------------------------------

def check_neuron_forward(f):
    """Check ``f(W, b, X) -> A``: A = sigmoid(W X + b), W (1, n_x), b (1, 1), X (n_x, m), A (1, m)."""
    W, b, X = _rng.normal(size=(1, 3)), np.array([[0.7]]), _rng.normal(size=(3, 5))

    def output(f):
        A = _array(_call(f, W, b, X), (1, 5), "A for W (1, 3), b (1, 1), X (3, 5)")
        if np.allclose(A, _sigmoid(W @ X)):
            raise _Problem("A ignores the bias b.")
        if np.allclose(A, W @ X + b):
            raise _Problem("A is W X + b before the activation; the neuron's output goes through the sigmoid.")
        _close(A, _sigmoid(W @ X + b), "A")

    def one_example(f):
        X1 = X[:, :1]
        _close(_array(_call(f, W, b, X1), (1, 1), "A for a single example X (3, 1)"), _sigmoid(W @ X1 + b),
               "A for a single example")

    return _run("neuron forward pass", f, [output, one_example])


# ---- losses ------------------------------------------------------------------------------

_Y_BINARY = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
_A_BINARY = np.array([[0.9, 0.2, 0.6, 0.3, 0.1]])


def _loss_cases(reference, title, exact_edge):
    """Cases shared by the loss checkers: a plain value, the mean over m, exact 0/1 outputs."""
    def value(f):
        _close(_number(_call(f, _Y_BINARY, _A_BINARY), f"the {title}"), reference(_Y_BINARY, _A_BINARY),
               f"the {title}")

    def mean_over_examples(f):
        Y2, A2 = np.tile(_Y_BINARY, 2), np.tile(_A_BINARY, 2)
        once = _number(_call(f, _Y_BINARY, _A_BINARY), f"the {title}")
        twice = _number(_call(f, Y2, A2), f"the {title} of 10 examples")
        if once != 0 and np.isclose(twice, 2 * once):
            raise _Problem(f"the {title} doubles when the examples are repeated; average over m instead of summing.")
        _close(twice, reference(Y2, A2), f"the {title} of 10 examples")

    def exact(f):
        Y, A = exact_edge
        _close(_number(_call(f, Y, A), f"the {title} when A holds exact 0s and 1s"), reference(Y, A),
               f"the {title} when A holds exact 0s and 1s")
    return [mean_over_examples, value, exact]


def _bce(Y, A):
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def check_mse(f):
    """Check ``f(Y, A) -> float``: mean over the m examples of (a - y)^2; Y and A (1, m)."""
    edge = (np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))
    return _run("mean squared error", f, _loss_cases(lambda Y, A: np.mean((A - Y) ** 2), "mean squared error", edge))


def check_binary_cross_entropy(f):
    """Check ``f(Y, A) -> float``: mean binary cross-entropy, finite when A holds exact 0s/1s."""
    edge = (np.array([[1.0, 0.0, 1.0]]), np.array([[1.0, 0.0, 0.5]]))
    return _run("binary cross-entropy", f, _loss_cases(_bce, "binary cross-entropy", edge))


def check_categorical_cross_entropy(f):
    """Check ``f(Y, A) -> float``: mean over m of -sum_k y_k log a_k, Y one-hot and A (n_classes, m)."""
    Y = np.eye(3)[:, [0, 2, 1, 2]]
    A = _softmax(_rng.normal(size=(3, 4)))

    def reference(Y, A):
        return -np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / Y.shape[1]

    def value(f):
        _close(_number(_call(f, Y, A), "the cross-entropy"), reference(Y, A), "the cross-entropy")

    def mean_over_examples(f):
        result = _number(_call(f, Y, A), "the cross-entropy")
        if np.isclose(result, reference(Y, A) * Y.shape[1]):
            raise _Problem("the cross-entropy is summed over the examples; average over m instead.")

    def exact_zeros(f):
        A0 = np.array([[1.0, 0.0], [0.0, 0.5], [0.0, 0.5]])
        Y0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
        _close(_number(_call(f, Y0, A0), "the cross-entropy when A holds exact 0s"), reference(Y0, A0),
               "the cross-entropy when A holds exact 0s")

    return _run("categorical cross-entropy", f, [mean_over_examples, value, exact_zeros])


# ---- gradients ---------------------------------------------------------------------------

def check_neuron_gradients(f):
    """Check ``f(X, Y, A) -> (dW, db)`` for a sigmoid neuron with mean binary cross-entropy.

    X (n_x, m), Y and A (1, m); dW must be (1, n_x), db (1, 1) or a number.
    """
    X, Y = _rng.normal(size=(3, 6)), np.array([[1.0, 0.0, 1.0, 0.0, 0.0, 1.0]])
    A = _sigmoid(_rng.normal(size=(1, 6)))

    def gradients(f):
        result = _call(f, X, Y, A)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise _Problem(f"it should return two things, (dW, db), but it returned a {type(result).__name__}.")
        dW = _array(result[0], (1, 3), "dW for X (3, 6)")
        db = _number(result[1], "db")
        dZ = A - Y
        if np.allclose(dW, -(dZ @ X.T) / 6):
            raise _Problem("dW points the wrong way: check the sign of the output error.")
        if np.allclose(dW, dZ @ X.T):
            raise _Problem("dW is m times too large: the loss is a mean over the m examples.")
        _close(dW, dZ @ X.T / 6, "dW")
        _close(db, dZ.mean(), "db")

    return _run("neuron gradients", f, [gradients])


def check_hidden_layer_gradients(f):
    """Check ``f(X, Y, params, cache) -> grads`` for a one-hidden-layer sigmoid network.

    params: "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (1, n_h), "b2" (1, 1).
    cache: "Z1", "A1" (n_h, m), "Z2", "A2" (1, m), from the forward pass on X.
    grads: dict with "W1", "b1", "W2", "b2", each of its parameter's shape,
    the gradients of the mean binary cross-entropy.
    """
    X, Y = _rng.normal(size=(3, 5)), np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    params = {"W1": _rng.normal(size=(4, 3)), "b1": _rng.normal(size=(4, 1)),
              "W2": _rng.normal(size=(1, 4)), "b2": _rng.normal(size=(1, 1))}
    Z1 = params["W1"] @ X + params["b1"]
    A1 = _sigmoid(Z1)
    Z2 = params["W2"] @ A1 + params["b2"]
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": _sigmoid(Z2)}
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (params["W2"].T @ dZ2) * A1 * (1 - A1)
    expected = {"W2": dZ2 @ A1.T / m, "b2": dZ2.sum(axis=1, keepdims=True) / m,
                "W1": dZ1 @ X.T / m, "b1": dZ1.sum(axis=1, keepdims=True) / m}

    def gradients(f):
        grads = _call(f, X, Y, params, cache)
        if not isinstance(grads, dict) or set(expected) - set(grads):
            keys = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            raise _Problem(f"it should return a dict with keys 'W1', 'b1', 'W2', 'b2'; it returned {keys}.")
        for name in ("W2", "b2", "W1", "b1"):
            shape = params[name].shape
            value = _array(grads[name], shape, f"grads['{name}']")
            if name == "W1" and np.allclose(value, (params["W2"].T @ dZ2) @ X.T / m):
                raise _Problem("grads['W1'] leaves out the derivative of the hidden layer's sigmoid.")
            _close(value, expected[name], f"grads['{name}']")

    return _run("hidden-layer gradients", f, [gradients])


# ---- softmax and one-hot -----------------------------------------------------------------

def check_softmax(f):
    """Check ``f(Z)``: softmax of each column of Z (n_classes, m); finite for scores like 1000."""
    def columns(f):
        S = _array(_call(f, _Z), _Z.shape, "softmax of a 3x4 matrix")
        if not np.allclose(S.sum(axis=0), 1):
            raise _Problem("the columns of your softmax do not each sum to 1; each column is one example.")
        _close(S, _softmax(_Z), "softmax of a 3x4 matrix")

    def large(f):
        Z = np.array([[1000.0, -1000.0], [999.0, -1000.0], [0.0, -1001.0]])
        S = _call(f, Z)
        if not np.all(np.isfinite(np.asarray(S, dtype=float))):
            raise _Problem("for scores like 1000 your softmax returns nan or inf; "
                           "can you change the scores without changing the result?")
        _close(_array(S, Z.shape, "softmax of large scores"), _softmax(Z), "softmax of large scores")

    return _run("softmax", f, [columns, large])


def check_one_hot(f):
    """Check ``f(y, n_classes) -> Y`` of shape (n_classes, m), one column per label."""
    def small(f):
        y = np.array([0, 2, 1, 2])
        result = _call(f, y, 3)
        if np.asarray(result).shape == (4, 3):
            raise _Problem("your array has one row per example; the course puts one example per column.")
        _close(_array(result, (3, 4), "one_hot([0, 2, 1, 2], 3)"), np.eye(3)[:, y], "one_hot([0, 2, 1, 2], 3)")

    def unused_classes(f):
        y = np.array([1, 1, 3])
        _close(_array(_call(f, y, 10), (10, 3), "one_hot([1, 1, 3], 10)"), np.eye(10)[:, y],
               "one_hot([1, 1, 3], 10)")

    return _run("one_hot", f, [small, unused_classes])
