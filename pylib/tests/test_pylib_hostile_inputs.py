"""The inputs of issue 14: each gave a wrong answer, silent nonsense or an obscure message."""

import warnings

import numpy as np
import pytest

import pylib
from pylib import data as data_module

RNG = np.random.default_rng(14)
X8 = RNG.normal(size=(8, 200))
LABELS3 = RNG.integers(0, 3, 200)


def binary_targets(labels):
    return (labels == 0)[None, :].astype(float)


def models_and_targets():
    return [
        (pylib.SingleNeuron(8), binary_targets(LABELS3)),
        (pylib.HiddenLayerNetwork(8, 4), binary_targets(LABELS3)),
        (pylib.SoftmaxNetwork(8, 4, n_classes=3), pylib.one_hot(LABELS3, 3)),
    ]


def raises_pylib(kind, match, call, *args, **kwargs):
    """Assert that call raises a PylibError of ``kind`` matching ``match``; return the message."""
    with pytest.raises(kind, match=match) as error:
        call(*args, **kwargs)
    assert isinstance(error.value, pylib.PylibError), repr(error.value)
    return str(error.value)


# --- bugs -------------------------------------------------------------------

def test_backward_uses_the_parameters_as_they_are_now():
    net = pylib.SoftmaxNetwork(8, 4, n_classes=3, seed=1)
    Y = pylib.one_hot(LABELS3, 3)
    net.backward(X8, Y)
    net.params["W1"] += 0.5
    twin = pylib.SoftmaxNetwork(8, 4, n_classes=3, seed=1)
    twin.params = {name: value.copy() for name, value in net.params.items()}
    fresh = twin.backward(X8, Y)
    for name, gradient in net.backward(X8, Y).items():
        assert np.allclose(gradient, fresh[name]), name


def test_a_plain_backward_loop_trains_like_forward_then_backward():
    Y = pylib.one_hot(LABELS3, 3)
    plain, careful = pylib.SoftmaxNetwork(8, 4, n_classes=3), pylib.SoftmaxNetwork(8, 4, n_classes=3)
    for _ in range(20):
        for net, forward_first in ((plain, False), (careful, True)):
            if forward_first:
                net.forward(X8)
            gradients = net.backward(X8, Y)
            for name in net.params:
                net.params[name] -= 0.5 * gradients[name]
    for name in plain.params:
        assert np.array_equal(plain.params[name], careful.params[name]), name


def test_gradient_check_gives_the_same_answer_twice():
    net = pylib.HiddenLayerNetwork(8, 3, seed=2)
    Y = binary_targets(LABELS3)[:, :5]
    first = pylib.gradient_check(net, X8[:, :5], Y)
    second = pylib.gradient_check(net, X8[:, :5], Y)
    assert first.passed and second.passed
    assert first.max_error == second.max_error


def wrong_backward(net, change):
    """Replace net's backward pass by the right one with ``change`` applied to its dict."""
    right = net._backward
    net._backward = lambda X, Y: change(right(X, Y))
    return net


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_gradient_check_fails_nan_and_infinite_gradients(value):
    def spoil(gradients):
        gradients["W2"] = np.full_like(gradients["W2"], value)
        return gradients
    net = wrong_backward(pylib.HiddenLayerNetwork(8, 3), spoil)
    check = pylib.gradient_check(net, X8[:, :4], binary_targets(LABELS3)[:, :4])
    assert not check.passed and check.worst == "W2" and check.max_error == np.inf
    assert "FAILED" in str(check) and "NaN or infinity" in str(check)


def test_gradient_check_fails_when_every_gradient_is_nan():
    net = wrong_backward(pylib.SingleNeuron(8), lambda g: {name: value * np.nan for name, value in g.items()})
    check = pylib.gradient_check(net, X8[:, :4], binary_targets(LABELS3)[:, :4])
    assert not check.passed and not bool(check) and check.max_error == np.inf


@pytest.mark.parametrize("make, name", [
    (lambda: pylib.HiddenLayerNetwork(8, 3), "W1"),
    (lambda: pylib.SingleNeuron(8), "W"),
])
def test_gradient_check_reports_a_transposed_gradient(make, name):
    def transpose(gradients):
        gradients[name] = gradients[name].T
        return gradients
    net = wrong_backward(make(), transpose)
    check = pylib.gradient_check(net, X8[:, :4], binary_targets(LABELS3)[:, :4])
    assert not check.passed and check.worst == name
    assert "transpose it" in check.problem and str(net.params[name].shape) in check.problem


