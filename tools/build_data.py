"""Rebuild data/mnist.npz from the original MNIST IDX files.

    python -m tools.build_data --help    (from the repository folder; the code is coursekit/mnist_files.py)
"""
from coursekit.mnist_files import main

if __name__ == "__main__":
    raise SystemExit(main())
