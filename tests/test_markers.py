"""`make test-fast` (pytest -m "not slow") leaves out every test that starts Quarto, a browser,
Pyodide or a chapter run, and keeps the rest."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def collected(marker):
    listing = subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", "-m", marker, "-p", "no:cacheprovider"],
                             capture_output=True, text=True, cwd=REPO).stdout
    return {line.split("::")[0] for line in listing.splitlines() if "::" in line}


def test_the_fast_layer_starts_no_browser_quarto_or_pyodide():
    fast = collected("not slow")
    heavy = [path for path in fast if path.startswith(("tests/browser/", "tests/quarto/", "tests/pyodide/"))
             or path.endswith("test_chapters_run.py")]
    assert heavy == [], f"the fast layer runs {heavy}"
    assert {"pylib/tests/test_pylib_training.py", "tests/site/test_site_render.py", "tests/data/test_data_mnist.py"} <= fast