def test_gradient_check_reports_a_missing_gradient():
    net = wrong_backward(pylib.HiddenLayerNetwork(8, 3), lambda g: {k: v for k, v in g.items() if k != "b1"})
    check = pylib.gradient_check(net, X8[:, :4], binary_targets(LABELS3)[:, :4])
    assert not check.passed and check.worst == "b1" and "no gradient for 'b1'" in str(check)


def test_gradient_check_names_the_worst_entry_and_prints_like_a_number():
    def nudge(gradients):
        gradients["W2"][0, 2] += 0.1
        return gradients
    net = wrong_backward(pylib.HiddenLayerNetwork(8, 3), nudge)
    check = pylib.gradient_check(net, X8[:, :4], binary_targets(LABELS3)[:, :4], threshold=1e-6)
    assert not check.passed and check.worst == "W2" and check.index == (0, 2)
    assert np.isclose(check.analytic - check.numeric, 0.1, rtol=1e-4)
    assert "W2[0, 2]" in str(check) and "threshold 1e-06" in str(check)
    assert f"{check:.1e}" == f"{check.max_error:.1e}" and float(check) == check.max_error


@pytest.mark.parametrize("learning_rate", [50.0, 500.0])
@pytest.mark.parametrize("index", [0, 1, 2])
def test_divergence_is_detected_for_every_model(index, learning_rate):
    model, Y = models_and_targets()[index]
    message = raises_pylib(pylib.DivergenceError, "training diverged", pylib.train, model, X8, Y,
                           epochs=5, learning_rate=learning_rate, on_epoch=None)
    assert f"learning_rate={learning_rate / 10:g}" in message and "smaller" in message


def test_mini_batch_divergence_of_a_softmax_network_is_detected():
    model, Y = models_and_targets()[2]
    raises_pylib(pylib.DivergenceError, "loss rose", pylib.train, model, X8, Y, epochs=3,
                 learning_rate=500.0, batch_size=16, momentum=0.9, on_epoch=None)


# --- silent nonsense ----------------------------------------------------------

def test_square_X_warns_that_columns_are_examples():
    net = pylib.SingleNeuron(8)
    with pytest.warns(pylib.AmbiguousShapeWarning, match=r"pass X\.T"):
        net.predict(X8[:, :8])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.predict(X8[:, :9])


def test_losses_refuse_or_flag_transposed_inputs():
    Y = np.array([[1.0, 0.0, 1.0, 0.0, 1.0]])
    A = np.array([[0.9, 0.2, 0.7, 0.4, 0.6]])
    with pytest.warns(pylib.AmbiguousShapeWarning, match=r"pass A\.T"):
        assert np.isclose(pylib.mse(Y.T, A.T), np.sum((A - Y) ** 2))
    raises_pylib(ValueError, r"shape \(1, m\).*transpose", pylib.binary_cross_entropy, Y.T, A.T)
    Y3 = pylib.one_hot([0, 1, 2, 1, 0], 3)
    A3 = pylib.softmax(RNG.normal(size=(3, 5)))
    raises_pylib(ValueError, "transpose", pylib.categorical_cross_entropy, Y3.T, A3.T)
    with pytest.warns(pylib.AmbiguousShapeWarning, match=r"pass Z\.T"):
        pylib.softmax(RNG.normal(size=(500, 10)))


def test_categorical_cross_entropy_wants_distributions_and_one_hot_targets():
    Y = pylib.one_hot([0, 2], 3)
    A = np.array([[0.7, 0.1], [0.2, 0.3], [0.1, 0.6]])
    raises_pylib(ValueError, "column 0 summing to 0.5", pylib.categorical_cross_entropy, Y, A * [[0.5, 1.0]])
    raises_pylib(ValueError, "must be one-hot.*column 1", pylib.categorical_cross_entropy, Y * [[1, 0.5]], A)
    raises_pylib(ValueError, "must be one-hot", pylib.categorical_cross_entropy_gradient, Y + 1e-3, A)


