"""What the tools that fill a build/ folder from downloads share: their command line, and
Pyodide's npm package.

    args, out, cache = start_mirror(__doc__, "build/mathjax", argv)

parses ``--out`` (emptied and created) and ``--cache`` (where downloads are kept),
plus any ``extra`` options given as (flag, default, help).
"""

import argparse
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

# the Pyodide release the pycells extension is built and tested with
PYODIDE_VERSION = json.loads((Path(__file__).resolve().parents[1] / "_extensions" / "pycells" / "engine.json")
                             .read_text(encoding="utf-8"))["pyodide"]
PYODIDE_NPM_PACKAGE = f"pyodide@{PYODIDE_VERSION}"


def pyodide_tarball(cache):
    """The npm package of Pyodide (engine files and the official lock), downloaded into `cache` once."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.is_file():
        subprocess.run(["npm", "pack", PYODIDE_NPM_PACKAGE, "--silent"], cwd=cache, check=True)
    return tarball


def official_lock(cache):
    """Pyodide's official pyodide-lock.json (a dict), from its npm package."""
    with tarfile.open(pyodide_tarball(cache)) as archive:
        return json.loads(archive.extractfile("package/pyodide-lock.json").read())


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
