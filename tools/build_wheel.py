"""Build the pylib wheel (with data/mnist.npz inside) reproducibly.

    python tools/build_wheel.py --out assets/wheels

Builds pylib/ with hatchling (already installed, so no isolated build
environment and no network), with a fixed SOURCE_DATE_EPOCH so that the same
sources always give the same bytes, then prints the wheel's path and sha256.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "pylib"
DATA = REPO / "data" / "mnist.npz"
WHEEL_NAME = "pylib-0.1.0-py3-none-any.whl"
SOURCE_DATE_EPOCH = "1580601600"  # 2020-02-02, hatchling's own default for reproducible builds


def build_wheel(out_dir):
    """Build the wheel into ``out_dir``; return its path."""
    if not DATA.is_file():
        sys.exit(f"{DATA} is missing; run `make data` first (the wheel carries the digits)")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", scratch, str(PROJECT)]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"building the wheel failed:\n{result.stdout}\n{result.stderr}")
        built = Path(scratch) / WHEEL_NAME
        if not built.is_file():
            sys.exit(f"the build did not produce {WHEEL_NAME}; it made {sorted(os.listdir(scratch))}")
        target = out_dir / WHEEL_NAME
        shutil.copyfile(built, target)
    return target


def sha256(path):
    """The hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="assets/wheels", help="folder to write the wheel to")
    args = parser.parse_args(argv)
    wheel = build_wheel(args.out)
    print(f"{wheel}  sha256 {sha256(wheel)}")


if __name__ == "__main__":
    main()
