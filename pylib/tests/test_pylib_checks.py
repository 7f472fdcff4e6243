"""The exercise checkers: right answers pass, each wrong answer fails with a sentence naming its mistake.

The table below is the contract: per checker, answers that must pass (including
correct variants the exercise did not rule out) and wrong answers with a phrase
the one-line message must contain. The course's own functions are wrong
answers too: returning or calling them is not writing them.
"""

import numpy as np
import pytest

import pylib
import scipy.special


def sigmoid_right(Z):
    return 1 / (1 + np.exp(-Z))


def sigmoid_exp_form(Z):            # overflows for z near 1000; the exercise does not ask for more
    return np.exp(Z) / (1 + np.exp(Z))


def neuron_gradients_right(X, Y, A):
    dZ = A - Y
    return dZ @ X.T / X.shape[1], np.mean(dZ)


def hidden_gradients(X, Y, params, cache, slope="A1", scale="m", sign=1, elementwise=False, transpose_w1=False):
    m = X.shape[1] if scale == "m" else 1
    A1 = cache["A1"]
    dZ2 = sign * (cache["A2"] - Y)
    dA1 = params["W2"].T * dZ2 if elementwise else params["W2"].T @ dZ2
    local = {"A1": A1 * (1 - A1), "Z1": cache["Z1"] * (1 - cache["Z1"]), "none": 1.0}[slope]
    dZ1 = dA1 * local
    dW1 = X @ dZ1.T / m if transpose_w1 else dZ1 @ X.T / m
    return {"W2": dZ2 @ A1.T / m, "b2": dZ2.sum(axis=1, keepdims=True) / m,
            "W1": dW1, "b1": dZ1.sum(axis=1, keepdims=True) / m}


def clip(A, low=1e-12, high=1.0):
    return np.clip(A, low, high)


def bce_right(Y, A):
    A = clip(A, 1e-12, 1 - 1e-12)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def bce_other_eps(Y, A):
    A = clip(A, 1e-15, 1 - 1e-15)
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1]


def bce_naive(Y, A):
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def softmax_right(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)


