import numpy as np
import pytest

import pylib


def sigmoid_right(Z):
    return 1 / (1 + np.exp(-Z))


def neuron_gradients_right(X, Y, A):
    dZ = A - Y
    return dZ @ X.T / X.shape[1], np.mean(dZ)


def hidden_gradients(X, Y, params, cache, derivative=True, mean=True):
    m = X.shape[1] if mean else 1
    dZ2 = cache["A2"] - Y
    dA1 = params["W2"].T @ dZ2
    dZ1 = dA1 * cache["A1"] * (1 - cache["A1"]) if derivative else dA1
    return {"W2": dZ2 @ cache["A1"].T / m, "b2": dZ2.sum(axis=1, keepdims=True) / m,
            "W1": dZ1 @ X.T / m, "b1": dZ1.sum(axis=1, keepdims=True) / m}


def naive_bce(Y, A):
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def broken(*args):
    raise IndexError("tuple index out of range")


CASES = [
    (pylib.check_sigmoid, [pylib.sigmoid, sigmoid_right],
     [lambda Z: 1 / (1 + np.exp(Z)), lambda Z: np.exp(-Z), lambda Z: float(sigmoid_right(Z).sum())]),
    (pylib.check_neuron_forward, [lambda W, b, X: pylib.sigmoid(W @ X + b)],
     [lambda W, b, X: pylib.sigmoid(W @ X), lambda W, b, X: W @ X + b, lambda W, b, X: pylib.sigmoid(X.T @ W.T + b)]),
    (pylib.check_mse, [pylib.mse, lambda Y, A: np.mean((A - Y) ** 2)],
     [lambda Y, A: np.sum((A - Y) ** 2), lambda Y, A: (A - Y) ** 2, lambda Y, A: np.mean(A - Y)]),
    (pylib.check_binary_cross_entropy, [pylib.binary_cross_entropy],
     [naive_bce, lambda Y, A: -np.mean(Y * np.log(A)), lambda Y, A: -np.sum(Y * np.log(np.clip(A, 1e-9, 1)))]),
    (pylib.check_neuron_gradients, [neuron_gradients_right],
     [lambda X, Y, A: ((A - Y) @ X.T, np.sum(A - Y)), lambda X, Y, A: ((Y - A) @ X.T / X.shape[1], 0.0),
      lambda X, Y, A: (X @ (A - Y).T / X.shape[1], np.mean(A - Y))]),
    (pylib.check_hidden_layer_gradients, [hidden_gradients],
     [lambda *a: hidden_gradients(*a, derivative=False), lambda *a: hidden_gradients(*a, mean=False),
      lambda *a: {"dW1": 0}]),
    (pylib.check_softmax, [pylib.softmax, lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)],
     [lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), lambda Z: np.exp(Z) / np.exp(Z).sum(),
      lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True)]),
    (pylib.check_one_hot, [pylib.one_hot, lambda y, n: np.eye(n)[:, y]],
     [lambda y, n: np.eye(n)[y], lambda y, n: np.eye(y.max() + 1)[:, y], lambda y, n: y]),
    (pylib.check_categorical_cross_entropy, [pylib.categorical_cross_entropy],
     [lambda Y, A: -np.sum(Y * np.log(A)) / Y.shape[1], lambda Y, A: -np.sum(Y * np.log(np.clip(A, 1e-12, 1))),
      lambda Y, A: -np.mean(Y * np.log(np.clip(A, 1e-12, 1)))]),
]


def one_line(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    return out


@pytest.mark.parametrize("checker, right, wrong", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers_accept_right_and_reject_wrong_answers(checker, right, wrong, capsys):
    for function in right:
        assert checker(function) is True
        assert one_line(capsys).startswith("Correct: your ")
    for function in wrong + [broken, "sigmoid"]:
        assert checker(function) is False
        out = one_line(capsys)
        assert "Correct" not in out
        for revealing in ("np.", "exp(", "def ", "1 /", "A - Y", "Z.max", "keepdims"):
            assert revealing not in out


def test_checkers_report_an_exception_kindly(capsys):
    assert pylib.check_softmax(broken) is False
    assert "raised IndexError: tuple index out of range" in one_line(capsys)


def test_checkers_do_not_let_the_student_change_their_inputs(capsys):
    def scribbles_on_input(Z):
        Z[...] = 0.0
        return pylib.sigmoid(Z)
    assert pylib.check_sigmoid(scribbles_on_input) is False
    assert pylib.check_sigmoid(pylib.sigmoid) is True
    capsys.readouterr()


def test_specific_hints_for_common_slips(capsys):
    pylib.check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0))
    assert "nan or inf" in capsys.readouterr().out
    pylib.check_one_hot(lambda y, n: np.eye(n)[y])
    assert "one example per column" in capsys.readouterr().out
    pylib.check_neuron_forward(lambda W, b, X: pylib.sigmoid(W @ X))
    assert "bias" in capsys.readouterr().out
    pylib.check_mse(lambda Y, A: np.sum((A - Y) ** 2))
    assert "average over m" in capsys.readouterr().out