def test_backward_on_an_empty_batch_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raises_pylib(ValueError, r"at least one example.*\(8, 0\)", pylib.SingleNeuron(8).backward,
                     np.zeros((8, 0)), np.zeros((1, 0)))


def test_a_normalised_confusion_matrix_shows_its_fractions():
    cm = np.array([[0.75, 0.25], [0.1, 0.9]])
    figure = pylib.plot_confusion_matrix(cm)
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["0.75", "0.25", "0.10", "0.90"]
    counts = pylib.plot_confusion_matrix(np.array([[3, 1], [0, 4]]))
    assert [text.get_text() for text in counts.axes[0].texts] == ["3", "1", "0", "4"]


def test_pylib_mnist_pointing_at_a_missing_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PYLIB_MNIST", str(tmp_path / "missing.npz"))
    assert data_module.candidate_paths() == [tmp_path / "missing.npz"]
    message = raises_pylib(FileNotFoundError, "missing.npz", pylib.load_mnist)
    assert "PYLIB_MNIST" in message


def write_mnist(path, train_labels):
    images = np.zeros((len(train_labels), 14, 14), dtype=np.uint8)
    np.savez(path, train_images=images, train_labels=np.asarray(train_labels),
             test_images=images[:1], test_labels=np.zeros(1, dtype=np.uint8))
    return path


@pytest.mark.parametrize("labels, text", [
    ([0, -1], "labels >= 0; received the label -1"),
    ([0.0, 3.7], "whole-number labels"),
    ([0.0, np.nan], "NaN"),
    ([0, 12], "labels 0 .. 9; received the label 12"),
])
def test_load_mnist_checks_the_labels_in_the_file(tmp_path, labels, text):
    path = write_mnist(tmp_path / "digits.npz", labels)
    message = raises_pylib(ValueError, "train_labels", pylib.load_mnist, path)
    assert text in message and "learning_rate" not in message and "shape" not in message


def test_drawing_to_input_wants_a_28x28_drawing():
    raises_pylib(ValueError, r"28x28 drawing.*\(14, 56\)", pylib.drawing_to_input, np.zeros((14, 56)))


