"""Checkers for the chapters' exercises.

Each ``check_*`` function calls the student's function on a few inputs
(including edge cases), prints ONE friendly sentence -- what is wrong, naming
the mistake when it is a known one, or a short congratulation -- and returns
True or False. They never print the answer and never raise, whatever the
student's function does or returns. A function that returns or calls the
course's own version of what the exercise asks for (pylib's ``sigmoid`` for
``check_sigmoid``, and so on) does not pass: a profiler watches for those calls
while the student's function runs.

Signatures the student's function must have:

===============================  ==========================================================
checker                          student's function
===============================  ==========================================================
check_sigmoid(f)                 f(Z) -> array of Z's shape (scores up to about 10 in size)
check_neuron_forward(f)          f(W, b, X) -> A, W (1, n_x), b (1, 1), X (n_x, m), A (1, m)
check_mse(f)                     f(Y, A) -> float, Y and A (1, m); mean over the m examples
check_binary_cross_entropy(f)    f(Y, A) -> float, Y and A (1, m); finite even when A holds
                                 exact 0s or 1s
check_neuron_gradients(f)        f(X, Y, A) -> (dW, db), X (n_x, m), Y and A (1, m);
                                 dW (1, n_x); db (1, 1) or a number; gradients of the mean
                                 binary cross-entropy of a sigmoid neuron
check_hidden_layer_gradients(f)  f(X, Y, params, cache) -> dict with "W1", "b1", "W2", "b2";
                                 params: "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_out, n_h),
                                 "b2" (n_out, 1); cache: "Z1", "A1" (n_h, m), "Z2", "A2"
                                 (n_out, m) of the forward pass; sigmoid hidden and output
                                 units, mean binary cross-entropy; each gradient has its
                                 parameter's shape; tested with n_out = 1 and 2
check_softmax(f)                 f(Z) -> array of Z's shape (n_classes, m), softmax of each
                                 column, finite for scores like 1000 and 2500
check_one_hot(f)                 f(y, n_classes) -> (n_classes, m), y int array (m,)
check_categorical_cross_entropy  f(Y, A) -> float, Y one-hot and A (n_classes, m); mean over
(f)                              the m examples, finite when A holds exact 0s
===============================  ==========================================================
"""

import sys
import warnings

import numpy as np

from .activations import _sigmoid, _softmax


class _Problem(Exception):
    """Raised inside a check with the sentence to show the student."""


def _reference_code(what):
    """Code objects of the course's own functions that a student's ``what`` must not call.

    what: "sigmoid", "softmax", "mse", "binary_cross_entropy",
    "categorical_cross_entropy", "one_hot", "neuron_backward", "hidden_backward".
    Looked up when a check runs, so renamed helpers are found too.
    """
    from . import activations, data, hidden, losses, model, neuron

    def functions(namespace, keep):
        return [value for name, value in vars(namespace).items()
                if callable(value) and hasattr(value, "__code__") and keep(name)]

    def methods(cls):
        return [value for name, value in vars(cls).items()
                if "backward" in name and hasattr(value, "__code__")]

    if what in ("sigmoid", "softmax"):
        found = functions(activations, lambda name: what in name)
    elif what == "one_hot":
        found = functions(data, lambda name: name == "one_hot")
    elif what == "mse":
        found = functions(losses, lambda name: "mse" in name)
    elif what in ("binary_cross_entropy", "categorical_cross_entropy"):
        found = functions(losses, lambda name: name.lstrip("_").startswith(what))
    elif what == "neuron_backward":
        found = (methods(neuron.SingleNeuron) + methods(model.Model)
                 + functions(losses, lambda name: name.endswith("_gradient")))
    else:  # "hidden_backward"
        found = methods(hidden.HiddenLayerNetwork) + methods(model.Model)
    return {function.__code__: function.__name__ for function in found}


_FORBIDDEN = {}   # code object -> the public name of the course function, while a check runs


