"""Test the pylib sources of this checkout (not some installed copy), plotting off-screen.

In Pyodide (coursekit/pylib_in_pyodide.py) only this folder is mounted, so there
the tests import the installed wheel; tests marked ``native_only`` are deselected.
"""

import sys
from pathlib import Path

import matplotlib

SOURCE = Path(__file__).resolve().parents[1] / "src"
if str(SOURCE) not in sys.path:
    sys.path.insert(0, str(SOURCE))
matplotlib.use("Agg")


def pytest_configure(config):
    config.addinivalue_line("markers", "native_only(reason): needs CPython outside the browser "
                                       "(processes, a venv, the repo); not run in Pyodide")
