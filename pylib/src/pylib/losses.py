"""Loss functions (mean over the m examples) and their gradients dL/dA.

Y holds the targets and A the network's outputs, both of shape (n_out, m).
The log-losses clip A into [EPSILON, 1 - EPSILON] so they never take log(0).
"""

import numpy as np

from .validation import (PylibValueError, distributions, one_hot_columns, probabilities, same_shape,
                         warn_if_transposed)

EPSILON = 1e-12


def mse(Y, A):
    """Mean squared error, L = (1/m) sum over examples of sum_k (a_k - y_k)^2.

    Parameters
    ----------
    Y, A : array_like, shape (n_out, m)

    Returns
    -------
    float

    Warns
    -----
    AmbiguousShapeWarning
        For a single column of several rows, read as one example with several
        outputs (m = 1), which is usually several examples given as rows.
    """
    Y, A = _regression_targets(Y, A)
    return float(np.sum((A - Y) ** 2) / A.shape[1])


def mse_gradient(Y, A):
    """dL/dA of `mse`: (2/m) (A - Y), shape (n_out, m)."""
    Y, A = _regression_targets(Y, A)
    return 2.0 * (A - Y) / A.shape[1]


def binary_cross_entropy(Y, A):
    """Binary cross-entropy, L = -(1/m) sum [y log a + (1 - y) log(1 - a)].

    Parameters
    ----------
    Y : array_like, shape (1, m)
        Targets, 0 or 1.
    A : array_like, shape (1, m)
        Predicted probabilities in [0, 1].

    Returns
    -------
    float
    """
    Y, A = _binary_targets(Y, A)
    return _binary_cross_entropy(Y, A)


def _binary_cross_entropy(Y, A):
    """`binary_cross_entropy` without input checks (for training loops)."""
    A = np.clip(A, EPSILON, 1.0 - EPSILON)
    return float(-np.sum(Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A)) / A.shape[1])


def binary_cross_entropy_gradient(Y, A):
    """dL/dA of `binary_cross_entropy`: (1/m) (a - y) / (a (1 - a)), shape (1, m)."""
    Y, A = _binary_targets(Y, A)
    A = np.clip(A, EPSILON, 1.0 - EPSILON)
    return (A - Y) / (A * (1.0 - A)) / A.shape[1]


def categorical_cross_entropy(Y, A):
    """Categorical cross-entropy, L = -(1/m) sum over examples of sum_k y_k log a_k.

    Parameters
    ----------
    Y : array_like, shape (n_classes, m)
        One-hot targets (see `one_hot`).
    A : array_like, shape (n_classes, m)
        Predicted probabilities, each column summing to 1 (softmax output).

    Returns
    -------
    float

    Raises
    ------
    PylibValueError
        If a column of Y is not one-hot or a column of A does not sum to 1
        (saying "transpose it" when the rows are).
    """
    Y, A = _class_targets(Y, A)
    return _categorical_cross_entropy(Y, A)


def _categorical_cross_entropy(Y, A):
    """`categorical_cross_entropy` without input checks (for training loops)."""
    return float(-np.sum(Y * np.log(np.clip(A, EPSILON, 1.0))) / A.shape[1])


def categorical_cross_entropy_gradient(Y, A):
    """dL/dA of `categorical_cross_entropy`: -(1/m) y / a, shape (n_classes, m)."""
    Y, A = _class_targets(Y, A)
    return -Y / np.clip(A, EPSILON, 1.0) / A.shape[1]


def _regression_targets(Y, A):
    """Check shapes for `mse`, warning about a single column of several rows."""
    Y, A = same_shape(Y, A)
    warn_if_transposed(A, "A", one_column=True)
    return Y, A


def _binary_targets(Y, A):
    """Check that Y and A are (1, m) and hold values in [0, 1]."""
    Y, A = same_shape(Y, A)
    if A.shape[0] != 1:
        fix = ("transpose them (Y.T, A.T)" if A.shape[1] == 1
               else "for one-hot targets of several classes use categorical_cross_entropy")
        raise PylibValueError(f"Y and A must have shape (1, m), one output per example; received {A.shape}: {fix}")
    return probabilities(Y, "Y"), probabilities(A, "A")


def _class_targets(Y, A):
    """Check that Y is one-hot and A holds distributions, column by column."""
    Y, A = same_shape(Y, A)
    return one_hot_columns(Y, "Y"), distributions(A, "A")
