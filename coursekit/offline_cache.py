"""Write the site's service worker, which keeps the site and its engine in the reader's browser.

    python -m tools.offline_cache [SITE_DIR]     (Quarto's post-render runs it; default: the
                                                   render's output folder, else _site)

The worker's code is the pycells extension's (_extensions/pycells/pycells-sw.js); this
module writes its copy to SITE_DIR/pycells-sw.js with the site's manifest:

* files: every file of the rendered site (but the engine folder of the offline
  profile, of which only what the pages need is listed), and the engine: its core
  files and the Pyodide packages the pages load, with their dependencies, read from
  Pyodide's lock (the mirror's, else the official one from the pinned npm package):
  the packages each page lists,
  and those its cells import;
* extras: the third-party scripts the pages load (MathJax from a CDN);
* version: a hash of all of it, so that a new build replaces the cache.

Pages register the worker through the `pycells: service-worker:` site setting.
"""

import argparse
import ast
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

from coursekit.chapters import PAGE_CONFIG
from coursekit.mirrors import official_lock

REPO = Path(__file__).resolve().parents[1]
WORKER_SOURCE = REPO / "_extensions" / "pycells" / "pycells-sw.js"
WORKER_NAME = "pycells-sw.js"
LOCK = REPO / "build" / "pyodide" / "pyodide-lock.json"
DOWNLOADS = REPO / "build" / "downloads"
ENGINE_CORE = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
MANIFEST_LINE = re.compile(r"^const MANIFEST = .*;.*$", re.MULTILINE)
THIRD_PARTY_SCRIPT = re.compile(r'<script[^>]+src="(https://[^"]+)"')
SITE_ROOT = "https://site.invalid/"   # a stand-in origin for resolving page-relative URLs


class OfflineCacheError(RuntimeError):
    """The manifest cannot be written (no pages with cells, no lock file)."""


def imported_modules(code):
    """Top-level module names a cell imports (none for code that does not parse, as an exercise)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def page_configs(site_dir):
    """{page path in the site: its pycells config} for every page with cells."""
    configs = {}
    for page in sorted(site_dir.rglob("*.html")):
        match = PAGE_CONFIG.search(page.read_text(encoding="utf-8"))
        if match:
            configs[page.relative_to(site_dir).as_posix()] = json.loads(match.group(1))
    return configs


def engine_base(configs):
    """The engine's URL, relative to the site root (offline profile) or absolute (a CDN)."""
    bases = {urljoin(urljoin(SITE_ROOT, page), config["engineUrl"]) for page, config in configs.items()}
    if len(bases) != 1:
        raise OfflineCacheError(f"the pages load the engine from different places: {sorted(bases)}")
    base = bases.pop()
    return base[len(SITE_ROOT):] if base.startswith(SITE_ROOT) else base


def needed_packages(configs, lock):
    """The lock's names of every package a page lists or a cell imports, with their dependencies."""
    by_import = {module: name for name, entry in lock["packages"].items() for module in entry.get("imports", [])}
    wanted = set()
    for config in configs.values():
        wanted |= {name.lower() for name in config["packages"]}
        for cell in config["cells"]:
            wanted |= {by_import[module] for module in imported_modules(cell["code"]) if module in by_import}
    unknown = sorted(name for name in wanted if name not in lock["packages"])
    if unknown:
        raise OfflineCacheError(f"the pages list packages Pyodide does not have: {unknown}")
    needed, todo = set(), list(wanted)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo += lock["packages"][name]["depends"]
    return sorted(needed)


def site_files(site_dir, skip_folder):
    files = []
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if path.is_file() and relative != WORKER_NAME and not (skip_folder and relative.startswith(skip_folder)):
            files.append(relative)
    return files


def engine_lock():
    """Pyodide's lock: the mirror's (`make mirror`), else the official one from its npm package."""
    if LOCK.is_file():
        return json.loads(LOCK.read_text(encoding="utf-8"))
    return official_lock(DOWNLOADS)


def manifest(site_dir, lock):
    """{"version", "files", "extras"} for the site in `site_dir`, the engine's packages read from `lock`."""
    configs = page_configs(site_dir)
    if not configs:
        raise OfflineCacheError(f"{site_dir} has no page with pycells cells")
    base = engine_base(configs)
    packages = needed_packages(configs, lock)
    engine = [base + name for name in ENGINE_CORE] + [base + lock["packages"][name]["file_name"] for name in packages]
    own = site_files(site_dir, None if "://" in base else base)
    digest = hashlib.sha256(json.dumps(lock["info"]).encode())
    for relative in own:
        digest.update(relative.encode() + (site_dir / relative).read_bytes())
    for name in packages:
        digest.update(lock["packages"][name]["sha256"].encode())
    extras = sorted({url for page in configs for url in
                     THIRD_PARTY_SCRIPT.findall((site_dir / page).read_text(encoding="utf-8"))})
    return {"version": digest.hexdigest()[:16], "files": own + engine, "extras": extras}


def write_worker(site_dir, lock):
    """Write SITE_DIR/pycells-sw.js; return its manifest."""
    found = manifest(site_dir, lock)
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    if not MANIFEST_LINE.search(source):
        raise OfflineCacheError(f"{WORKER_SOURCE} has no `const MANIFEST = ...;` line to fill in")
    line = f"const MANIFEST = {json.dumps(found)};"
    (site_dir / WORKER_NAME).write_text(MANIFEST_LINE.sub(lambda _: line, source, count=1), encoding="utf-8")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path,
                        default=Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site")),
                        help="the rendered site (default: Quarto's output folder, else _site)")
    args = parser.parse_args(argv)
    try:
        found = write_worker(args.site.resolve(), engine_lock())
    except OfflineCacheError as error:
        sys.exit(f"offline_cache: error: {error}")
    print(f"offline_cache: {args.site / WORKER_NAME}: {len(found['files'])} files, version {found['version']}")
    return 0
