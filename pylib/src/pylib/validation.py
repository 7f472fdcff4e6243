"""Input checks shared by every public function.

Each check either returns a clean float64 array or raises a `PylibError` whose
message names what was expected and what was received, so that a mistake in
a notebook cell points at its cause instead of surfacing as a NaN later on.

The errors are also the built-in kinds a student would catch (`PylibTypeError`
is a TypeError, `PylibValueError` a ValueError, `DataFileNotFoundError` a
FileNotFoundError). A shape that may be a transposed input but may also be
meant (a square X, one column of several outputs) gives an
`AmbiguousShapeWarning` instead of an error.
"""

import numbers
import warnings

import numpy as np

# The largest number of classes one_hot, confusion_matrix and the networks accept:
# a (MAX_CLASSES, MAX_CLASSES) table of int64 is 8 MB, and the course uses 10.
MAX_CLASSES = 1000
# The most weights a network may have: 80 MB of float64 (the course's largest has 13,258).
MAX_WEIGHTS = 10 ** 7
# More outputs per example than this, with fewer examples, looks like a transposed input.
MANY_OUTPUTS = 100
# A finite-value check that blames nobody: said of data the student passed in.
DATA_HINT = "remove or replace them before calling (np.isnan and np.isinf find them)"
# Said of a network's own weights, which only training changes.
TRAINING_HINT = "training diverged; build a new network and train it with a smaller learning_rate"


class PylibError(Exception):
    """Base class of every error pylib raises about its inputs."""


class PylibTypeError(PylibError, TypeError):
    """An argument of the wrong kind (a string for an array, a float for a count ...)."""


class PylibValueError(PylibError, ValueError):
    """An argument of the right kind with a wrong shape or value."""


class DivergenceError(PylibValueError):
    """Training made the loss worse than before it started, or not finite."""


class DataFileNotFoundError(PylibError, FileNotFoundError):
    """The digits file was not found where it was asked for."""


class AmbiguousShapeWarning(UserWarning):
    """A shape that fits the course's convention but often means a transposed input."""


def describe(value):
    """A short description of ``value`` for error messages: type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def as_array(value, name, hint=DATA_HINT):
    """Return ``value`` as a finite float64 array of any shape.

    Parameters
    ----------
    value : array_like of real numbers (bool, int or float)
    name : str
        What the caller calls it ("X", "W1" ...), used in messages.
    hint : str
        What to do about NaN or infinity, appended to that message.

    Raises
    ------
    PylibTypeError
        For text, None, complex numbers, dates or other non-numbers.
    PylibValueError
        For ragged nested lists, and for NaN or infinity.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise PylibTypeError(f"{name} must be a NumPy array of numbers; received {describe(value)}")
    try:
        raw = np.asarray(value)
    except ValueError as error:
        raise PylibValueError(f"{name} must be a rectangular array of numbers; received a ragged "
                              f"{type(value).__name__} ({error})") from None
    if raw.dtype.kind == "c":
        raise PylibTypeError(f"{name} must hold real numbers; received complex numbers ({describe(raw)})")
    if raw.dtype.kind == "O" and all(isinstance(item, numbers.Real) for item in raw.flat):
        raw = raw.astype(np.float64) if _fits_float(raw) else np.full(raw.shape, np.inf)
    if raw.dtype.kind not in "biuf":
        raise PylibTypeError(f"{name} must be a NumPy array of numbers; received {describe(raw)}")
    array = raw.astype(np.float64, copy=False)
    require_finite(array, name, hint)
    return array


def _fits_float(raw):
    """True if every Python number of an object array converts to float64."""
    try:
        raw.astype(np.float64)
    except OverflowError:
        return False
    return True


def require_finite(array, name, hint=DATA_HINT):
    """Raise PylibValueError if ``array`` holds NaN or infinity, saying how many, where, and ``hint``."""
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        raise PylibValueError(
            f"{name} must hold finite numbers; received {len(bad)} NaN or infinite value(s), "
            f"the first at index {first}; {hint}"
        )


