"""The course's MNIST digits: finding the file, loading it, one-hot targets.

``mnist.npz`` holds the 60,000 official training digits and the 10,000 official
test digits, each downsampled from 28x28 to 14x14 (2x2 averages) and rounded
to 16 grey levels, as uint8. `load_mnist` turns them into the course's layout:
one column per digit, pixels scaled to [0, 1] (or kept as bytes, 0 to 255, which
take an eighth of the memory; `scale_pixels` scales a block of them when needed).
"""

import os
import zipfile
from collections import namedtuple
from pathlib import Path

import numpy as np

from .validation import (DataFileNotFoundError, PylibError, PylibTypeError, PylibValueError, as_labels,
                         as_n_classes)

IMAGE_SHAPE = (14, 14)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
ARRAYS = ("train_images", "train_labels", "test_images", "test_labels")

PIXEL_DTYPES = ("float64", "uint8")

MNIST = namedtuple("MNIST", ["X_train", "y_train", "X_test", "y_test"])
MNIST.__doc__ = """The digits, ready for a network.

X_train : ndarray of float64, shape (196, 60000), pixels in [0, 1], one column per digit
          (of uint8, pixels 0 to 255, from ``load_mnist(dtype="uint8")``)
y_train : ndarray of int (numpy.intp), shape (60000,), the digit each column shows
X_test  : ndarray, shape (196, 10000), as X_train
y_test  : ndarray of int (numpy.intp), shape (10000,)

The labels use the platform's index integer (int64 in CPython, int32 in
Pyodide), so that NumPy functions that count or index with them, such as
``np.bincount``, work the same in both.
"""


def candidate_paths(path=None):
    """The places `load_mnist` looks for mnist.npz, in order.

    An explicit ``path``, or else the environment variable PYLIB_MNIST, is the
    only candidate: asking for a file and silently getting another would hide
    the mistake. Otherwise: the copy inside the installed package (the wheel
    carries one), and data/mnist.npz of a source checkout of the course repo.
    """
    if path is not None:
        return [Path(path)]
    if os.environ.get("PYLIB_MNIST"):
        return [Path(os.environ["PYLIB_MNIST"])]
    here = Path(__file__).resolve().parent
    paths = []
    paths.append(here / "data" / "mnist.npz")
    if len(here.parents) > 2:
        paths.append(here.parents[2] / "data" / "mnist.npz")
    return paths


def find_mnist(path=None):
    """Return the first existing candidate path, or raise FileNotFoundError naming them all."""
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise PylibTypeError(f"path must be a str or pathlib.Path; received a {type(path).__name__}")
    tried = candidate_paths(path)
    for candidate in tried:
        try:
            if candidate.is_file():
                return candidate
        except (OSError, ValueError):   # a name no file can have, such as one with a NUL byte
            continue
    listing = ", ".join(str(p) for p in tried)
    origin = ("" if path is None and not os.environ.get("PYLIB_MNIST")
              else " (the path you gave)" if path is not None else " (the path in PYLIB_MNIST)")
    raise DataFileNotFoundError(
        f"mnist.npz not found; tried: {listing}{origin}. In the course repo, run `make data` to rebuild "
        "data/mnist.npz, then rebuild the wheel with `make wheel` and reinstall it; "
        "or set PYLIB_MNIST to the file's path (unset it, and pass no path, to load the copy in the package)."
    )


def load_mnist(path=None, dtype="float64"):
    """Load the course's MNIST digits, one column per image.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The .npz file to read. By default the first of: $PYLIB_MNIST, the copy
        in the installed package, data/mnist.npz of the repo.
    dtype : {"float64", "uint8"}, default "float64"
        "float64": pixels scaled to [0, 1] (110 MB for all 70,000 digits).
        "uint8": pixels as the file stores them, whole numbers 0 to 255 (14 MB);
        ``scale_pixels(X)`` gives a block of them as float64 in [0, 1], the
        same values "float64" gives.

    Returns
    -------
    MNIST
        Named tuple (X_train (196, 60000), y_train (60000,), X_test (196, 10000),
        y_test (10000,)); X of ``dtype``, y numpy.intp in 0..9.

    Raises
    ------
    DataFileNotFoundError (a FileNotFoundError)
        If no file is found (the message lists the paths tried and how to fix it).
    PylibValueError (a ValueError)
        If the file is corrupt, truncated or holds the wrong arrays or labels.
    """
    dtype = pixel_dtype(dtype)
    source = find_mnist(path)
    # bytes are handed out as they are read: a cached copy would double their memory
    arrays = _read_npz(source) if dtype == "uint8" else _read_npz_once(source)
    return MNIST(
        _images_as_columns(arrays["train_images"], dtype),
        arrays["train_labels"].copy(),
        _images_as_columns(arrays["test_images"], dtype),
        arrays["test_labels"].copy(),
    )