@pytest.mark.parametrize("Z, text", [
    (np.array(["1.0", "2.0"]), "array of numbers"),
    (["0.5", 1.0], "array of numbers"),
    (np.array([1 + 2j, 0.5]), "complex"),
])
def test_sigmoid_refuses_text_and_complex_numbers(Z, text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raises_pylib(TypeError, text, pylib.sigmoid, Z)


@pytest.mark.parametrize("losses", [[1.0, np.nan, 0.5], [1.0, np.inf]])
def test_plot_loss_refuses_nan_and_infinity(losses):
    message = raises_pylib(ValueError, "NaN or infinite", pylib.plot_loss, losses)
    assert "diverged" in message


# --- obscure or misleading messages --------------------------------------------

@pytest.mark.parametrize("seed, kind", [(-1, ValueError), ("a", TypeError), (1.5, TypeError)])
def test_seeds_are_whole_numbers_at_least_zero(seed, kind):
    raises_pylib(kind, "seed must be a whole number >= 0", pylib.SoftmaxNetwork, 4, 3, seed=seed)
    raises_pylib(kind, "seed must be a whole number >= 0", pylib.train, pylib.SingleNeuron(2),
                 np.ones((2, 3)), np.ones((1, 3)), epochs=1, learning_rate=0.1, seed=seed, on_epoch=None)


def test_softmax_of_no_classes():
    raises_pylib(ValueError, r"at least one row.*\(0, 5\)", pylib.softmax, np.zeros((0, 5)))


@pytest.mark.parametrize("value", ["abc", 5, {"loss": 1}])
def test_plot_loss_names_what_it_needs(value):
    raises_pylib(TypeError, "History .* or a list of losses", pylib.plot_loss, value)


@pytest.mark.parametrize("stats", [{}, {"epoch": 1}, [1, 2]])
def test_print_progress_names_the_keys_it_needs(stats):
    raises_pylib(TypeError, "stats must be a dict with the keys", pylib.print_progress, stats)


def test_huge_labels_and_class_counts_are_refused_before_allocating():
    raises_pylib(ValueError, "received the label 100000", pylib.confusion_matrix, [10 ** 5], [0])
    raises_pylib(ValueError, "n_classes must lie between 1 and 1000; received 1000000000000",
                 pylib.one_hot, [1], 10 ** 12)


def test_a_huge_float_label_is_reported_as_it_is():
    message = raises_pylib(ValueError, r"received the label 1e\+20", pylib.one_hot, np.array([1e20]))
    assert "-9223372036854775808" not in message


def test_a_negative_learning_rate_message_makes_sense():
    message = raises_pylib(ValueError, r"learning_rate must be a number > 0; received -0.1", pylib.train,
                           pylib.SingleNeuron(2), np.ones((2, 3)), np.ones((1, 3)), epochs=1, learning_rate=-0.1)
    assert "None" not in message


@pytest.mark.parametrize("call", [
    lambda: pylib.one_hot(np.array([0.0, np.nan])),
    lambda: pylib.drawing_to_input(np.full(784, np.nan)),
    lambda: pylib.confusion_matrix(np.array([0.0, np.nan]), [0, 1]),
    lambda: pylib.plot_confusion_matrix(np.array([[1.0, np.nan], [0.0, 1.0]])),
    lambda: pylib.SingleNeuron(2).predict(np.array([[np.nan], [0.0]])),
])
def test_nan_in_data_does_not_blame_the_learning_rate(call):
    with pytest.raises(ValueError, match="NaN") as error:
        call()
    assert "learning_rate" not in str(error.value) and "learning rate" not in str(error.value)


def test_nan_weights_do_blame_training():
    net = pylib.SingleNeuron(2)
    net.params["W"][0, 0] = np.nan
    raises_pylib(ValueError, "the network's W must hold finite numbers.* smaller learning_rate", net.predict, np.ones((2, 3)))


# --- scikit-learn's habits ------------------------------------------------------

def test_models_fit_predict_and_score_like_scikit_learn():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 300)
    X = rng.normal(size=(2, 300)) * 0.5 + np.array([[0.0, 3.0, -3.0], [3.0, -3.0, 0.0]])[:, y]
    model = pylib.SoftmaxNetwork(2, 8, n_classes=3)
    assert model.fit(X, y, epochs=30) is model
    assert model.score(X, y) > 0.95 and len(model.history_.loss) == 30
    assert model.predict(X).shape == (300,) and model.predict_proba(X).shape == (3, 300)
    binary = pylib.SingleNeuron(2).fit(X, (y == 1).astype(int), epochs=30)
    assert binary.score(X, y == 1) > 0.95


def test_fit_refuses_examples_as_rows_and_says_how_to_fix_it():
    model = pylib.SoftmaxNetwork(2, 4, n_classes=3)
    message = raises_pylib(ValueError, r"X must have shape \(2, m\); received shape \(300, 2\)",
                           model.fit, np.zeros((300, 2)), np.zeros(300, dtype=int))
    assert "transpose it (X.T)" in message
    raises_pylib(ValueError, r"y must hold labels 0 \.\. 2; received the label 3", model.fit,
                 np.zeros((2, 4)), [0, 1, 2, 3])
    raises_pylib(ValueError, r"one label per column of X, shape \(4,\)", model.fit, np.zeros((2, 4)), [0, 1])


def test_one_hot_Y_given_as_rows_says_transpose_it():
    net = pylib.SoftmaxNetwork(8, 4, n_classes=3)
    raises_pylib(ValueError, r"Y must have shape \(3, 200\); received shape \(200, 3\): transpose it",
                 net.backward, X8, pylib.one_hot(LABELS3, 3).T)
    raises_pylib(ValueError, r"one_hot\(y, n_classes\)", net.backward, X8, LABELS3)


def test_a_loss_that_rises_and_recovers_is_not_divergence():
    X, y, _, _ = pylib.load_mnist()
    Y = (y[:10000] == 0)[None, :].astype(float)
    history = pylib.train(pylib.HiddenLayerNetwork(196, 64, seed=0), X[:, :10000], Y, epochs=5,
                          learning_rate=2.0, on_epoch=None)
    assert max(history.loss) > 2 * history.loss[0] and history.loss[-1] < history.loss[0]


def test_float16_labels_give_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pylib.accuracy(np.array([0.0, 2.0], dtype=np.float16), [0, 1]) == 0.5
