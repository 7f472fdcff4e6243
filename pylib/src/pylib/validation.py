"""Input checks shared by every public function.

Each check either returns a clean float64 array or raises an error whose
message names what was expected and what was received, so that a mistake in
a notebook cell points at its cause instead of surfacing as a NaN later on.
"""

import numbers

import numpy as np


def describe(value):
    """A short description of ``value`` for error messages: type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def as_matrix(value, name, rows=None, cols=None):
    """Return ``value`` as a finite 2-D float64 array, checking its shape.

    Parameters
    ----------
    value : array_like
        Numbers arranged as a matrix, e.g. X of shape (n_features, m).
    name : str
        What the caller calls it ("X", "W1" ...), used in messages.
    rows, cols : int, optional
        The required number of rows or columns; None accepts any.

    Returns
    -------
    ndarray of float64, shape (rows, cols)

    Raises
    ------
    TypeError
        If ``value`` is not numeric (strings, None, objects ...).
    ValueError
        If it is not 2-D, has the wrong shape, or holds NaN or infinity.
    """
    array = as_array(value, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows = features, columns = examples); "
            f"received shape {array.shape}"
        )
    expected = (rows if rows is not None else "any", cols if cols is not None else "any")
    if (rows is not None and array.shape[0] != rows) or (cols is not None and array.shape[1] != cols):
        raise ValueError(f"{name} must have shape ({expected[0]}, {expected[1]}); received shape {array.shape}")
    return array


def as_array(value, name):
    """Return ``value`` as a finite float64 array of any shape (see `as_matrix`)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a NumPy array of numbers; received {describe(value)}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a NumPy array of numbers; received {describe(value)} ({error})") from None
    require_finite(array, name)
    return array


def require_finite(array, name):
    """Raise ValueError if ``array`` holds NaN or infinity, saying how many and where."""
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} contains {len(bad)} NaN or infinite value(s), the first at index {first}; "
            "check the previous step (a learning rate that is too large makes weights blow up)"
        )


def as_labels(value, name, n_classes=None):
    """Return ``value`` as a 1-D numpy.intp array of class labels (int32 in Pyodide).

    Parameters
    ----------
    value : array_like of int, shape (m,)
    name : str
    n_classes : int, optional
        If given, every label must lie in 0 .. n_classes - 1.

    Raises
    ------
    TypeError
        If the labels are not whole numbers.
    ValueError
        If they are not 1-D, are negative, or are too large for ``n_classes``.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a 1-D array of integer labels; received {describe(value)}")
    array = np.asarray(value)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must be a 1-D array of integer labels; received {describe(array)}")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels, shape (m,); received shape {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        require_finite(array, name)
        if not np.all(array == np.round(array)):
            raise TypeError(f"{name} must hold whole-number labels; received dtype {array.dtype} with fractions")
    labels = array.astype(np.intp)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0; received the label {int(labels.min())}")
    if n_classes is not None and labels.size and labels.max() >= n_classes:
        raise ValueError(
            f"{name} must hold labels 0 .. {n_classes - 1}; received the label {int(labels.max())}"
        )
    return labels


def as_positive_int(value, name):
    """Return ``value`` as an int >= 1, or raise TypeError / ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int; received {describe(value)}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int; received {value}")
    return int(value)


def as_number(value, name, minimum=None, maximum=None):
    """Return ``value`` as a finite float within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; received {describe(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; received {number}")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(f"{name} must lie between {minimum} and {maximum}; received {number}")
    return number


def same_shape(Y, A, names=("Y", "A")):
    """Return Y and A as finite float64 matrices of one shape (targets and outputs)."""
    A = as_matrix(A, names[1])
    Y = as_matrix(Y, names[0])
    if Y.shape != A.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape (n_out, m); "
            f"received {names[0]} {Y.shape} and {names[1]} {A.shape}"
        )
    if A.shape[1] == 0:
        raise ValueError(f"{names[1]} must hold at least one example (column); received shape {A.shape}")
    return Y, A


def probabilities(A, name="A"):
    """Raise ValueError unless every entry of ``A`` lies in [0, 1]."""
    if A.size and (A.min() < 0 or A.max() > 1):
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; received values from {A.min():.4g} to {A.max():.4g}"
        )
    return A
