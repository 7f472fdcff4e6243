"""Write the site's service worker with its manifest (Quarto's post-render runs this).

    python -m tools.offline_cache --help    (from the repository folder; the code is coursekit/offline_cache.py)
"""
from coursekit.offline_cache import main

if __name__ == "__main__":
    raise SystemExit(main())