def softmax_mean_shift(Z):
    E = np.exp(Z - Z.mean(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_global_shift(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=0, keepdims=True)


def softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_string_when_large(Z):
    return "overflow" if np.abs(Z).max() > 100 else softmax_right(Z)


def one_hot_loop(y, n):
    Y = np.zeros((n, len(y)))
    for i, label in enumerate(y):
        Y[label, i] = 1
    return Y


def hidden_via_course(X, Y, params, cache):
    network = pylib.HiddenLayerNetwork(X.shape[0], params["W1"].shape[0], seed=0)
    network.params.update({name: value.copy() for name, value in params.items()})
    return network.backward(X, Y)


def broken(*args):
    raise IndexError("tuple index out of range")


# checker: (right answers, [(wrong answer, phrase its message must contain), ...])
TABLE = {
    pylib.check_sigmoid: (
        [sigmoid_right, sigmoid_exp_form, scipy.special.expit],
        [(lambda Z: 1 / (1 + np.exp(Z)), "sign of the exponent"),
         (lambda Z: np.exp(-Z), "should be exactly 1/2"),
         (lambda Z: 1 / (2 + np.exp(-Z)), "should be exactly 1/2"),
         (lambda Z: float(sigmoid_right(Z).sum()), "shape"),
         (lambda Z: sigmoid_right(Z).T, "shape"),
         (pylib.sigmoid, "course's own sigmoid"),
         (lambda Z: pylib.sigmoid(Z), "course's own sigmoid"),
         (lambda Z: 1 - pylib.sigmoid(-Z), "course's own sigmoid")]),
    pylib.check_neuron_forward: (
        [lambda W, b, X: pylib.sigmoid(W @ X + b), lambda W, b, X: sigmoid_right(np.dot(W, X) + b)],
        [(lambda W, b, X: pylib.sigmoid(W @ X), "ignores the bias"),
         (lambda W, b, X: pylib.sigmoid(W @ X - b), "bias is subtracted"),
         (lambda W, b, X: W @ X + b, "before the activation"),
         (lambda W, b, X: pylib.sigmoid(-(W @ X + b)), "sign"),
         (lambda W, b, X: pylib.sigmoid(X.T @ W.T + b), "examples in columns"),
         (lambda W, b, X: pylib.sigmoid(W @ X + b)[:, :-1], "shape")]),
    pylib.check_mse: (
        [lambda Y, A: np.mean((A - Y) ** 2), lambda Y, A: np.sum(np.square(Y - A)) / Y.shape[1]],
        [(lambda Y, A: np.sum((A - Y) ** 2), "average over m"),
         (lambda Y, A: np.sum((A - Y) ** 2) / (Y.shape[1] - 1), "m - 1"),
         (lambda Y, A: (A - Y) ** 2, "single number"),
         (lambda Y, A: np.mean((A - Y) ** 2, axis=0), "single number"),
         (lambda Y, A: np.mean(A - Y), "not squared"),
         (lambda Y, A: np.mean(np.abs(A - Y)), "absolute"),
         (lambda Y, A: np.sqrt(np.mean((A - Y) ** 2)), "root"),
         (lambda Y, A: -np.mean((A - Y) ** 2), "wrong sign"),
         (pylib.mse, "course's own mse"),
         (lambda Y, A: pylib.mse(Y, A), "course's own mse")]),
    pylib.check_binary_cross_entropy: (
        [bce_right, bce_other_eps],
        [(bce_naive, "Clip A"),
         (lambda Y, A: -np.mean(Y * np.log(clip(A))), "leaves out the (1 - y) log(1 - a) term"),
         (lambda Y, A: -np.mean((1 - Y) * np.log(clip(1 - A))), "leaves out the y log(a) term"),
         (lambda Y, A: -np.mean(Y * np.log(clip(1 - A)) + (1 - Y) * np.log(clip(A))), "swapped"),
         (lambda Y, A: -np.sum(Y * np.log(clip(A)) + (1 - Y) * np.log(clip(1 - A))), "average over m"),
         (lambda Y, A: np.mean(Y * np.log(clip(A)) + (1 - Y) * np.log(clip(1 - A))), "wrong sign"),
         (lambda Y, A: -np.mean(Y * np.log(clip(A)) + (1 - Y) * np.log(clip(1 - A)), axis=0), "single number"),
         (pylib.binary_cross_entropy, "course's own binary_cross_entropy"),
         (lambda Y, A: pylib.binary_cross_entropy(Y, A), "course's own binary_cross_entropy")]),
    pylib.check_categorical_cross_entropy: (
        [lambda Y, A: -np.sum(Y * np.log(clip(A))) / Y.shape[1],
         lambda Y, A: -np.mean(np.sum(Y * np.log(clip(A, 1e-15)), axis=0))],
        [(lambda Y, A: -np.sum(Y * np.log(A)) / Y.shape[1], "Clip A"),
         (lambda Y, A: -np.sum(Y * np.log(clip(A))), "summed over the examples"),
         (lambda Y, A: -np.mean(Y * np.log(clip(A))), "number of entries"),
         (lambda Y, A: -np.sum(Y * np.log(clip(A))) / Y.shape[0], "number of classes"),
         (lambda Y, A: np.sum(Y * np.log(clip(A))) / Y.shape[1], "wrong sign"),
         (lambda Y, A: -np.sum(Y * np.log(clip(A)), axis=0), "single number"),
         (pylib.categorical_cross_entropy, "course's own categorical_cross_entropy")]),
    pylib.check_neuron_gradients: (
        [neuron_gradients_right, lambda X, Y, A: ((A - Y) @ X.T / X.shape[1], np.sum(A - Y, keepdims=True) / X.shape[1])],
        [(lambda X, Y, A: ((A - Y) @ X.T, np.sum(A - Y)), "m times too large"),
         (lambda X, Y, A: ((A - Y) @ X.T / (X.shape[1] - 1), np.mean(A - Y)), "m - 1"),
         (lambda X, Y, A: ((Y - A) @ X.T / X.shape[1], np.mean(Y - A)), "wrong way"),
         (lambda X, Y, A: (X @ (A - Y).T / X.shape[1], np.mean(A - Y)), "transposed"),
         (lambda X, Y, A: ((A - Y) @ X.T / X.shape[1], np.sum(A - Y)), "db is m times too large"),
         (lambda X, Y, A: ((A - Y) @ X.T / X.shape[1], np.mean(Y - A)), "db points the wrong way"),
         (lambda X, Y, A: ((A - Y) @ X.T / X.shape[1], A - Y), "one entry per example"),
         (lambda X, Y, A: (((A - Y) * A * (1 - A)) @ X.T / X.shape[1], np.mean(A - Y)), "extra factor"),
         (lambda X, Y, A: (A - Y) @ X.T / X.shape[1], "two things"),
         (lambda X, Y, A: pylib.SingleNeuron(X.shape[0]).backward(X, Y), "course's own")]),
    pylib.check_hidden_layer_gradients: (
        [hidden_gradients],
        [(lambda *a: hidden_gradients(*a, slope="none"), "derivative of the hidden layer's sigmoid"),
         (lambda *a: hidden_gradients(*a, slope="Z1"), "uses Z1"),
         (lambda *a: hidden_gradients(*a, scale=1), "m times too large"),
         (lambda *a: hidden_gradients(*a, sign=-1), "wrong way"),
         (lambda *a: hidden_gradients(*a, elementwise=True), "matrix product"),
         (lambda *a: hidden_gradients(*a, transpose_w1=True), "transposed"),
         (hidden_via_course, "course's own"),
         (lambda *a: {"dW1": 0}, "keys"),
         (lambda *a: {1: 0, "W1": 0}, "keys")]),
    pylib.check_softmax: (
        [softmax_right, softmax_no_keepdims, lambda Z: scipy.special.softmax(Z, axis=0)],
        [(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "nan or inf"),
         (lambda Z: np.exp(Z) / np.exp(Z).sum(), "do not each sum to 1"),
         (softmax_rows, "each row"),
         (softmax_mean_shift, "mean is not enough"),
         (softmax_global_shift, "own maximum"),
         (softmax_string_when_large, "should be a NumPy array"),
         (pylib.softmax, "course's own softmax"),
         (lambda Z: pylib.softmax(Z), "course's own softmax")]),
    pylib.check_one_hot: (
        [lambda y, n: np.eye(n)[:, y], one_hot_loop],
        [(lambda y, n: np.eye(n)[y], "one example per column"),
         (lambda y, n: np.eye(y.max() + 1)[:, y], "must be n_classes"),
         (lambda y, n: np.eye(n)[:, (y + 1) % n], "one row off"),
         (lambda y, n: y, "shape"),
         (pylib.one_hot, "course's own one_hot")]),
}

FORBIDDEN_IN_MESSAGES = ("np.", "exp(", "def ", "1 /", "A - Y", "Z.max", "keepdims", "Traceback")


def one_line(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n"), out
    return out


@pytest.mark.parametrize("checker", TABLE, ids=lambda c: c.__name__)
def test_right_answers_pass(checker, capsys):
    for function in TABLE[checker][0]:
        assert checker(function) is True, one_line(capsys)
        assert one_line(capsys).startswith("Correct: your ")


WRONG = [pytest.param(checker, wrong, phrase, id=f"{checker.__name__}-{index}-{phrase[:24]}")
         for checker, (_, rows) in TABLE.items() for index, (wrong, phrase) in enumerate(rows)]


@pytest.mark.parametrize(("checker", "wrong", "phrase"), WRONG)
def test_each_wrong_answer_is_rejected_with_its_mistake_named(checker, wrong, phrase, capsys):
    assert checker(wrong) is False
    out = one_line(capsys)
    assert out.startswith("Not yet: "), out
    assert phrase in out, out
    for revealing in FORBIDDEN_IN_MESSAGES:
        assert revealing not in out, out


@pytest.mark.parametrize("checker", TABLE, ids=lambda c: c.__name__)
def test_checkers_never_raise_whatever_comes_back(checker, capsys):
    odd_results = [None, "text", {1: 2, "a": 3}, [[1, "x"]], object(), (1, 2, 3), np.array(["a", "b"])]
    for result in odd_results:
        assert checker(lambda *args, result=result: result) is False
        assert one_line(capsys).startswith("Not yet: ")
    for not_a_function in (broken, "sigmoid", 3):
        assert checker(not_a_function) is False
        assert "Correct" not in one_line(capsys)


def test_checkers_report_an_exception_kindly(capsys):
    assert pylib.check_softmax(broken) is False
    assert "raised IndexError: tuple index out of range" in one_line(capsys)


def test_checkers_do_not_let_the_student_change_their_inputs(capsys):
    def scribbles_on_input(Z):
        Z[...] = 0.0
        return sigmoid_right(Z)
    assert pylib.check_sigmoid(scribbles_on_input) is False
    assert pylib.check_sigmoid(sigmoid_right) is True
    capsys.readouterr()


def test_the_watch_for_the_course_functions_is_removed_afterwards(capsys):
    import sys
    before = sys.getprofile()
    pylib.check_mse(lambda Y, A: pylib.mse(Y, A))
    pylib.check_mse(broken)
    assert sys.getprofile() is before
    capsys.readouterr()
    # the course's functions are allowed where the exercise uses them: the forward pass calls sigmoid
    assert pylib.check_neuron_forward(lambda W, b, X: pylib.sigmoid(W @ X + b)) is True
    capsys.readouterr()
