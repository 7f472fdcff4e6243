import shutil

import numpy as np
import pytest

import pylib
from pylib import data as data_module

CANONICAL_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist():
    return pylib.load_mnist()


def test_load_mnist_gives_columns_of_pixels_in_unit_range(mnist):
    assert pylib.IMAGE_SHAPE == (14, 14)
    assert mnist.X_train.shape == (196, 60000) and mnist.X_test.shape == (196, 10000)
    assert mnist.y_train.shape == (60000,) and mnist.y_test.shape == (10000,)
    assert mnist.X_train.dtype == np.float64 and mnist.y_train.dtype == np.intp
    assert mnist.X_train.min() == 0.0 and mnist.X_train.max() == 1.0
    assert np.bincount(mnist.y_test).tolist() == CANONICAL_TEST_COUNTS
    levels = np.unique(mnist.X_test[:, :200])
    assert np.allclose(levels * 15, np.round(levels * 15))


def test_load_mnist_columns_are_the_stored_images(mnist):
    with np.load(data_module.find_mnist()) as stored:
        first = stored["test_images"][0]
    assert np.array_equal(mnist.X_test[:, 0].reshape(14, 14), first / 255.0)


def test_env_variable_points_at_the_file(tmp_path, monkeypatch):
    copy = tmp_path / "digits.npz"
    shutil.copyfile(data_module.find_mnist(), copy)
    monkeypatch.setenv("PYLIB_MNIST", str(copy))
    assert data_module.find_mnist() == copy


def test_missing_file_names_the_paths_and_the_fix(tmp_path):
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(FileNotFoundError) as error:
        pylib.load_mnist(missing)
    message = str(error.value)
    assert str(missing) in message and "make data" in message and "make wheel" in message


def test_default_search_lists_every_place_tried(monkeypatch, tmp_path):
    monkeypatch.setenv("PYLIB_MNIST", str(tmp_path / "a.npz"))
    monkeypatch.setattr(data_module, "candidate_paths",
                        lambda path=None: [tmp_path / "a.npz", tmp_path / "b.npz"])
    with pytest.raises(FileNotFoundError, match="a.npz.*b.npz"):
        pylib.load_mnist()


def test_truncated_file_is_reported_with_its_name(tmp_path):
    broken = tmp_path / "mnist.npz"
    broken.write_bytes(data_module.find_mnist().read_bytes()[:5000])
    with pytest.raises(ValueError) as error:
        pylib.load_mnist(broken)
    assert str(broken) in str(error.value) and "make data" in str(error.value)


def test_file_with_wrong_arrays_is_reported(tmp_path):
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, train_images=np.zeros((3, 28, 28), np.uint8), train_labels=np.zeros(3, np.uint8),
             test_images=np.zeros((2, 14, 14), np.uint8), test_labels=np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match=r"train_images must be uint8 of shape \(m, 14, 14\)"):
        pylib.load_mnist(wrong)
    np.savez(wrong, something_else=np.zeros(3))
    with pytest.raises(ValueError, match="lacks the arrays"):
        pylib.load_mnist(wrong)


def test_load_mnist_rejects_a_non_path():
    with pytest.raises(TypeError, match="str or pathlib.Path"):
        pylib.load_mnist(42)


def test_one_hot_puts_one_example_per_column():
    Y = pylib.one_hot(np.array([2, 0, 1]), 3)
    assert Y.shape == (3, 3)
    assert np.array_equal(Y, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    assert pylib.one_hot([9]).shape == (10, 1)


@pytest.mark.parametrize("labels, n_classes, error, text", [
    ([0, 10], 10, ValueError, "0 .. 9"),
    ([[0, 1]], 10, ValueError, r"shape \(m,\)"),
    ([-1], 10, ValueError, ">= 0"),
    ([0.5], 10, TypeError, "whole-number"),
    ("012", 10, TypeError, "integer labels"),
    ([0, 1], 0, ValueError, "positive int"),
    ([0, 1], 2.0, TypeError, "positive int"),
])
def test_one_hot_rejects_bad_labels(labels, n_classes, error, text):
    with pytest.raises(error, match=text):
        pylib.one_hot(labels, n_classes)


def test_a_second_load_gives_fresh_arrays_that_earlier_edits_do_not_reach(mnist):
    first = pylib.load_mnist()
    first.X_train[:, 0] = 7.0
    first.y_train[0] = 9 - first.y_train[0] if first.y_train[0] != 9 else 0
    second = pylib.load_mnist()
    np.testing.assert_array_equal(second.X_train[:, 0], mnist.X_train[:, 0])
    assert second.y_train[0] == mnist.y_train[0]


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "mnist.npz"
    shutil.copy(data_module.find_mnist(), path)
    pylib.load_mnist(path)
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["train_labels"] = arrays["train_labels"].copy()
    arrays["train_labels"][0] = (arrays["train_labels"][0] + 1) % 10
    np.savez_compressed(path, **arrays)
    assert pylib.load_mnist(path).y_train[0] == arrays["train_labels"][0]


def test_load_mnist_as_bytes_scales_to_the_float_arrays(mnist):
    as_bytes = pylib.load_mnist(dtype="uint8")
    assert as_bytes.X_train.dtype == np.uint8 and as_bytes.X_train.shape == mnist.X_train.shape
    assert as_bytes.X_test.shape == mnist.X_test.shape
    assert np.array_equal(as_bytes.y_train, mnist.y_train)
    block = pylib.scale_pixels(as_bytes.X_train[:, :500])
    assert block.dtype == np.float64
    assert np.array_equal(block, mnist.X_train[:, :500])        # exactly the same values
    assert np.array_equal(pylib.scale_pixels(as_bytes.X_test), mnist.X_test)


def test_load_mnist_as_bytes_gives_a_copy_the_next_load_does_not_see():
    first = pylib.load_mnist(dtype=np.uint8)
    first.X_train[:, 0] = 7
    assert not np.all(pylib.load_mnist(dtype="uint8").X_train[:, 0] == 7)


@pytest.mark.parametrize("dtype", ["float32", "bytes", "int64", 3])
def test_load_mnist_rejects_other_dtypes(dtype):
    with pytest.raises(pylib.PylibValueError, match="dtype must be one of"):
        pylib.load_mnist(dtype=dtype)


@pytest.mark.parametrize("X, received", [(np.ones((196, 2)), "float64"), ([[0, 255]], "list")])
def test_scale_pixels_wants_bytes(X, received):
    with pytest.raises(pylib.PylibTypeError, match=f"uint8 pixels.*received .*{received}"):
        pylib.scale_pixels(X)
