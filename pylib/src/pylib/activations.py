"""Activation functions: sigmoid (and its derivative) and softmax.

Both are written so that large inputs such as +-1000 give exact, finite
answers without overflow warnings.
"""

import numpy as np

from .validation import PylibValueError, as_array, as_matrix, warn_if_transposed


def sigmoid(Z):
    """The logistic function s(z) = 1 / (1 + exp(-z)), element by element.

    For z < 0 the equal form exp(z) / (1 + exp(z)) is used, so exp never sees
    a large positive number and cannot overflow.

    Parameters
    ----------
    Z : array_like of real numbers, any shape (usually (n_units, m))

    Returns
    -------
    ndarray of float64, the shape of Z, values in [0, 1]
    """
    Z = as_array(Z, "Z")
    return _sigmoid(Z)


def _sigmoid(Z):
    """`sigmoid` without input checks, for the models' inner loops."""
    E = np.exp(-np.abs(Z))          # exp(-|z|) lies in (0, 1]: no overflow
    S = 1.0 / (1.0 + E)             # sigmoid(|z|)
    return np.where(Z >= 0, S, E * S)


def sigmoid_derivative(Z):
    """ds/dz = s(z) (1 - s(z)), element by element.

    Parameters
    ----------
    Z : array_like, any shape

    Returns
    -------
    ndarray of float64, the shape of Z, values in [0, 0.25]
    """
    S = sigmoid(Z)
    return S * (1.0 - S)


def softmax(Z):
    """Column-wise softmax: each column of scores becomes probabilities summing to 1.

    softmax(z)_k = exp(z_k) / sum_j exp(z_j). Subtracting each column's maximum
    first leaves the result unchanged and keeps exp from overflowing.

    Parameters
    ----------
    Z : array_like, shape (n_classes, m)
        One column of scores per example.

    Returns
    -------
    ndarray of float64, shape (n_classes, m); every column sums to 1.

    Raises
    ------
    PylibValueError
        If Z has no rows (no classes to share the probability among).

    Warns
    -----
    AmbiguousShapeWarning
        If Z has more than 100 rows and fewer columns: usually examples given as rows.
    """
    Z = as_matrix(Z, "Z")
    if Z.shape[0] == 0:
        raise PylibValueError(f"Z must have at least one row (one score per class); received shape {Z.shape}")
    warn_if_transposed(Z, "Z")
    return _softmax(Z)


def _softmax(Z):
    """`softmax` without input checks, for the models' inner loops."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
