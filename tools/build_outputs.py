"""Run every page's cells in CPython and keep their outputs for the pages (Quarto's pre-render runs this).

    python -m tools.build_outputs --help    (from the repository folder; the code is coursekit/build_outputs.py)
"""
from coursekit.build_outputs import main

if __name__ == "__main__":
    raise SystemExit(main())
