"""Write each chapter as a Jupyter notebook (Quarto's pre-render runs this).

    python -m tools.chapter_notebooks --help    (from the repository folder; the code is coursekit/chapters.py)
"""
from coursekit.chapters import main

if __name__ == "__main__":
    raise SystemExit(main())
