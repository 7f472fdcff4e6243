"""Build the pylib wheel (with data/mnist.npz inside) reproducibly.

    python -m tools.build_wheel --out assets/wheels

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
COURSE_WHEEL = REPO / "assets" / "wheels" / WHEEL_NAME   # where `make wheel` puts it and the site serves it
SOURCE_DATE_EPOCH = "1580601600"  # 2020-02-02, hatchling's own default for reproducible builds
# what the wheel is made from: a wheel older than any of these is out of date
WHEEL_INPUTS = [PROJECT / "src", PROJECT / "pyproject.toml", PROJECT / "LICENSE", PROJECT / "LICENSE-MNIST-DATA",
                DATA, Path(__file__).resolve()]


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


def newest_change(paths):
    """The latest modification time of the files in ``paths`` (bytecode caches ignored)."""
    files = [f for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*"))]
    return max((f.stat().st_mtime for f in files
                if f.is_file() and "__pycache__" not in f.parts), default=0.0)


def is_stale(wheel):
    """True when ``wheel`` is missing or older than one of WHEEL_INPUTS."""
    wheel = Path(wheel)
    return not wheel.is_file() or wheel.stat().st_mtime < newest_change(WHEEL_INPUTS)


def sha256(path):
    """The hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="assets/wheels", help="folder to write the wheel to")
    args = parser.parse_args(argv)
    wheel = build_wheel(args.out)
    print(f"{wheel}  sha256 {sha256(wheel)}")