def _run(name, f, cases, forbid=None):
    """Run the cases; print one sentence; return True if all pass. Never raises."""
    if not callable(f):
        print(f"Pass your function itself, without brackets after its name (e.g. check_softmax(softmax)); "
              f"this check received a {type(f).__name__}.", flush=True)
        return False
    _FORBIDDEN.clear()
    if forbid:
        _FORBIDDEN.update(_reference_code(forbid))
    try:
        for case in cases:
            case(f)
    except _Problem as problem:
        print(f"Not yet: {problem}", flush=True)
        return False
    except Exception as error:  # a result this check could not read: still one sentence, never a traceback
        print(f"Not yet: your function's result could not be checked ({type(error).__name__}: {error}).",
              flush=True)
        return False
    finally:
        _FORBIDDEN.clear()
    print(f"Correct: your {name} passed every check.", flush=True)
    return True


def _call(f, *args):
    """Call the student's function on copies of args; turn any exception into a _Problem.

    While it runs, a profiler watches for calls of the course's own version of the
    function being checked (see ``_run``'s ``forbid``).
    """
    copies = [{k: np.copy(v) for k, v in a.items()} if isinstance(a, dict)
              else np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
    used = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code in _FORBIDDEN:
            used.append(_FORBIDDEN[frame.f_code])

    previous = sys.getprofile()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        sys.setprofile(watch if _FORBIDDEN else previous)
        try:
            result = f(*copies)
        except Exception as error:  # the student's bug, reported kindly
            raise _Problem(f"calling it raised {type(error).__name__}: {error}.") from None
        finally:
            sys.setprofile(previous)
    if used:
        raise _Problem(f"your function uses the course's own {used[0].lstrip('_')} from pylib; "
                       f"the exercise is to write it yourself.")
    return result


def _array(value, shape, what):
    """The student's result as a float array of the given shape, or a _Problem."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Problem(f"{what} should be a NumPy array, but it is a {type(value).__name__}.") from None
    if array.shape != shape:
        hint = ""
        if len(shape) == 2 and array.shape == shape[::-1] and shape[0] != shape[1]:
            hint = " It looks transposed: rows and columns are swapped."
        raise _Problem(f"{what} should have shape {shape}, but yours has shape {array.shape}.{hint}")
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


def _same(result, expected):
    """True if a result matches a known wrong formula (used to name the mistake)."""
    try:
        return bool(np.allclose(np.asarray(result, dtype=np.float64), expected, rtol=1e-6, atol=1e-9))
    except (TypeError, ValueError):
        return False


_rng = np.random.default_rng(2024)
_Z = _rng.normal(0, 3, size=(3, 4))


# ---- sigmoid -----------------------------------------------------------------------------

def check_sigmoid(f):
    """Check ``f(Z)``: the element-wise sigmoid, for any shape, on moderate scores.

    Very large scores are not tested: the exercise does not ask for protection
    against overflow, so ``exp(z) / (1 + exp(z))`` is as right as ``1 / (1 + exp(-z))``.
    """
    def at_zero(f):
        value = _array(_call(f, np.zeros((1, 1))), (1, 1), "sigmoid of a 1x1 matrix of zeros")
        if not np.isclose(value[0, 0], 0.5):
            raise _Problem(f"sigmoid(0) should be exactly 1/2, but yours gives {value[0, 0]:.4g}.")

    def matrix(f):
        S = _array(_call(f, _Z), _Z.shape, "sigmoid of a 3x4 matrix")
        if _same(S, _sigmoid(-_Z)):
            raise _Problem("your sigmoid falls as z grows: check the sign of the exponent.")
        if np.any(S <= 0) or np.any(S >= 1):
            raise _Problem("some of your values lie outside (0, 1); the sigmoid squeezes every z "
                           "strictly between 0 and 1.")
        _close(S, _sigmoid(_Z), "sigmoid of a 3x4 matrix")

    return _run("sigmoid", f, [at_zero, matrix], forbid="sigmoid")


# ---- a neuron's forward pass ----------------------------------------------------------------

def check_neuron_forward(f):
    """Check ``f(W, b, X) -> A``: A = sigmoid(W X + b), W (1, n_x), b (1, 1), X (n_x, m), A (1, m)."""
    W, b, X = _rng.normal(size=(1, 3)), np.array([[0.7]]), _rng.normal(size=(3, 5))

    def output(f):
        result = _call(f, W, b, X)
        if np.shape(result) == (5, 1):
            raise _Problem("A has one row per example; the course keeps examples in columns, "
                           "so A should be a row of shape (1, m).")
        A = _array(result, (1, 5), "A for W (1, 3), b (1, 1), X (3, 5)")
        if _same(A, _sigmoid(W @ X)):
            raise _Problem("A ignores the bias b.")
        if _same(A, _sigmoid(W @ X - b)):
            raise _Problem("the bias is subtracted; the weighted sum adds it.")
        if _same(A, W @ X + b):
            raise _Problem("A is W X + b before the activation; the neuron's output goes through the sigmoid.")
        if _same(A, _sigmoid(-(W @ X + b))):
            raise _Problem("A is the sigmoid of minus the weighted sum: check a sign.")
        _close(A, _sigmoid(W @ X + b), "A")

    def one_example(f):
        X1 = X[:, :1]
        _close(_array(_call(f, W, b, X1), (1, 1), "A for a single example X (3, 1)"), _sigmoid(W @ X1 + b),
               "A for a single example")

    return _run("neuron forward pass", f, [output, one_example])


# ---- losses ------------------------------------------------------------------------------

_Y_BINARY = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
_A_BINARY = np.array([[0.9, 0.2, 0.6, 0.3, 0.1]])


def _loss_cases(reference, title, exact_edge, slips):
    """Cases shared by the two binary losses: a plain value, the mean over m, exact 0/1 outputs.

    slips: (formula(Y, A), sentence) pairs: known wrong formulas and what to say about them.
    """
    def name_the_slip(result, Y, A):
        m = Y.shape[1]
        right = reference(Y, A)
        if right != 0 and np.isclose(result, right * m):
            raise _Problem(f"the {title} grows with the number of examples; average over m instead of summing.")
        if right != 0 and np.isclose(result, right * m / (m - 1)):
            raise _Problem(f"the {title} divides by m - 1; a mean over m examples divides by m.")
        if right != 0 and np.isclose(result, -right):
            raise _Problem(f"the {title} has the wrong sign; a loss is never negative.")
        for formula, sentence in slips:
            if _same(result, formula(Y, A)) and not _same(result, right):
                raise _Problem(sentence)

    def value(f):
        result = _number(_call(f, _Y_BINARY, _A_BINARY), f"the {title}")
        name_the_slip(result, _Y_BINARY, _A_BINARY)
        _close(result, reference(_Y_BINARY, _A_BINARY), f"the {title}")

    def mean_over_examples(f):
        Y2, A2 = np.tile(_Y_BINARY, 2), np.tile(_A_BINARY, 2)
        result = _number(_call(f, Y2, A2), f"the {title} of 10 examples")
        name_the_slip(result, Y2, A2)
        _close(result, reference(Y2, A2), f"the {title} of 10 examples")

    def exact(f):
        Y, A = exact_edge
        result = _call(f, Y, A)
        try:
            finite = bool(np.all(np.isfinite(np.asarray(result, dtype=np.float64))))
        except (TypeError, ValueError):
            finite = True   # _number below says what is wrong with it
        if not finite:
            raise _Problem(f"the {title} is not finite when A holds exact 0s and 1s: log(0) is -inf. "
                           "Clip A away from 0 and 1 before taking logarithms.")
        value = _number(result, f"the {title} when A holds exact 0s and 1s")
        if not np.isclose(value, reference(Y, A), rtol=1e-5, atol=1e-5):
            raise _Problem(f"the {title} when A holds exact 0s and 1s has the wrong value; "
                           "clip A into [eps, 1 - eps] with a tiny eps, such as 1e-12.")
    return [value, mean_over_examples, exact]


def _bce(Y, A):
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def check_mse(f):
    """Check ``f(Y, A) -> float``: mean over the m examples of (a - y)^2; Y and A (1, m)."""
    edge = (np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))
    slips = [(lambda Y, A: np.mean(A - Y), "the differences are not squared, so errors of opposite sign cancel."),
             (lambda Y, A: np.mean(Y - A), "the differences are not squared, so errors of opposite sign cancel."),
             (lambda Y, A: np.mean(np.abs(A - Y)), "that is the mean absolute error; square the differences instead."),
             (lambda Y, A: np.sqrt(np.mean((A - Y) ** 2)), "that is the square root of the mean squared error; "
                                                          "leave out the root.")]
    return _run("mean squared error", f,
                _loss_cases(lambda Y, A: np.mean((A - Y) ** 2), "mean squared error", edge, slips), forbid="mse")


def check_binary_cross_entropy(f):
    """Check ``f(Y, A) -> float``: mean binary cross-entropy, finite when A holds exact 0s/1s."""
    edge = (np.array([[1.0, 0.0, 1.0]]), np.array([[1.0, 0.0, 0.5]]))
    slips = [(lambda Y, A: -np.mean(Y * np.log(np.clip(A, 1e-12, 1))),
              "it leaves out the (1 - y) log(1 - a) term, so examples with y = 0 cost nothing."),
             (lambda Y, A: -np.mean((1 - Y) * np.log(np.clip(1 - A, 1e-12, 1))),
              "it leaves out the y log(a) term, so examples with y = 1 cost nothing."),
             (lambda Y, A: -np.mean(Y * np.log(np.clip(1 - A, 1e-12, 1)) + (1 - Y) * np.log(np.clip(A, 1e-12, 1))),
              "the two logarithms are swapped: y goes with log(a), 1 - y with log(1 - a).")]
    return _run("binary cross-entropy", f, _loss_cases(_bce, "binary cross-entropy", edge, slips),
                forbid="binary_cross_entropy")


def check_categorical_cross_entropy(f):
    """Check ``f(Y, A) -> float``: mean over m of -sum_k y_k log a_k, Y one-hot and A (n_classes, m)."""
    Y = np.eye(3)[:, [0, 2, 1, 2]]
    A = _softmax(_rng.normal(size=(3, 4)))

    def reference(Y, A):
        return -np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / Y.shape[1]

    def value(f):
        result = _number(_call(f, Y, A), "the cross-entropy")
        right = reference(Y, A)
        if np.isclose(result, right * Y.shape[1]):
            raise _Problem("the cross-entropy is summed over the examples; average over m instead.")
        if np.isclose(result, right * Y.shape[1] / Y.size):
            raise _Problem("the cross-entropy is divided by the number of entries (classes times examples); "
                           "average over the m examples only.")
        if np.isclose(result, right * Y.shape[1] / Y.shape[0]):
            raise _Problem("the cross-entropy is divided by the number of classes (rows of Y); "
                           "m is the number of examples, the columns.")
        if np.isclose(result, -right):
            raise _Problem("the cross-entropy has the wrong sign; a loss is never negative.")
        _close(result, right, "the cross-entropy")

    def exact_zeros(f):
        A0 = np.array([[1.0, 0.0], [0.0, 0.5], [0.0, 0.5]])
        Y0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
        result = _call(f, Y0, A0)
        try:
            finite = bool(np.all(np.isfinite(np.asarray(result, dtype=np.float64))))
        except (TypeError, ValueError):
            finite = True
        if not finite:
            raise _Problem("the cross-entropy is nan or inf when A holds exact 0s: 0 times log(0) is nan. "
                           "Clip A away from 0 before taking logarithms.")
        _close(_number(result, "the cross-entropy when A holds exact 0s"), reference(Y0, A0),
               "the cross-entropy when A holds exact 0s")

    return _run("categorical cross-entropy", f, [value, exact_zeros], forbid="categorical_cross_entropy")


# ---- gradients ---------------------------------------------------------------------------

def check_neuron_gradients(f):
    """Check ``f(X, Y, A) -> (dW, db)`` for a sigmoid neuron with mean binary cross-entropy.

    X (n_x, m), Y and A (1, m); dW must be (1, n_x), db (1, 1) or a number.
    """
    X, Y = _rng.normal(size=(3, 6)), np.array([[1.0, 0.0, 1.0, 0.0, 0.0, 1.0]])
    A = _sigmoid(_rng.normal(size=(1, 6)))
    m = X.shape[1]

    def gradients(f):
        result = _call(f, X, Y, A)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise _Problem(f"it should return two things, (dW, db), but it returned a {type(result).__name__}.")
        dW = _array(result[0], (1, 3), "dW for X (3, 6)")
        dZ = A - Y
        if _same(dW, -(dZ @ X.T) / m):
            raise _Problem("dW points the wrong way: check the sign of the output error.")
        if _same(dW, dZ @ X.T):
            raise _Problem("dW is m times too large: the loss is a mean over the m examples.")
        if _same(dW, dZ @ X.T / (m - 1)):
            raise _Problem("dW divides by m - 1; the mean over m examples divides by m.")
        if _same(dW, (dZ * A * (1 - A)) @ X.T / m):
            raise _Problem("dW carries an extra factor a(1 - a); with cross-entropy the error dZ is simply a - y.")
        _close(dW, dZ @ X.T / m, "dW")
        try:
            db = np.asarray(result[1], dtype=np.float64)
        except (TypeError, ValueError):
            raise _Problem(f"db should be a single number, but it is a {type(result[1]).__name__}.") from None
        if db.shape == dZ.shape:
            raise _Problem("db has one entry per example; it should be their mean, a single number.")
        db = _number(db, "db")
        if np.isclose(db, dZ.sum()) and not np.isclose(db, dZ.mean()):
            raise _Problem("db is m times too large: average the errors over the m examples.")
        if np.isclose(db, -dZ.mean()) and not np.isclose(db, dZ.mean()):
            raise _Problem("db points the wrong way: check the sign of the output error.")
        _close(db, dZ.mean(), "db")

    return _run("neuron gradients", f, [gradients], forbid="neuron_backward")


def _hidden_case(n_out, m, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3, m))
    Y = (rng.random((n_out, m)) < 0.5).astype(float)
    params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)),
              "W2": rng.normal(size=(n_out, 4)), "b2": rng.normal(size=(n_out, 1))}
    Z1 = params["W1"] @ X + params["b1"]
    A1 = _sigmoid(Z1)
    Z2 = params["W2"] @ A1 + params["b2"]
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": _sigmoid(Z2)}
    return X, Y, params, cache


def _hidden_expected(X, Y, params, cache, slope=None, scale=None):
    m = X.shape[1]
    scale = m if scale is None else scale
    A1 = cache["A1"]
    dZ2 = cache["A2"] - Y
    dZ1 = (params["W2"].T @ dZ2) * (A1 * (1 - A1) if slope is None else slope)
    return {"W2": dZ2 @ A1.T / scale, "b2": dZ2.sum(axis=1, keepdims=True) / scale,
            "W1": dZ1 @ X.T / scale, "b1": dZ1.sum(axis=1, keepdims=True) / scale}


def check_hidden_layer_gradients(f):
    """Check ``f(X, Y, params, cache) -> grads`` for a one-hidden-layer sigmoid network.

    params: "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_out, n_h), "b2" (n_out, 1).
    cache: "Z1", "A1" (n_h, m), "Z2", "A2" (n_out, m), from the forward pass on X.
    grads: dict with "W1", "b1", "W2", "b2", each of its parameter's shape,
    the gradients of the mean binary cross-entropy (summed over the output units).
    Tested with one output unit, as in Chapter 5, and with two, so that the
    backward pass works for any number of outputs (as the chapter's formulas do).
    """
    def gradients_for(n_out, m, seed):
        def case(f):
            X, Y, params, cache = _hidden_case(n_out, m, seed)
            expected = _hidden_expected(X, Y, params, cache)
            try:
                grads = _call(f, X, Y, params, cache)
            except _Problem as problem:
                if n_out > 1:
                    raise _Problem(f"with two output units {problem} Step 3 needs a matrix product; "
                                   "an element-by-element product only works with one output unit.") from None
                raise
            if not isinstance(grads, dict) or any(key not in grads for key in expected):
                keys = sorted(map(repr, grads)) if isinstance(grads, dict) else type(grads).__name__
                raise _Problem(f"it should return a dict with keys 'W1', 'b1', 'W2', 'b2'; it returned {keys}.")
            wrong = {"leaves out the derivative of the hidden layer's sigmoid":
                         _hidden_expected(X, Y, params, cache, slope=1.0),
                     "uses Z1 where the sigmoid's slope needs the activations A1: the slope is a(1 - a)":
                         _hidden_expected(X, Y, params, cache, slope=cache["Z1"] * (1 - cache["Z1"])),
                     "is m times too large: the loss is a mean over the m examples":
                         _hidden_expected(X, Y, params, cache, scale=1)}
            for name in ("W2", "b2", "W1", "b1"):
                value = _array(grads[name], params[name].shape, f"grads['{name}']")
                if _same(value, -expected[name]) and not _same(value, expected[name]):
                    raise _Problem(f"grads['{name}'] points the wrong way: check the sign of the output error.")
                for sentence, formula in wrong.items():
                    if _same(value, formula[name]) and not _same(value, expected[name]):
                        raise _Problem(f"grads['{name}'] {sentence}.")
                _close(value, expected[name], f"grads['{name}']")
        return case

    return _run("hidden-layer gradients", f, [gradients_for(1, 5, 11), gradients_for(2, 5, 12)],
                forbid="hidden_backward")


# ---- softmax and one-hot -----------------------------------------------------------------

def _finite(S):
    try:
        return bool(np.all(np.isfinite(np.asarray(S, dtype=np.float64))))
    except (TypeError, ValueError):
        return True   # not numbers at all: _array says so


def check_softmax(f):
    """Check ``f(Z)``: softmax of each column of Z (n_classes, m); finite for scores like 1000 or 2500."""
    def columns(f):
        S = _array(_call(f, _Z), _Z.shape, "softmax of a 3x4 matrix")
        E = np.exp(_Z - _Z.max(axis=1, keepdims=True))
        if _same(S, E / E.sum(axis=1, keepdims=True)):
            raise _Problem("your softmax normalises each row; each column is one example, so work along axis 0.")
        if not np.allclose(S.sum(axis=0), 1):
            raise _Problem("the columns of your softmax do not each sum to 1; each column is one example.")
        _close(S, _softmax(_Z), "softmax of a 3x4 matrix")

    def stable(Z, what, sentence):
        def case(f):
            S = _call(f, Z)
            if not _finite(S):
                raise _Problem(sentence)
            _close(_array(S, Z.shape, f"softmax of {what}"), _softmax(Z), f"softmax of {what}")
        return case

    large = stable(np.array([[1000.0], [999.0], [0.0]]), "large scores",
                   "for scores like 1000 your softmax returns nan or inf; "
                   "can you change the scores without changing the result?")
    larger = stable(np.array([[2500.0], [0.0], [0.0]]), "(2500, 0, 0)",
                    "for the scores (2500, 0, 0) your softmax returns nan or inf. Subtracting a "
                    "column's mean is not enough; subtract a number that makes the largest "
                    "shifted score exactly 0.")
    far_apart = stable(np.array([[1000.0, -1000.0], [999.0, -1000.0], [0.0, -1001.0]]), "columns far apart",
                       "when one column's scores are far below another's (1000 against -1000), your "
                       "softmax returns nan: one shift for the whole array makes every exponential of "
                       "the low column 0. Subtract each column's own maximum.")

    return _run("softmax", f, [columns, large, larger, far_apart], forbid="softmax")


def check_one_hot(f):
    """Check ``f(y, n_classes) -> Y`` of shape (n_classes, m), one column per label."""
    def small(f):
        y = np.array([0, 2, 1, 2])
        result = _call(f, y, 3)
        if np.shape(result) == (4, 3):
            raise _Problem("your array has one row per example; the course puts one example per column.")
        Y = _array(result, (3, 4), "one_hot([0, 2, 1, 2], 3)")
        if _same(Y, np.eye(3)[:, (y + 1) % 3]) or _same(Y, np.eye(3)[:, (y - 1) % 3]):
            raise _Problem("the 1s are one row off: label k puts its 1 in row k, counting from 0.")
        _close(Y, np.eye(3)[:, y], "one_hot([0, 2, 1, 2], 3)")

    def unused_classes(f):
        y = np.array([1, 1, 3])
        result = _call(f, y, 10)
        if np.shape(result) == (4, 3):
            raise _Problem("one_hot([1, 1, 3], 10) has 4 rows: the number of rows must be n_classes, "
                           "even when the largest classes do not occur in y.")
        _close(_array(result, (10, 3), "one_hot([1, 1, 3], 10)"), np.eye(10)[:, y], "one_hot([1, 1, 3], 10)")

    return _run("one_hot", f, [small, unused_classes], forbid="one_hot")
