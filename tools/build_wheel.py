"""Build the pylib wheel (it carries data/mnist.npz) reproducibly.

    python -m tools.build_wheel --help    (from the repository folder; the code is coursekit/wheel.py)
"""
from coursekit.wheel import main

if __name__ == "__main__":
    raise SystemExit(main())
