import numpy as np
import pytest

import pylib

Y_BINARY = np.array([[1.0, 0.0, 1.0, 0.0]])
A_BINARY = np.array([[0.8, 0.3, 0.6, 0.1]])


def test_mse_by_hand():
    assert np.isclose(pylib.mse(Y_BINARY, A_BINARY), (0.04 + 0.09 + 0.16 + 0.01) / 4)


def test_binary_cross_entropy_by_hand():
    expected = -(np.log(0.8) + np.log(0.7) + np.log(0.6) + np.log(0.9)) / 4
    assert np.isclose(pylib.binary_cross_entropy(Y_BINARY, A_BINARY), expected)


def test_categorical_cross_entropy_by_hand():
    Y = pylib.one_hot([0, 2], 3)
    A = np.array([[0.7, 0.1], [0.2, 0.3], [0.1, 0.6]])
    assert np.isclose(pylib.categorical_cross_entropy(Y, A), -(np.log(0.7) + np.log(0.6)) / 2)


def test_log_losses_never_take_log_of_zero():
    with np.errstate(divide="raise", invalid="raise"):
        assert pylib.binary_cross_entropy(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])) < 1e-9
        wrong = pylib.binary_cross_entropy(np.array([[1.0]]), np.array([[0.0]]))
        assert np.isfinite(wrong) and wrong > 20
        assert np.isfinite(pylib.categorical_cross_entropy(np.eye(2), np.array([[0.0, 0.0], [1.0, 1.0]])))
        assert np.all(np.isfinite(pylib.binary_cross_entropy_gradient(np.array([[1.0]]), np.array([[0.0]]))))


@pytest.mark.parametrize("loss, gradient, Y, A", [
    (pylib.mse, pylib.mse_gradient, Y_BINARY, A_BINARY),
    (pylib.binary_cross_entropy, pylib.binary_cross_entropy_gradient, Y_BINARY, A_BINARY),
    (pylib.categorical_cross_entropy, pylib.categorical_cross_entropy_gradient,
     pylib.one_hot([0, 2, 1], 3), np.array([[0.5, 0.2, 0.3], [0.3, 0.2, 0.4], [0.2, 0.6, 0.3]])),
])
def test_loss_gradients_match_finite_differences(loss, gradient, Y, A):
    h = 1e-6
    numeric = np.zeros_like(A)
    for index in np.ndindex(A.shape):
        up, down = A.copy(), A.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (loss(Y, up) - loss(Y, down)) / (2 * h)
    assert gradient(Y, A).shape == A.shape
    assert np.allclose(gradient(Y, A), numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("loss", [pylib.mse, pylib.binary_cross_entropy, pylib.categorical_cross_entropy,
                                  pylib.mse_gradient, pylib.binary_cross_entropy_gradient,
                                  pylib.categorical_cross_entropy_gradient])
def test_losses_name_both_shapes_when_they_differ(loss):
    with pytest.raises(ValueError, match=r"received Y \(1, 4\) and A \(1, 3\)"):
        loss(Y_BINARY, A_BINARY[:, :3])
    with pytest.raises(ValueError, match="NaN or infinite"):
        loss(Y_BINARY, np.array([[0.5, np.inf, 0.5, 0.5]]))
    with pytest.raises(TypeError, match="received a NoneType"):
        loss(None, A_BINARY)


def test_log_losses_want_probabilities():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        pylib.binary_cross_entropy(Y_BINARY, A_BINARY * 2)