def as_matrix(value, name, rows=None, cols=None, hint=DATA_HINT):
    """Return ``value`` as a finite 2-D float64 array, checking its shape.

    Parameters
    ----------
    value : array_like
        Numbers arranged as a matrix, e.g. X of shape (n_features, m).
    name : str
    rows, cols : int, optional
        The required number of rows or columns; None accepts any.
    hint : str
        What to do about NaN or infinity.

    Returns
    -------
    ndarray of float64, shape (rows, cols)

    Raises
    ------
    PylibTypeError
        If ``value`` is not numeric (strings, None, objects ...).
    PylibValueError
        If it is not 2-D, has the wrong shape (the message says "transpose it"
        when the transposed shape would fit), or holds NaN or infinity.
    """
    array = as_array(value, name, hint)
    if array.ndim != 2:
        fix = f"; for one row use {name}.reshape(1, -1), for one column {name}.reshape(-1, 1)" if array.ndim == 1 else ""
        raise PylibValueError(
            f"{name} must be a 2-D array (rows = features, columns = examples); received shape {array.shape}{fix}"
        )
    expected = (rows if rows is not None else "any", cols if cols is not None else "m")
    if (rows is not None and array.shape[0] != rows) or (cols is not None and array.shape[1] != cols):
        flipped = array.shape[::-1]
        fits_flipped = (rows is None or flipped[0] == rows) and (cols is None or flipped[1] == cols)
        fix = f": transpose it ({name}.T), columns are examples" if fits_flipped else ""
        raise PylibValueError(
            f"{name} must have shape ({expected[0]}, {expected[1]}); received shape {array.shape}{fix}"
        )
    return array


def warn_if_square(array, name):
    """Warn that a square ``array`` (more than one row) is read with one example per column."""
    if array.ndim == 2 and array.shape[0] == array.shape[1] > 1:
        warnings.warn(
            f"{name} is square, shape {array.shape}: pylib reads each column as one example; "
            f"if your examples are rows, pass {name}.T",
            AmbiguousShapeWarning, stacklevel=3,
        )


def warn_if_transposed(array, name, one_column=False):
    """Warn when the matrix ``array`` looks like examples given as rows.

    Two shapes are legal but usually a mistake: more than MANY_OUTPUTS rows and
    fewer columns (the course has at most 10 outputs per example), and, with
    ``one_column``, a single column of several rows, which is read as one
    example with several outputs, not as several examples of one output.
    """
    rows, cols = array.shape
    if (rows > MANY_OUTPUTS and rows > cols) or (one_column and cols == 1 and rows > 1):
        warnings.warn(
            f"{name} has shape {array.shape}: pylib reads it as {cols} example(s) (columns) of {rows} "
            f"outputs (rows); if your examples are rows, pass {name}.T",
            AmbiguousShapeWarning, stacklevel=3,
        )


