"""Property tests: every public function of pylib under shapes, dtypes and values a student can give it.

Each argument is drawn together with a flag saying whether it is a real, finite
numeric array (of any shape and of any real dtype). Each property then states
when the call is valid (those flags, plus shape and value conditions written
here from the docstrings) and asserts:

- a valid call returns the right result (checked against NumPy, SciPy,
  scikit-learn or finite differences), with no RuntimeWarning;
- any other call raises a PylibError whose message says what it received,
  never a bare NumPy error, never a result.
"""

import contextlib
import io
import sys
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.special
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import metrics as sk_metrics

import pylib
from pylib.gradcheck import numerical_gradient
from pylib.validation import MAX_WEIGHTS

IN_PYODIDE = sys.platform == "emscripten"
settings.register_profile(
    "pylib", max_examples=25 if IN_PYODIDE else 80, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("pylib")
FEW = settings(max_examples=10 if IN_PYODIDE else 30)   # for the slow ones: plots and training

REAL_DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int32, np.int8, np.uint8, np.bool_]
SIDES = st.integers(0, 4)


# --- drawing arguments ---------------------------------------------------------

def real_arrays(shape, low=-5.0, high=5.0, coarse=False):
    """(array, True): finite numbers of any real dtype, in [low, high] where the dtype allows.

    ``coarse`` rounds floats to 3 decimals: no values so tiny that finite differences cannot see them.
    """
    def elements(dtype):
        kind = np.dtype(dtype).kind
        if kind == "b":
            return st.booleans()
        if kind in "iu":
            info = np.iinfo(dtype)
            return st.integers(max(info.min, int(np.ceil(low))), min(info.max, int(np.floor(high))))
        floats = st.floats(low, high, width=np.dtype(dtype).itemsize * 8)
        return floats.map(lambda value: round(value, 3)) if coarse else floats
    return st.sampled_from(REAL_DTYPES).flatmap(
        lambda dtype: hnp.arrays(dtype, shape, elements=elements(dtype))).map(lambda array: (array, True))


def broken(shape):
    """(value, False): what is not a real finite array: NaN or inf inside, complex, text, None, ragged lists."""
    non_finite = st.tuples(hnp.arrays(np.float64, shape, elements=st.floats(-1, 1)), st.data()).map(_spoil)
    return st.one_of(
        non_finite.filter(lambda array: array.size > 0),
        hnp.arrays(np.complex128, shape, elements=st.complex_numbers(max_magnitude=2, allow_nan=False)),
        hnp.arrays("U2", shape),
        st.none(), st.text(max_size=3),
        st.lists(st.lists(st.floats(0, 1), min_size=1, max_size=3), min_size=2, max_size=3).filter(
            lambda rows: len({len(row) for row in rows}) > 1),
    ).map(lambda value: (value, False))


def _spoil(pair):
    array, data = pair
    if array.size:
        index = data.draw(st.integers(0, array.size - 1))
        array.flat[index] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return array


def arguments(shape, low=-5.0, high=5.0, coarse=False):
    """Mostly real arrays of ``shape``, sometimes of another shape or broken."""
    other = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
    return st.one_of(real_arrays(shape, low, high, coarse), real_arrays(shape, low, high, coarse),
                     real_arrays(other, low, high), broken(shape))


def columns(value, default=0):
    """The number of columns of a 2-D argument, else ``default``."""
    try:
        shape = np.shape(value)
    except ValueError:
        return default
    return shape[1] if len(shape) == 2 else default


def matrix_shapes(rows=SIDES, cols=SIDES):
    return st.tuples(rows, cols)


def labels(m, n_classes=4):
    """(labels, True) of length m in 0 .. n_classes - 1 (whole numbers of several dtypes), or other arguments."""
    whole = st.sampled_from([np.int64, np.int32, np.uint8, np.float64]).flatmap(
        lambda dtype: hnp.arrays(dtype, (m,), elements=st.integers(0, n_classes - 1))).map(lambda a: (a, True))
    return st.one_of(whole, whole, arguments((m,), -2, n_classes + 1))


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def integers_or_not(low, high=None):
    """(value, is an int in [low, high]): half of the time a small valid one; high None for no upper bound."""
    small = st.integers(low, low + 5)
    return st.one_of(
        small, small, small, small, st.integers(low - 2, low - 1), st.integers(-10 ** 15, 10 ** 15),
        st.floats(allow_nan=True), st.booleans(), st.none(), st.text(max_size=2),
    ).map(lambda value: (value, is_int(value) and low <= value and (high is None or value <= high)))


