"""Matrix products that stay fast in the browser.

Pyodide's NumPy computes ``A @ B`` without an optimised BLAS, which makes
training in a browser tab several times slower than it needs to be. SciPy's
Pyodide build does ship a BLAS, so under Pyodide `matmul` calls
``scipy.linalg.blas.dgemm``; everywhere else it is plain ``A @ B``.

Fortran's dgemm reads column-major (F-ordered) arrays. A C-ordered NumPy array
is the F-ordered storage of its own transpose, so instead of copying we hand
dgemm the transposes and compute the transposed product::

    C.T = B.T @ A.T      (each .T is a free view in F order)

dgemm writes C.T in F order, which is C itself in C order: no copy anywhere.
"""

import sys

import numpy as np

from .validation import PylibValueError, as_matrix

BACKENDS = ("auto", "numpy", "blas")
_state = {"backend": "auto", "route": None}


def set_matmul_backend(name):
    """Choose how `matmul` multiplies.

    Parameters
    ----------
    name : {"auto", "numpy", "blas"}
        "numpy" uses ``A @ B``; "blas" calls scipy's dgemm (scipy must be
        installed); "auto" (the default) uses BLAS under Pyodide when scipy
        imports, else NumPy.
    """
    if not isinstance(name, str) or name not in BACKENDS:
        raise PylibValueError(f"backend must be one of {BACKENDS}; received {name!r}")
    if name == "blas" and _dgemm() is None:
        raise PylibValueError("backend 'blas' needs scipy; install it (in Pyodide: load the 'scipy' package)")
    _state["backend"] = name
    _state["route"] = None


def get_matmul_backend():
    """Return the route `matmul` takes right now: "numpy" or "blas"."""
    if _state["route"] is None:
        if _state["backend"] == "auto":
            use_blas = sys.platform == "emscripten" and _dgemm() is not None
            _state["route"] = "blas" if use_blas else "numpy"
        else:
            _state["route"] = _state["backend"]
    return _state["route"]


def _dgemm():
    """scipy's double-precision matrix product, or None without scipy."""
    if _state.get("dgemm") is None:
        try:
            from scipy.linalg.blas import dgemm
        except ImportError:
            dgemm = None
        _state["dgemm"] = dgemm
    return _state["dgemm"]


def refresh_matmul_route():
    """Look again for scipy if the automatic route settled on NumPy.

    A browser page may install scipy after pylib first multiplied; `train`
    calls this at its start so that training picks up the faster route.
    """
    if _state["backend"] == "auto" and _state["route"] == "numpy":
        _state["route"] = None


def matmul(A, B):
    """The matrix product ``A @ B`` through the fastest route available.

    Parameters
    ----------
    A : ndarray, shape (n, k)
    B : ndarray, shape (k, m)

    Returns
    -------
    ndarray of float64, shape (n, m), C-ordered on both routes.
    """
    A = as_matrix(A, "A")
    B = as_matrix(B, "B")
    if A.shape[1] != B.shape[0]:
        raise PylibValueError(
            f"matmul needs A's columns to equal B's rows; received A of shape {A.shape} and B of shape {B.shape} "
            f"({A.shape[1]} != {B.shape[0]})"
        )
    return product(A, B)


def product(A, B):
    """`matmul` without input checks: the models' inner loops call this.

    A and B must already be 2-D float64 arrays with matching inner sizes.
    """
    if get_matmul_backend() == "numpy" or 0 in A.shape or 0 in B.shape:
        return A @ B
    return _blas_matmul(A, B)


def _blas_matmul(A, B):
    """``A @ B`` by dgemm, computing C.T = B.T @ A.T on F-ordered views."""
    left, trans_left = _fortran_view_of_transpose(B)
    right, trans_right = _fortran_view_of_transpose(A)
    C_transposed = _dgemm()(1.0, left, right, trans_a=trans_left, trans_b=trans_right)
    return C_transposed.T


def _fortran_view_of_transpose(M):
    """Return (array, trans) such that op(array) == M.T with array F-ordered.

    A C-ordered M gives M.T as an F-ordered view (trans 0); an F-ordered M is
    passed as it is with trans 1; anything else (a strided slice) is copied once.
    """
    if M.flags.c_contiguous:
        return M.T, 0
    if M.flags.f_contiguous:
        return M, 1
    return np.ascontiguousarray(M).T, 0

