"""Test the pylib sources of this checkout (not some installed copy), plotting off-screen."""

import sys
from pathlib import Path

import matplotlib

SOURCE = Path(__file__).resolve().parents[1] / "src"
if str(SOURCE) not in sys.path:
    sys.path.insert(0, str(SOURCE))
matplotlib.use("Agg")
