import numpy as np
import pytest

import pylib


def test_gradient_check_catches_a_wrong_backward_pass():
    X = np.random.default_rng(0).normal(size=(3, 4))
    Y = pylib.one_hot([0, 1, 2, 1], 3)
    net = pylib.SoftmaxNetwork(3, 5, n_classes=3)
    right = pylib.gradient_check(net, X, Y)
    correct_backward = net._backward

    def forgets_the_mean(X, Y):
        return {name: gradient * X.shape[1] for name, gradient in correct_backward(X, Y).items()}

    net._backward = forgets_the_mean
    wrong = pylib.gradient_check(net, X, Y)
    assert right.passed and right.max_error < 1e-7
    assert not wrong.passed and wrong.max_error > 0.1


def test_gradient_check_leaves_the_parameters_unchanged():
    net = pylib.HiddenLayerNetwork(3, 2)
    before = {name: value.copy() for name, value in net.params.items()}
    pylib.gradient_check(net, np.ones((3, 2)), np.array([[1.0, 0.0]]))
    assert all(np.array_equal(before[name], net.params[name]) for name in before)


def test_gradient_check_validates_its_inputs():
    net = pylib.SingleNeuron(3)
    with pytest.raises(TypeError, match="pylib network"):
        pylib.gradient_check("net", np.ones((3, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\)"):
        pylib.gradient_check(net, np.ones((2, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="epsilon must lie between"):
        pylib.gradient_check(net, np.ones((3, 2)), np.ones((1, 2)), epsilon=-1.0)


def test_gradient_check_passes_where_chapter_4_does_at_1e_7():
    """One line for the course: Chapter 4 calls a check passed below 1e-7, and so does the library."""
    X = np.random.default_rng(1).normal(size=(3, 4))
    Y = pylib.one_hot([0, 1, 2, 1], 3)
    net = pylib.SoftmaxNetwork(3, 5, n_classes=3)
    correct_backward = net._backward

    def off_by_a_millionth(X, Y):
        return {name: gradient * (1 + 1e-6) for name, gradient in correct_backward(X, Y).items()}

    net._backward = off_by_a_millionth
    check = pylib.gradient_check(net, X, Y)
    assert 1e-7 < check.max_error < 1e-5
    assert not check.passed and str(check).startswith("gradient check FAILED")
    assert "(threshold 1e-07)" in str(check) and check.threshold == 1e-7
    assert "1e-7" in pylib.gradient_check.__doc__