def small_counts(high=3):
    """(value, is an int >= 1): a count such as epochs, never larger than ``high``."""
    valid = st.integers(1, high)
    return st.one_of(valid, valid, valid, st.integers(-1, 0), st.floats(allow_nan=True), st.booleans(), st.none(),
                     st.text(max_size=1)).map(lambda value: (value, is_int(value) and value >= 1))


# --- the contract ----------------------------------------------------------------

def outcome(call, *args, **kwargs):
    """(result, None), or (None, error) for a PylibError; any other exception or a RuntimeWarning fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", pylib.AmbiguousShapeWarning)
        try:
            return call(*args, **kwargs), None
        except pylib.PylibError as error:
            said_what = "received" in str(error) or isinstance(error, (pylib.DivergenceError,
                                                                          pylib.DataFileNotFoundError))
            assert said_what, str(error)
            return None, error


def assert_contract(valid, result, error):
    """A valid call returns, any other raises a PylibError."""
    assert (error is None) == valid, f"valid={valid} but got {error!r}"


def assert_trained(valid, error):
    """Like assert_contract, where a valid call may also end in a DivergenceError."""
    if isinstance(error, pylib.DivergenceError):
        assert valid
    else:
        assert_contract(valid, None, error)


def floats_of(value):
    return np.asarray(value, dtype=np.float64)


# --- activations and losses ----------------------------------------------------

@given(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4).flatmap(arguments))
def test_sigmoid_and_its_derivative(argument):
    Z, real = argument
    for function, expected in ((pylib.sigmoid, scipy.special.expit),
                               (pylib.sigmoid_derivative, lambda z: scipy.special.expit(z) * scipy.special.expit(-z))):
        result, error = outcome(function, Z)
        assert_contract(real, result, error)
        if real:
            assert result.dtype == np.float64 and result.shape == np.shape(Z)
            assert np.allclose(result, expected(floats_of(Z)), rtol=1e-12, atol=1e-15)


@given(st.one_of(matrix_shapes().flatmap(lambda shape: arguments(shape, -800, 800)),
                 hnp.array_shapes(min_dims=0, max_dims=3, max_side=3).flatmap(arguments)))
def test_softmax(argument):
    Z, real = argument
    result, error = outcome(pylib.softmax, Z)
    valid = real and np.ndim(Z) == 2 and np.shape(Z)[0] >= 1
    assert_contract(valid, result, error)
    if valid:
        assert np.allclose(result, scipy.special.softmax(floats_of(Z), axis=0), rtol=1e-12, atol=1e-15)


def targets_and_outputs(kind):
    """(Y, A) pairs for one loss: mostly valid ones of one shape, some with another shape or broken."""
    def valid(shape):
        rows, m = shape
        if kind == "categorical":
            return st.tuples(st.lists(st.integers(0, rows - 1), min_size=m, max_size=m),
                             hnp.arrays(np.float64, shape, elements=st.floats(-30, 30))).map(
                lambda pair: ((pylib.one_hot(pair[0], rows), True), (scipy.special.softmax(pair[1], axis=0), True)))
        low = -3.0 if kind == "mse" else 0.0
        values = real_arrays(shape, low, 1.0)
        if kind == "binary":
            return st.tuples(hnp.arrays(np.uint8, shape, elements=st.integers(0, 1)).map(lambda a: (a, True)), values)
        return st.tuples(values, values)
    rows = st.just(1) if kind == "binary" else st.integers(1, 4)
    shapes = st.tuples(rows, st.integers(1, 4))
    any_shape = matrix_shapes()
    return st.one_of(
        shapes.flatmap(valid), shapes.flatmap(valid),
        shapes.flatmap(valid).map(lambda pair: ((pair[0][0].T, True), pair[1])),
        st.tuples(any_shape.flatmap(lambda s: arguments(s, 0, 1)), any_shape.flatmap(lambda s: arguments(s, 0, 1))),
    )


def clipped(A):
    """A clipped into [1e-12, 1 - 1e-12], as the log-losses document."""
    return np.clip(A, 1e-12, 1 - 1e-12)


LOSSES = {
    "mse": (pylib.mse, pylib.mse_gradient,
            lambda Y, A: np.sum((A - Y) ** 2) / A.shape[1], lambda Y, A: 2 * (A - Y) / A.shape[1]),
    "binary": (pylib.binary_cross_entropy, pylib.binary_cross_entropy_gradient,
               lambda Y, A: -np.mean(Y * np.log(clipped(A)) + (1 - Y) * np.log(1 - clipped(A))),
               lambda Y, A: (clipped(A) - Y) / (clipped(A) * (1 - clipped(A))) / A.shape[1]),
    "categorical": (pylib.categorical_cross_entropy, pylib.categorical_cross_entropy_gradient,
                    lambda Y, A: -np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / A.shape[1],
                    lambda Y, A: -Y / np.clip(A, 1e-12, 1) / A.shape[1]),
}


def loss_inputs_are_valid(kind, Y, A):
    Y, A = floats_of(Y), floats_of(A)
    if Y.ndim != 2 or Y.shape != A.shape or A.shape[1] == 0:
        return False
    if kind == "mse":
        return True
    if A.size == 0:   # no classes: no one-hot column, no distribution
        return False
    in_unit_range = Y.min() >= 0 and Y.max() <= 1 and A.min() >= 0 and A.max() <= 1
    if kind == "binary":
        return A.shape[0] == 1 and in_unit_range
    one_hot = set(np.unique(Y)) <= {0.0, 1.0} and np.all(Y.sum(axis=0) == 1)
    return in_unit_range and one_hot and np.allclose(A.sum(axis=0), 1, rtol=0, atol=1e-3)


def make_loss_test(kind):
    loss, gradient, expected_loss, expected_gradient = LOSSES[kind]

    @given(targets_and_outputs(kind))
    def test(pair):
        (Y, y_real), (A, a_real) = pair
        valid = y_real and a_real and loss_inputs_are_valid(kind, Y, A)
        for function, expected in ((loss, expected_loss), (gradient, expected_gradient)):
            result, error = outcome(function, Y, A)
            assert_contract(valid, result, error)
            if valid:
                assert np.allclose(result, expected(floats_of(Y), floats_of(A)), rtol=1e-9, atol=1e-12)
    test.__name__ = f"test_{kind}_loss_and_gradient"
    return test


test_mse_loss_and_gradient = make_loss_test("mse")
test_binary_loss_and_gradient = make_loss_test("binary")
test_categorical_loss_and_gradient = make_loss_test("categorical")


# --- labels, one-hot and metrics -------------------------------------------------

@given(SIDES.flatmap(labels), integers_or_not(1, 1000))
def test_one_hot(label_argument, n_argument):
    (y, real), (n_classes, n_ok) = label_argument, n_argument
    result, error = outcome(pylib.one_hot, y, n_classes)
    y_float = floats_of(y) if real else None
    valid = (real and n_ok and y_float.ndim == 1 and np.all(y_float == np.round(y_float))
             and (y_float.size == 0 or (y_float.min() >= 0 and y_float.max() < n_classes)))
    assert_contract(valid, result, error)
    if valid:
        expected = np.zeros((n_classes, y_float.size))
        expected[y_float.astype(int), np.arange(y_float.size)] = 1
        assert np.array_equal(result, expected)


def labels_ok(value, real, n_classes=None):
    if not real:
        return False
    array = floats_of(value)
    return (array.ndim == 1 and np.all(array == np.round(array)) and (array.size == 0 or array.min() >= 0)
            and (n_classes is None or array.size == 0 or array.max() < n_classes))


@pytest.mark.filterwarnings("ignore:A single label:UserWarning")   # scikit-learn's, about its own matrix
@given(st.integers(0, 4).flatmap(lambda m: st.tuples(labels(m), st.one_of(labels(m), SIDES.flatmap(labels)))),
       st.one_of(st.just((None, True)), integers_or_not(1, 1000)))
def test_metrics(pair, n_argument):
    (y_true, true_ok), (y_pred, pred_ok) = pair
    n_classes, n_ok = n_argument
    pairs_ok = (labels_ok(y_true, true_ok) and labels_ok(y_pred, pred_ok)
                and np.shape(y_true) == np.shape(y_pred) and np.size(y_true) > 0)
    accuracy, error = outcome(pylib.accuracy, y_true, y_pred)
    assert_contract(pairs_ok, accuracy, error)
    if pairs_ok:
        assert accuracy == sk_metrics.accuracy_score(floats_of(y_true), floats_of(y_pred))
    cm, error = outcome(pylib.confusion_matrix, y_true, y_pred, n_classes)
    largest = int(max(floats_of(y_true).max(), floats_of(y_pred).max())) if pairs_ok else 0
    valid = pairs_ok and n_ok and (n_classes is None or largest < n_classes)
    assert_contract(valid, cm, error)
    if valid:
        n = largest + 1 if n_classes is None else n_classes
        expected = sk_metrics.confusion_matrix(floats_of(y_true), floats_of(y_pred), labels=np.arange(n))
        assert np.array_equal(cm, expected)
    scores, error = outcome(pylib.per_class_scores, y_true, y_pred)
    assert_contract(pairs_ok, scores, error)
    if pairs_ok:
        truth, predicted = floats_of(y_true), floats_of(y_pred)
        n = int(max(truth.max(), predicted.max())) + 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            precision, recall, f1, support = sk_metrics.precision_recall_fscore_support(
                truth, predicted, labels=np.arange(n), zero_division=0)
        for name, expected in (("precision", precision), ("recall", recall), ("f1", f1), ("support", support)):
            assert np.allclose(scores[name], expected), name
    report, error = outcome(pylib.classification_report, y_true, y_pred)
    assert_contract(pairs_ok, report, error)
    if pairs_ok:
        assert f"{accuracy:.3f}" in report.splitlines()[-2]


# --- matrix products ----------------------------------------------------------------

@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.data())
def test_matmul(n, k, m, data):
    A, a_real = data.draw(arguments((n, k)))
    B, b_real = data.draw(st.one_of(real_arrays((k, m)), real_arrays((k, m)), arguments((k, m)),
                                    arguments((k + 1, m))))
    result, error = outcome(pylib.matmul, A, B)
    valid = a_real and b_real and np.ndim(A) == 2 and np.ndim(B) == 2 and np.shape(A)[1] == np.shape(B)[0]
    assert_contract(valid, result, error)
    if valid:
        assert np.allclose(result, floats_of(A) @ floats_of(B))


@given(st.one_of(st.sampled_from(["auto", "numpy", "blas"]), st.sampled_from(["auto", "numpy", "blas"]),
                 st.sampled_from(["auto", "numpy", "blas"]), st.text(max_size=5), st.integers(), st.none()))
def test_matmul_backend(name):
    try:
        result, error = outcome(pylib.set_matmul_backend, name)
        assert_contract(name in ("auto", "numpy", "blas"), result, error)
        route = pylib.get_matmul_backend()
        assert route in ("numpy", "blas") and (error is not None or name == "auto" or route == name)
    finally:
        pylib.set_matmul_backend("auto")


# --- the networks ----------------------------------------------------------------------

MODELS = {
    "neuron": lambda n_x, n_h, seed: pylib.SingleNeuron(n_x, seed=seed),
    "hidden": lambda n_x, n_h, seed: pylib.HiddenLayerNetwork(n_x, n_h, seed=seed),
    "softmax": lambda n_x, n_h, seed: pylib.SoftmaxNetwork(n_x, n_h, n_classes=3, seed=seed),
}


@given(st.sampled_from(sorted(MODELS)), integers_or_not(1), integers_or_not(1),
       st.one_of(integers_or_not(0), st.integers(0, 10 ** 30).map(lambda s: (s, True))))
def test_building_a_network(kind, n_x_argument, n_h_argument, seed_argument):
    (n_x, n_x_ok), (n_h, n_h_ok), (seed, seed_ok) = n_x_argument, n_h_argument, seed_argument
    model, error = outcome(MODELS[kind], n_x, n_h, seed)
    if kind == "neuron":
        valid = n_x_ok and seed_ok and n_x <= MAX_WEIGHTS
    else:
        n_out = 3 if kind == "softmax" else 1
        valid = n_x_ok and n_h_ok and seed_ok and n_h * (n_x + n_out) <= MAX_WEIGHTS
    assert_contract(valid, model, error)
    if model is not None:
        assert model.params[next(iter(model.params))].shape[1] == n_x


def targets_for(kind, m):
    """(Y, True) valid targets for the network kind, or other arguments."""
    if kind == "softmax":
        valid = st.lists(st.integers(0, 2), min_size=m, max_size=m).map(lambda y: (pylib.one_hot(y, 3), True))
        rows = 3
    else:
        valid = hnp.arrays(np.uint8, (1, m), elements=st.integers(0, 1)).map(lambda Y: (Y, True))
        rows = 1
    return st.one_of(valid, valid, valid.map(lambda pair: (pair[0].T, True)), arguments((rows, m), 0, 1))


def targets_valid(kind, Y, real, m):
    if not real or np.shape(Y) != ((3, m) if kind == "softmax" else (1, m)):
        return False
    Y = floats_of(Y)
    if kind == "softmax":
        return set(np.unique(Y)) <= {0.0, 1.0} and np.all(Y.sum(axis=0) == 1)
    return Y.size == 0 or (Y.min() >= 0 and Y.max() <= 1)


@st.composite
def network_and_data(draw):
    kind = draw(st.sampled_from(sorted(MODELS)))
    n_x, m = draw(st.integers(1, 3)), draw(st.integers(0, 4))
    model = MODELS[kind](n_x, 2, 0)
    for value in model.params.values():
        value += draw(hnp.arrays(np.float64, value.shape, elements=st.floats(-1, 1)))
    X = draw(st.one_of(arguments((n_x, m), -3, 3, coarse=True), arguments((m, n_x), -3, 3, coarse=True)))
    return kind, model, X, draw(targets_for(kind, columns(X[0], m)))


def X_valid(model, X, real):
    return real and np.ndim(X) == 2 and np.shape(X)[0] == model.n_x


@given(network_and_data())
def test_forward_predict_and_predict_proba(case):
    kind, model, (X, real), _ = case
    valid = X_valid(model, X, real)
    A, error = outcome(model.forward, X)
    assert_contract(valid, A, error)
    proba, error = outcome(model.predict_proba, X)
    assert_contract(valid, proba, error)
    predicted, error = outcome(model.predict, X)
    assert_contract(valid, predicted, error)
    if valid:
        m = np.shape(X)[1]
        assert A.shape == (model.n_out, m) and np.all((A >= 0) & (A <= 1)) and np.array_equal(A, proba)
        if kind == "softmax":
            assert np.allclose(A.sum(axis=0), 1) and np.array_equal(predicted, A.argmax(axis=0))
        else:
            assert np.array_equal(predicted, (A[0] >= 0.5).astype(int))


@pytest.mark.filterwarnings("ignore::pylib.validation.AmbiguousShapeWarning")
@given(network_and_data())
def test_backward_loss_and_gradient_check(case):
    kind, model, (X, x_real), (Y, y_real) = case
    valid = X_valid(model, X, x_real) and np.shape(X)[1] > 0 and targets_valid(kind, Y, y_real, np.shape(X)[1])
    gradients, error = outcome(model.backward, X, Y)
    assert_contract(valid, gradients, error)
    loss, error = outcome(model.loss, X, Y)
    assert_contract(valid, loss, error)
    check, error = outcome(pylib.gradient_check, model, X, Y)
    assert_contract(valid, check, error)
    if valid:
        assert loss >= 0 and np.isclose(loss, type(model).loss_function(floats_of(Y), model.forward(X)))
        for name, value in model.params.items():
            numeric = numerical_gradient(model, floats_of(X), floats_of(Y), name)
            assert np.allclose(gradients[name], numeric, rtol=1e-5, atol=1e-8), name
        assert check.passed, str(check)


@pytest.mark.filterwarnings("ignore::pylib.validation.AmbiguousShapeWarning")
@FEW
@given(network_and_data(), small_counts(), st.one_of(st.floats(allow_nan=True), st.sampled_from([0.1, 1.0]),
                                                           st.integers(-1, 2), st.none()),
       st.one_of(st.none(), st.integers(-1, 5)), st.one_of(st.floats(-0.5, 1.5), st.text(max_size=1)),
       st.one_of(st.integers(-1, 3), st.floats(), st.none()))
def test_train_and_fit(case, epochs_argument, learning_rate, batch_size, momentum, seed):
    kind, model, (X, x_real), (Y, y_real) = case
    epochs, epochs_ok = epochs_argument
    m = columns(X)
    hyper_ok = (epochs_ok
                and isinstance(learning_rate, (int, float)) and not isinstance(learning_rate, bool)
                and np.isfinite(learning_rate) and learning_rate > 0
                and (batch_size is None or batch_size >= 1)
                and isinstance(momentum, float) and 0 <= momentum <= 0.999999
                and isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0)
    valid = X_valid(model, X, x_real) and m > 0 and targets_valid(kind, Y, y_real, m) and hyper_ok
    history, error = outcome(pylib.train, model, X, Y, epochs=epochs, learning_rate=learning_rate,
                             batch_size=batch_size, momentum=momentum, seed=seed, on_epoch=None)
    assert_trained(valid, error)
    if history is not None:
        assert len(history.loss) == epochs and np.all(np.isfinite(history.loss))
    if valid and error is None:
        y = floats_of(Y).argmax(axis=0) if kind == "softmax" else floats_of(Y)[0]
        if np.all(y == np.round(y)):
            fitted, error = outcome(model.fit, X, y, epochs=epochs, learning_rate=learning_rate,
                                    batch_size=batch_size, momentum=momentum, seed=seed)
            assert_trained(True, error)
            if fitted is not None:
                assert fitted is model and model.score(X, y) == np.mean(model.predict(X) == y)


@pytest.mark.filterwarnings("ignore::pylib.validation.AmbiguousShapeWarning")
@given(network_and_data(), st.data())
def test_score_and_fit_refuse_bad_labels(case, data):
    kind, model, (X, x_real), _ = case
    m = columns(X)
    y, y_real = data.draw(st.one_of(labels(m, 3 if kind == "softmax" else 2), SIDES.flatmap(labels)))
    n_classes = 3 if kind == "softmax" else 2
    valid = X_valid(model, X, x_real) and m > 0 and labels_ok(y, y_real, n_classes) and np.shape(y) == (m,)
    score, error = outcome(model.score, X, y)
    assert_contract(valid, score, error)
    if valid:
        assert score == np.mean(model.predict(X) == floats_of(y))
        fitted, error = outcome(model.fit, X, y, epochs=1, learning_rate=0.1)
        assert_trained(True, error)
        assert fitted is model or error is not None


# --- progress, drawings, data files ------------------------------------------------------

def as_number_if_real(argument):
    """A real 0-d array as a Python float (what train passes), anything else as it is; and its flag."""
    value, real = argument
    return (float(value), True) if real and value is not None else (value, real)


VALID_STATS = st.fixed_dictionaries({
    "epoch": st.integers(1, 99).map(lambda v: (v, True)), "epochs": st.integers(1, 99).map(lambda v: (v, True)),
    "loss": real_arrays((), 0, 10).map(as_number_if_real),
    "val_accuracy": st.one_of(real_arrays((), 0, 1), st.none().map(lambda v: (v, True))).map(as_number_if_real),
    "seconds": real_arrays((), 0, 100).map(as_number_if_real)})


@given(st.one_of(
    VALID_STATS, VALID_STATS,
    st.fixed_dictionaries({"epoch": integers_or_not(1), "epochs": integers_or_not(1),
                           "loss": st.one_of(real_arrays(()), broken(())).map(as_number_if_real),
                           "val_accuracy": st.one_of(real_arrays((), 0, 1), real_arrays((), 1, 3), broken(()),
                                                     st.none().map(lambda v: (v, True))).map(as_number_if_real),
                           "seconds": st.one_of(real_arrays((), 0, 100), broken(())).map(as_number_if_real)}),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3).map(lambda d: {"bad": d}),
    st.lists(st.integers(), max_size=3).map(lambda d: {"bad": d}),
))
def test_print_progress(stats):
    printed = io.StringIO()
    if "bad" in stats:
        with contextlib.redirect_stdout(printed):
            result, error = outcome(pylib.print_progress, stats["bad"])
        assert_contract(False, result, error)
        return
    values = {key: value for key, (value, _) in stats.items()}
    accuracy = values["val_accuracy"]
    valid = all(real for _, real in stats.values()) and (accuracy is None or 0 <= accuracy <= 1)
    with contextlib.redirect_stdout(printed):
        result, error = outcome(pylib.print_progress, values)
    assert_contract(valid, result, error)
    if valid:
        assert printed.getvalue().startswith(f"epoch {values['epoch']:>2}/{values['epochs']}  loss ")


@given(st.one_of(st.sampled_from([(784,), (28, 28), (784, 1), (1, 784)]).flatmap(lambda s: real_arrays(s, 0, 1)),
                 st.sampled_from([(784,), (28, 28), (784, 1), (1, 784)]).flatmap(lambda s: arguments(s, 0, 1)),
                 st.sampled_from([(14, 56), (783,), (28, 28, 1)]).flatmap(lambda s: arguments(s, 0, 1)),
                 st.sampled_from([(784,), (28, 28)]).flatmap(lambda s: arguments(s, -1, 2))))
def test_drawing_to_input(argument):
    pixels, real = argument
    valid = (real and np.shape(pixels) in [(784,), (28, 28), (784, 1), (1, 784)]
             and floats_of(pixels).min() >= 0 and floats_of(pixels).max() <= 1)
    result, error = outcome(pylib.drawing_to_input, pixels)
    assert_contract(valid, result, error)
    if valid:
        assert result.shape == (196, 1) and result.min() >= 0 and result.max() <= 1
        assert np.allclose(result * 15, np.round(result * 15))
        if not floats_of(pixels).any():
            assert not result.any()


@FEW
@given(st.integers(1, 3).flatmap(lambda m: st.tuples(st.just(m), labels(m, 10))))
def test_load_mnist_from_a_file(tmp_path_factory, case):
    m, (stored, _) = case
    if not isinstance(stored, np.ndarray):   # None, text, ragged lists: np.savez cannot store them as numbers
        stored = np.zeros(m, dtype=np.uint8)
    path = tmp_path_factory.mktemp("digits") / "mnist.npz"
    images = np.arange(m * 196, dtype=np.uint8).reshape(m, 14, 14)
    np.savez(path, train_images=images, train_labels=stored, test_images=images, test_labels=np.zeros(m, np.uint8))
    real = stored.dtype.kind in "biuf" and bool(np.all(np.isfinite(stored.astype(np.float64))))
    valid = stored.shape == (m,) and labels_ok(stored, real, 10)
    data, error = outcome(pylib.load_mnist, path)
    assert_contract(valid, data, error)
    if valid:
        assert data.X_train.shape == (196, m) and np.array_equal(data.y_train, floats_of(stored))
        assert np.allclose(data.X_train[:, 0].reshape(14, 14), images[0] / 255)


@given(st.one_of(st.text(min_size=1, max_size=8), st.integers(), st.floats(), st.lists(st.integers(), max_size=2)))
def test_load_mnist_from_a_path_that_is_not_a_file(path):
    data, error = outcome(pylib.load_mnist, f"/nowhere/{path}" if isinstance(path, str) else path)
    assert_contract(False, data, error)


# --- pictures ------------------------------------------------------------------------

def closed(figure_or_none):
    if figure_or_none is not None:
        assert figure_or_none.axes
        plt.close(figure_or_none)


def digits_and_labels(m, valid):
    """(X, y, predictions) for m digits: each valid, or (valid False) each drawn from all arguments."""
    if valid:
        whole = hnp.arrays(np.int64, (m,), elements=st.integers(0, 9)).map(lambda a: (a, True))
        return st.tuples(real_arrays((196, m), 0, 1), whole, whole)
    return st.tuples(arguments((196, m), 0, 1), labels(m, 10), labels(m, 10))


@FEW
@given(st.tuples(st.integers(0, 3), st.booleans()).flatmap(lambda pair: digits_and_labels(*pair)), small_counts(20))
def test_show_digits(case, n_argument):
    (X, x_real), (y, y_real), (predicted, p_real) = case
    n, n_ok = n_argument
    m = columns(X)
    valid = (x_real and np.shape(X)[:1] == (196,) and np.ndim(X) == 2 and m > 0 and n_ok
             and labels_ok(y, y_real) and np.shape(y) == (m,) and labels_ok(predicted, p_real)
             and np.shape(predicted) == (m,))
    figure, error = outcome(pylib.show_digits, X, y, n, predicted)
    assert_contract(valid, figure, error)
    closed(figure)


@FEW
@given(st.one_of(st.integers(0, 4).flatmap(lambda n: arguments((n,), 0, 3)),
                 st.integers(1, 4).flatmap(lambda n: st.tuples(real_arrays((n,), 0, 3), real_arrays((n,), 0, 1))).map(
                     lambda pair: (pylib.History(loss=list(pair[0][0]), val_accuracy=list(pair[1][0])), True)),
                 st.one_of(st.integers(), st.text(max_size=3), st.dictionaries(st.text(), st.integers(), max_size=2),
                           st.none()).map(lambda value: (value, False))))
def test_plot_loss(argument):
    history, real = argument
    losses = history.loss if isinstance(history, pylib.History) else history
    valid = real and np.ndim(losses) == 1 and np.size(losses) > 0
    figure, error = outcome(pylib.plot_loss, history)
    assert_contract(valid, figure, error)
    closed(figure)


@FEW
@given(st.one_of(st.integers(1, 4).map(lambda n: (n, n)).flatmap(lambda s: real_arrays(s, 0, 50)),
                 st.integers(1, 4).map(lambda n: (n, n)).flatmap(lambda s: real_arrays(s, 0, 1)),
                 st.one_of(st.integers(1, 4).map(lambda n: (n, n)), matrix_shapes()).flatmap(
                     lambda s: arguments(s, -1, 50))))
def test_plot_confusion_matrix(argument):
    cm, real = argument
    valid = (real and np.ndim(cm) == 2 and np.shape(cm)[0] == np.shape(cm)[1] > 0 and floats_of(cm).min() >= 0)
    figure, error = outcome(pylib.plot_confusion_matrix, cm)
    assert_contract(valid, figure, error)
    if valid:
        texts = [text.get_text() for text in figure.axes[0].texts]
        values = floats_of(cm).ravel()
        if np.all(values == np.round(values)):
            assert texts == [str(int(value)) for value in values]
        else:
            assert texts == [f"{value:.2f}" for value in values]
    closed(figure)


@FEW
@given(st.tuples(st.integers(0, 3), st.booleans()).flatmap(lambda pair: digits_and_labels(*pair)),
       small_counts(8), st.booleans())
def test_show_predictions(case, n_argument, wrong_only):
    (X, x_real), (y, y_real), _ = case
    n, n_ok = n_argument
    model = pylib.SoftmaxNetwork(196, 2, seed=0)
    m = columns(X)
    valid = (x_real and np.ndim(X) == 2 and np.shape(X)[0] == 196 and labels_ok(y, y_real)
             and np.shape(y) == (m,) and n_ok)
    if valid:
        shown = np.flatnonzero(model.predict(X) != floats_of(y)) if wrong_only else np.arange(m)
        valid = shown.size > 0
    figure, error = outcome(pylib.show_predictions, model, X, y, n, wrong_only)
    assert_contract(valid, figure, error)
    closed(figure)
