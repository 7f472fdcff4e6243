import sys

import numpy as np
import pytest

import pylib
from pylib import linalg


@pytest.fixture
def backend():
    yield pylib.set_matmul_backend
    pylib.set_matmul_backend("auto")


def layouts(M):
    """The same matrix as C-ordered, F-ordered, a transposed view and a strided slice."""
    wide = np.zeros((M.shape[0], 2 * M.shape[1]))
    wide[:, ::2] = M
    return [M, np.asfortranarray(M), np.ascontiguousarray(M.T).T, wide[:, ::2]]


def test_blas_and_numpy_routes_agree_for_every_layout(backend):
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(7, 5)), rng.normal(size=(5, 3))
    backend("blas")
    assert pylib.get_matmul_backend() == "blas"
    for left in layouts(A):
        for right in layouts(B):
            C = pylib.matmul(left, right)
            assert C.shape == (7, 3) and C.flags.c_contiguous
            assert np.allclose(C, A @ B, rtol=1e-13, atol=1e-13)


def test_blas_route_copies_no_contiguous_input(monkeypatch, backend):
    backend("blas")
    seen = []
    real = linalg._dgemm()
    monkeypatch.setitem(linalg._state, "dgemm",
                        lambda alpha, a, b, **kw: seen.append((a, b)) or real(alpha, a, b, **kw))
    A, B = np.ones((4, 3)), np.asfortranarray(np.ones((3, 2)))
    pylib.matmul(A, B)
    a, b = seen[0]
    assert a.flags.f_contiguous and b.flags.f_contiguous
    assert np.shares_memory(a, B) and np.shares_memory(b, A)


def test_training_gives_the_same_network_on_both_routes(backend):
    rng = np.random.default_rng(1)
    X, y = rng.random((20, 200)), rng.integers(0, 4, 200)
    params = {}
    for name in ("numpy", "blas"):
        backend(name)
        net = pylib.SoftmaxNetwork(20, 8, n_classes=4)
        pylib.train(net, X, pylib.one_hot(y, 4), epochs=3, learning_rate=0.5, batch_size=32, momentum=0.9,
                    on_epoch=None)
        params[name] = net.params
    for name in params["numpy"]:
        assert np.allclose(params["numpy"][name], params["blas"][name], rtol=1e-9, atol=1e-12)


def test_auto_uses_blas_in_pyodide_and_numpy_elsewhere(backend):
    backend("auto")
    assert pylib.get_matmul_backend() == ("blas" if sys.platform == "emscripten" else "numpy")


def test_matmul_handles_empty_products(backend):
    backend("blas")
    assert pylib.matmul(np.ones((0, 3)), np.ones((3, 2))).shape == (0, 2)


def test_matmul_reports_bad_inputs(backend):
    with pytest.raises(ValueError, match=r"received A of shape \(2, 3\) and B of shape \(2, 3\)"):
        pylib.matmul(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        pylib.matmul(np.ones((2, 2)), np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="2-D array"):
        pylib.matmul(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match="backend must be one of"):
        backend("gpu")


def test_automatic_route_looks_again_for_scipy_when_training_starts(monkeypatch, backend):
    monkeypatch.setattr(linalg.sys, "platform", "linux")
    backend("auto")
    assert pylib.get_matmul_backend() == "numpy"          # outside the browser: NumPy
    monkeypatch.setattr(linalg.sys, "platform", "emscripten")
    assert pylib.get_matmul_backend() == "numpy"          # the settled route is kept ...
    linalg.refresh_matmul_route()
    assert pylib.get_matmul_backend() == "blas"           # ... until looked at again, as train() does
