"""Each page's cell outputs, made by the course build, for the page to show before its engine runs.

    python -m tools.build_outputs [--out _outputs] [PAGE.qmd ...]

For every page the site renders that has ```{pyodide} cells, runs its cells in
this CPython, in the order the chapter harness runs them (page-load cells first,
each exercise's solution in place of the exercise), through the pycells CPython
host (_extensions/pycells/hosts/cpython.py, the page's support code), and writes
<out>/<page path>.json: {"key", "page", "cells": {"<cell index>": {"code_sha1",
"outputs", "seconds"}}} for the cells of role "code". The pycells filter
(`pycells: outputs:` in _quarto.yml) puts each into its cell; it decides which
cells show one, and skips a record whose code is not the cell's code.

A page keeps its file while its cells, the wheels and the support code are
unchanged (the file's "key"), so a second render costs nothing here.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from coursekit import engines, website
from coursekit.chapters import ChapterError, executable_cells, parse_chapter, project_settings

REPO = Path(__file__).resolve().parents[1]
PYCELLS = REPO / "_extensions" / "pycells"
SUPPORT_FILES = [PYCELLS / "pycells_support.py", PYCELLS / "pycells_mpl_backend.py", engines.CPYTHON_HOST]
PAGE_TIMEOUT_S = 600


class BuildOutputsError(RuntimeError):
    """A page's cells could not be run (engine crash, time-out, missing wheel)."""


def page_wheels(root, page):
    """The wheel files the site's pages install (`pycells: wheels:`), as paths in the project."""
    wheels = [root / wheel.lstrip("/") for wheel in project_settings(root / page).get("wheels", [])]
    missing = [str(wheel.relative_to(root)) for wheel in wheels if not wheel.is_file()]
    if missing:
        raise BuildOutputsError(f"{page}: the wheels {missing} are missing: run `make wheel`")
    return wheels


def run_order(path):
    """A page's cells (ExecutableCell) in the harness's order."""
    return executable_cells(parse_chapter(path))


def cache_key(cells, wheels):
    digest = hashlib.sha256(json.dumps(engines.host_job(cells), sort_keys=True).encode())
    for path in [*wheels, *SUPPORT_FILES]:
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def record_page(cells, wheel_site):
    """Run every cell in a fresh CPython; return {"<index>": {"outputs", "seconds"}} for the cells of role "code"."""
    # the shipped digits, whatever this shell points pylib at
    env = {"OPENBLAS_NUM_THREADS": "1", "PYLIB_MNIST": None}
    run = engines.run_in_cpython(cells, "", wheel_site, PAGE_TIMEOUT_S, stop_at_error=False, env=env)
    if run.error or len(run.cells) < len(cells):
        raise BuildOutputsError(run.error or f"only {len(run.cells)} of {len(cells)} cells ran")
    return {str(cell_run.cell.position): {"outputs": cell_run.outputs, "seconds": round(cell_run.seconds, 3)}
            for cell_run in run.cells if cell_run.cell.role == "code"}


def write_atomically(target, text):
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)


def build_page(root, page, out, wheel_site_for):
    """Write (or keep) one page's outputs file; return "kept", "written" or "no cells"."""
    cells = run_order(root / page)
    if not cells:
        return "no cells"
    wheels = page_wheels(root, page)
    key = cache_key(cells, wheels)
    target = out / Path(page).with_suffix(".json")
    if target.is_file() and json.loads(target.read_text(encoding="utf-8")).get("key") == key:
        return "kept"
    records = record_page(cells, wheel_site_for(wheels))
    codes = {cell.position: cell.code for cell in cells}
    for index, record in records.items():
        record["code_sha1"] = hashlib.sha1(codes[int(index)].encode()).hexdigest()
        failed = [output for output in record["outputs"] if output["kind"] == "error"]
        if failed:
            last_line = failed[0]["text"].strip().splitlines()[-1]
            print(f"build_outputs: warning: {page} cell {index} raised {last_line}; the page shows that error",
                  file=sys.stderr)
    write_atomically(target, json.dumps({"key": key, "page": page, "cells": records}))
    return "written"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages (.qmd, relative to the project) (default: every page of the site)")
    parser.add_argument("--out", type=Path, default=REPO / "_outputs", help="folder for the outputs (default _outputs/)")
    args = parser.parse_args(argv)
    pages = args.pages or website.site_pages(REPO, website.load_config(REPO, None))
    sites = {}

    def wheel_site_for(wheels):
        key = tuple(wheels)
        if key not in sites:
            sites[key] = engines.wheel_site(wheels, Path(scratch) / f"site-{len(sites)}")
        return sites[key]

    with tempfile.TemporaryDirectory(prefix="build-outputs-site-") as scratch:
        for page in pages:
            try:
                outcome = build_page(REPO, page, args.out, wheel_site_for)
            except (ChapterError, BuildOutputsError) as error:
                sys.exit(f"build_outputs: error: {page}: {error}")
            print(f"build_outputs: {page}: {outcome}")
    return 0
