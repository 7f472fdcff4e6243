"""What the tools that fill a build/ folder from downloads share: their command line.

    args, out, cache = start_mirror(__doc__, "build/mathjax", argv)

parses ``--out`` (emptied and created) and ``--cache`` (where downloads are kept),
plus any ``extra`` options given as (flag, default, help).
"""

import argparse
import shutil
from pathlib import Path


def start_mirror(doc, default_out, argv=None, extra=()):
    """Parse the command line; return (args, the emptied --out folder, the --cache folder)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", default=default_out, help="folder to fill")
    parser.add_argument("--cache", default="build/downloads", help="where downloads are kept")
    for flag, default, text in extra:
        parser.add_argument(flag, default=default, help=text)
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return args, out, Path(args.cache)
