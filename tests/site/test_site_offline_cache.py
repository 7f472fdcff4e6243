"""The service worker's manifest (coursekit/offline_cache.py) on small rendered sites: what it
caches, what it leaves out, and a version that follows the files."""
from __future__ import annotations

import json
import re

import pytest

from coursekit import offline_cache

LOCK = {
    "info": {"version": "0.27.7"},
    "packages": {
        "numpy": {"file_name": "numpy.whl", "imports": ["numpy"], "depends": [], "sha256": "n"},
        "matplotlib": {"file_name": "mpl.whl", "imports": ["matplotlib"], "depends": ["pillow"], "sha256": "m"},
        "pillow": {"file_name": "pillow.whl", "imports": ["PIL"], "depends": [], "sha256": "p"},
        "scipy": {"file_name": "scipy.whl", "imports": ["scipy"], "depends": [], "sha256": "s"},
    },
}


def page(cells, packages=("numpy",), engine="../pyodide/"):
    config = {"engineUrl": engine, "packages": list(packages), "wheels": [],
              "cells": [{"code": code} for code in cells]}
    return (f'<html><head><script src="https://cdn.example.invalid/mathjax.js"></script></head><body>'
            f'<script type="application/json" id="pycells-config">{json.dumps(config)}</script></body></html>')


@pytest.fixture
def site(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.html").write_text(page(["import matplotlib.pyplot as plt", "x = ______"]))
    (tmp_path / "index.html").write_text("<html>no cells</html>")
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "scipy.whl").write_text("not needed by any page")
    return tmp_path


def test_the_manifest_lists_the_site_and_the_engine_the_pages_need(site):
    found = offline_cache.manifest(site, LOCK)
    assert found["files"] == ["chapters/one.html", "index.html",
                              *[f"pyodide/{name}" for name in offline_cache.ENGINE_CORE],
                              "pyodide/mpl.whl", "pyodide/numpy.whl", "pyodide/pillow.whl"]
    assert found["extras"] == ["https://cdn.example.invalid/mathjax.js"]


def test_a_changed_file_changes_the_version(site):
    before = offline_cache.manifest(site, LOCK)["version"]
    (site / "index.html").write_text("<html>changed</html>")
    assert offline_cache.manifest(site, LOCK)["version"] != before


def test_an_engine_on_a_cdn_is_listed_by_its_urls(site):
    cdn = "https://cdn.example.invalid/pyodide/"
    (site / "chapters" / "one.html").write_text(page(["import numpy"], engine=cdn))
    files = offline_cache.manifest(site, LOCK)["files"]
    assert f"{cdn}numpy.whl" in files and "pyodide/scipy.whl" in files   # the site's own folder is a file like any


def test_the_worker_is_written_with_its_manifest(site):
    found = offline_cache.write_worker(site, LOCK)
    source = (site / offline_cache.WORKER_NAME).read_text()
    line = re.search(r"^const MANIFEST = (.*);$", source, re.M)
    assert json.loads(line.group(1)) == found
    assert offline_cache.WORKER_NAME not in found["files"]


def test_a_page_asking_for_a_package_pyodide_lacks_is_an_error(site):
    (site / "chapters" / "one.html").write_text(page(["pass"], packages=("numpy", "tensorflow")))
    with pytest.raises(offline_cache.OfflineCacheError, match=r"Pyodide does not have: \['tensorflow'\]"):
        offline_cache.manifest(site, LOCK)


def test_a_site_without_cells_is_an_error(tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    with pytest.raises(offline_cache.OfflineCacheError, match="no page with pycells cells"):
        offline_cache.manifest(tmp_path, LOCK)