def require_examples(array, name):
    """Raise PylibValueError unless the matrix ``array`` has at least one column (example)."""
    if array.shape[1] == 0:
        raise PylibValueError(f"{name} must hold at least one example (column); received shape {array.shape}")
    return array


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
    PylibTypeError
        If the labels are not whole numbers.
    PylibValueError
        If they are not 1-D, are NaN, negative, or too large (for ``n_classes``,
        or for the platform's index integer).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise PylibTypeError(f"{name} must be a 1-D array of integer labels; received {describe(value)}")
    try:
        array = np.asarray(value)
    except ValueError:
        raise PylibValueError(f"{name} must be a 1-D array of integer labels; received a ragged "
                              f"{type(value).__name__}") from None
    if array.dtype.kind == "O" and all(isinstance(item, numbers.Integral) for item in array.flat):
        array = array.astype(np.float64) if _fits_float(array) else np.full(array.shape, np.inf)
    if array.dtype.kind not in "biuf":
        raise PylibTypeError(f"{name} must be a 1-D array of integer labels; received {describe(array)}")
    if array.ndim != 1:
        fix = f"; for a (1, m) or (m, 1) array pass {name}.ravel()" if array.ndim == 2 and 1 in array.shape else ""
        raise PylibValueError(f"{name} must be a 1-D array of labels, shape (m,); received shape {array.shape}{fix}")
    if array.dtype.kind == "f":
        array = array.astype(np.float64)   # float16 cannot even hold the largest label compared with below
        require_finite(array, name, "labels are whole numbers 0, 1, 2 ...; remove the examples without one")
        if not np.all(array == np.round(array)):
            raise PylibTypeError(f"{name} must hold whole-number labels; received dtype {array.dtype} with fractions "
                                 f"such as {array[array != np.round(array)][0]}")
    if array.size and array.min() < 0:
        raise PylibValueError(f"{name} must hold labels >= 0; received the label {_label_text(array.min())}")
    largest = np.iinfo(np.intp).max if n_classes is None else n_classes - 1
    if array.size and array.max() > largest:
        raise PylibValueError(f"{name} must hold labels 0 .. {largest}; received the label {_label_text(array.max())}")
    return array.astype(np.intp)


def _label_text(label):
    """A label for a message: 12, not 12.0; 1e+20 as it is."""
    return str(int(label)) if abs(label) < 2 ** 53 else f"{float(label):g}"


def as_n_classes(value, name="n_classes", minimum=1):
    """Return ``value`` as an int in minimum .. MAX_CLASSES."""
    n_classes = as_positive_int(value, name)
    if not minimum <= n_classes <= MAX_CLASSES:
        raise PylibValueError(f"{name} must lie between {minimum} and {MAX_CLASSES}; received {n_classes}")
    return n_classes


def as_positive_int(value, name):
    """Return ``value`` as an int >= 1, or raise PylibTypeError / PylibValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise PylibTypeError(f"{name} must be a positive int; received {describe(value)}")
    if value < 1:
        raise PylibValueError(f"{name} must be a positive int; received {value}")
    return int(value)


def require_weights(count, sizes):
    """Raise PylibValueError if a network of ``sizes`` (a text such as "n_x=5, n_h=3") has too many weights."""
    if count > MAX_WEIGHTS:
        raise PylibValueError(f"a network with {sizes} has {count:,} weights, more than the {MAX_WEIGHTS:,} "
                              f"(80 MB) pylib builds; received sizes that large")


def as_seed(value, name="seed"):
    """Return ``value`` as a seed for numpy.random.default_rng: an int >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise PylibTypeError(f"{name} must be a whole number >= 0, such as 0 or 42; received {describe(value)}")
    if value < 0:
        raise PylibValueError(f"{name} must be a whole number >= 0, such as 0 or 42; received {value}")
    return int(value)


def as_number(value, name, minimum=None, maximum=None, positive=False):
    """Return ``value`` as a finite float within [minimum, maximum] (and > 0 if ``positive``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise PylibTypeError(f"{name} must be a number; received {describe(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise PylibValueError(f"{name} must be a finite number; received {number}")
    if positive and number <= 0:
        raise PylibValueError(f"{name} must be a number > 0; received {number}")
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise PylibValueError(f"{name} must lie between {minimum} and {maximum}; received {number}")
    if minimum is not None and number < minimum:
        raise PylibValueError(f"{name} must be at least {minimum}; received {number}")
    if maximum is not None and number > maximum:
        raise PylibValueError(f"{name} must be at most {maximum}; received {number}")
    return number


def same_shape(Y, A, names=("Y", "A")):
    """Return Y and A as finite float64 matrices of one shape with at least one example (column)."""
    A = as_matrix(A, names[1])
    Y = as_matrix(Y, names[0])
    if Y.shape != A.shape:
        fix = f": transpose {names[0]} ({names[0]}.T)" if Y.shape[::-1] == A.shape else ""
        raise PylibValueError(
            f"{names[0]} and {names[1]} must have the same shape (n_out, m); "
            f"received {names[0]} {Y.shape} and {names[1]} {A.shape}{fix}"
        )
    return Y, require_examples(A, names[1])


def probabilities(A, name="A"):
    """Raise PylibValueError unless every entry of ``A`` lies in [0, 1]."""
    if A.size and (A.min() < 0 or A.max() > 1):
        raise PylibValueError(
            f"{name} must hold probabilities in [0, 1]; received values from {A.min():.4g} to {A.max():.4g}"
        )
    return A


def distributions(A, name="A", tolerance=1e-3):
    """Raise PylibValueError unless each column of ``A`` holds probabilities summing to 1.

    The message says "transpose it" when the rows sum to 1 instead.
    """
    probabilities(A, name)
    sums = A.sum(axis=0)
    wrong = np.flatnonzero(np.abs(sums - 1.0) > tolerance)
    if wrong.size:
        column = int(wrong[0])
        rows_sum_to_one = np.allclose(A.sum(axis=1), 1.0, atol=tolerance)
        fix = f": its rows do, so transpose it ({name}.T)" if rows_sum_to_one else " (a softmax output does)"
        raise PylibValueError(
            f"each column of {name}, shape (n_classes, m), must sum to 1; received column {column} summing to "
            f"{sums[column]:.4g}{fix}"
        )
    return A


def one_hot_columns(Y, name="Y"):
    """Raise PylibValueError unless each column of ``Y`` is one-hot: one 1, the rest 0."""
    binary = np.all((Y == 0) | (Y == 1))
    sums = Y.sum(axis=0)
    if binary and np.all(sums == 1):
        return Y
    column = int(np.flatnonzero((sums != 1) | np.any((Y != 0) & (Y != 1), axis=0))[0])
    rows_one_hot = binary and np.all(Y.sum(axis=1) == 1)
    fix = f": its rows are, so transpose it ({name}.T)" if rows_one_hot else "; build it with one_hot(y, n_classes)"
    raise PylibValueError(
        f"{name} must be one-hot, shape (n_classes, m): each column one 1 and the rest 0; received column {column} "
        f"= {np.array2string(Y[:, column], threshold=12)}{fix}"
    )