_last_read = {}   # {(path, size, modification time): the checked arrays} of the last file read


def _read_npz_once(source):
    """`_read_npz`, but a file read before (and unchanged since) is not read again: a second
    `load_mnist` (the next chapter, in the same Python) costs only the conversion."""
    status = source.stat()
    key = (str(source.resolve()), status.st_size, status.st_mtime_ns)
    if key not in _last_read:
        arrays = _read_npz(source)
        _last_read.clear()
        _last_read[key] = arrays
    return _last_read[key]


def _read_npz(source):
    """Read and check the four uint8 arrays of mnist.npz."""
    fix = "rebuild it with `make data` (and the wheel with `make wheel`)"
    try:
        with np.load(source, allow_pickle=False) as archive:
            missing = [name for name in ARRAYS if name not in archive.files]
            if missing:
                raise PylibValueError(f"{source} lacks the arrays {missing}; received {archive.files}; {fix}")
            arrays = {name: archive[name] for name in ARRAYS}
    except PylibError:
        raise
    except ValueError as error:
        raise PylibValueError(f"{source} is not a readable mnist.npz: received {error}; {fix}") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise PylibValueError(f"{source} is corrupt or truncated: received {type(error).__name__}: {error}; "
                              f"{fix}") from None
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
            raise PylibValueError(
                f"{source}: {split}_images must be uint8 of shape (m, 14, 14); "
                f"received {images.dtype} {images.shape}; {fix}"
            )
        if labels.ndim != 1 or labels.shape[0] != images.shape[0]:
            raise PylibValueError(f"{source}: {split}_labels must have shape ({images.shape[0]},), one per image; "
                                  f"received shape {labels.shape}; {fix}")
        try:
            arrays[f"{split}_labels"] = as_labels(labels, f"{split}_labels", n_classes=10)
        except PylibError as error:
            raise PylibValueError(f"{source}: {error}; {fix}") from None
    return arrays


def pixel_dtype(dtype):
    """The name of ``dtype`` ("float64" or "uint8", also given as np.float64, np.uint8), else a clear error."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in PIXEL_DTYPES:
        raise PylibValueError(f"dtype must be one of {PIXEL_DTYPES}; received {dtype!r}")
    return name


def _images_as_columns(images, dtype="float64"):
    """(m, 14, 14) uint8 -> (196, m) float64 in [0, 1], or uint8 0..255 (a view of ``images``).

    The result is stored in Fortran (column) order: each digit's 196 pixels sit
    next to each other in memory, so picking a mini-batch of columns copies
    whole blocks, and no transposed copy of the data is ever made.
    """
    rows = images.reshape(images.shape[0], N_PIXELS)   # (m, 196), one digit per row
    if dtype == "uint8":
        return rows.T                                   # (196, m), F-ordered
    return scale_pixels(rows.T)                         # (196, m), F-ordered


def scale_pixels(X):
    """Pixels stored as bytes, 0 to 255, as float64 in [0, 1].

    Scale only the block a computation needs, for example
    ``scale_pixels(X_train[:, :1000])``: all 70,000 digits as float64 take
    110 MB, as bytes 14 MB.

    Parameters
    ----------
    X : ndarray of uint8, shape (196, m) or any other
        Pixels as ``load_mnist(dtype="uint8")`` gives them.

    Returns
    -------
    ndarray of float64, the shape of X
        X / 255: the same values ``load_mnist()`` gives.
    """
    if not isinstance(X, np.ndarray) or X.dtype != np.uint8:
        received = f"an array of {X.dtype}" if isinstance(X, np.ndarray) else f"a {type(X).__name__}"
        raise PylibTypeError(f"X must be an array of uint8 pixels (0 to 255), as load_mnist(dtype='uint8') gives; "
                             f"received {received} (scaled pixels need no second scaling)")
    return X / 255.0


def one_hot(y, n_classes=10):
    """Turn labels into one-hot target columns.

    Parameters
    ----------
    y : array_like of int, shape (m,)
        Labels in 0 .. n_classes - 1.
    n_classes : int, default 10
        At most 1000.

    Returns
    -------
    Y : ndarray of float64, shape (n_classes, m)
        Y[k, i] is 1 where y[i] == k, else 0.
    """
    n_classes = as_n_classes(n_classes)
    labels = as_labels(y, "y", n_classes)
    Y_rows = np.zeros((labels.size, n_classes))      # built one example per row ...
    Y_rows[np.arange(labels.size), labels] = 1.0
    return Y_rows.T                                  # ... returned one per column (F-ordered)
