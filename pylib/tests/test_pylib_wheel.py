"""The wheel: reproducible, carries the data, installs and works in a fresh virtual environment."""

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
WHEEL = "pylib-0.1.0-py3-none-any.whl"

pytestmark = pytest.mark.native_only(reason="builds the wheel and installs it into a venv, "
                                            "in subprocesses, from the repo's sources")


def build(out):
    result = subprocess.run([sys.executable, "-m", "tools.build_wheel", "--out", str(out)],
                            capture_output=True, text=True, check=True, cwd=REPO)
    wheel = out / WHEEL
    assert str(wheel) in result.stdout
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert digest in result.stdout
    return wheel, digest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build(tmp_path_factory.mktemp("wheel"))


def test_two_builds_give_the_same_bytes(wheel, tmp_path):
    assert build(tmp_path)[1] == wheel[1]


def test_wheel_carries_the_package_and_the_data(wheel):
    with zipfile.ZipFile(wheel[0]) as archive:
        names = archive.namelist()
        assert archive.read("pylib/data/mnist.npz") == (REPO / "data" / "mnist.npz").read_bytes()
        metadata = archive.read("pylib-0.1.0.dist-info/METADATA").decode()
    for module in ("__init__", "data", "linalg", "checks", "drawing", "training", "softmax_net"):
        assert f"pylib/{module}.py" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert "Requires-Dist: numpy" in metadata and "Requires-Python: >=3.11" in metadata


def test_wheel_installs_and_loads_its_own_data_in_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    venv_python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv_python), "install", "--quiet",
                    "--no-index", "--no-deps", str(wheel[0])], check=True)
    # numpy is the one dependency; offline, lend the parent's copy (and only it) to the venv
    lent = tmp_path / "lent"
    lent.mkdir()
    numpy_dir = Path(np.__file__).parent
    for name in ("numpy", "numpy.libs"):
        if (numpy_dir.parent / name).exists():
            (lent / name).symlink_to(numpy_dir.parent / name)
    env = {key: value for key, value in os.environ.items() if key not in ("PYLIB_MNIST", "PYTHONPATH")}
    env["PYTHONPATH"] = str(lent)
    script = ("import pylib, pylib.data; d = pylib.load_mnist(); "
              "print(pylib.__file__); print(pylib.data.find_mnist()); print(d.X_train.shape, d.y_test[:5])")
    result = subprocess.run([str(venv_python), "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    package_file, data_file, summary = result.stdout.splitlines()
    assert package_file.startswith(str(venv)) and data_file.startswith(str(venv))
    assert data_file.endswith("pylib/data/mnist.npz")
    assert summary == "(196, 60000) [7 2 1 0 4]"
