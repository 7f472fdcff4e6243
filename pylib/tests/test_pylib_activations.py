import warnings

import numpy as np
import pytest

import pylib


def no_warnings(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return function(*args)


def test_sigmoid_values_and_symmetry():
    Z = np.linspace(-30, 30, 61).reshape(1, -1)
    S = pylib.sigmoid(Z)
    assert np.allclose(S, 1 / (1 + np.exp(-Z)), rtol=1e-13)
    assert np.allclose(S + pylib.sigmoid(-Z), 1.0)
    assert pylib.sigmoid(np.zeros((2, 3))).shape == (2, 3)


def test_sigmoid_is_finite_and_exact_for_huge_inputs():
    S = no_warnings(pylib.sigmoid, np.array([[-1000.0, 1000.0, -40.0]]))
    assert S[0, 0] == 0.0 and S[0, 1] == 1.0
    assert np.isclose(S[0, 2], np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-12)


def test_sigmoid_derivative_matches_finite_differences():
    Z = np.linspace(-6, 6, 25)
    h = 1e-6
    numeric = (pylib.sigmoid(Z + h) - pylib.sigmoid(Z - h)) / (2 * h)
    assert np.allclose(pylib.sigmoid_derivative(Z), numeric, atol=1e-9)
    assert no_warnings(pylib.sigmoid_derivative, np.array([1000.0, -1000.0])).tolist() == [0.0, 0.0]


def test_softmax_columns_are_probabilities():
    Z = np.random.default_rng(0).normal(size=(4, 7))
    P = pylib.softmax(Z)
    assert P.shape == (4, 7)
    assert np.allclose(P.sum(axis=0), 1.0)
    assert np.allclose(P, np.exp(Z) / np.exp(Z).sum(axis=0))
    assert np.allclose(pylib.softmax(Z + 123.0), P)


def test_softmax_is_finite_for_huge_scores():
    P = no_warnings(pylib.softmax, np.array([[1000.0, -1000.0], [-1000.0, -1000.0]]))
    assert np.array_equal(P, [[1.0, 0.5], [0.0, 0.5]])


@pytest.mark.parametrize("function", [pylib.sigmoid, pylib.sigmoid_derivative, pylib.softmax])
def test_activations_reject_nan_and_text(function):
    with pytest.raises(ValueError, match="NaN or infinite"):
        function(np.array([[0.0, np.nan]]))
    with pytest.raises(TypeError, match="array of numbers; received a str"):
        function("1.0")


def test_softmax_needs_a_matrix():
    with pytest.raises(ValueError, match=r"2-D array .* received shape \(3,\)"):
        pylib.softmax(np.zeros(3))
