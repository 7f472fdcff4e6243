"""Render the course site into _site/ with Quarto (or the pandoc fallback), or preview it.

    python -m tools.render_site --help    (from the repository folder; the code is coursekit/website.py)
"""
from coursekit.website import main

if __name__ == "__main__":
    raise SystemExit(main())
