"""`make clean` removes every build product .gitignore lists and keeps the set-up (the venv, npm's
packages, the downloads) and the committed data."""
from __future__ import annotations

import shutil
import subprocess

from fixture_projects import REPO

KEPT = {".venv", "node_modules", "build/downloads"}


def ignored_folders():
    """The folders .gitignore names from the project root ("/_site/" -> "_site")."""
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [line.strip("/") for line in lines if line.startswith("/") and line.endswith("/")]


def test_make_clean_removes_every_build_product_and_keeps_the_set_up(tmp_path):
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    built = [name for name in ignored_folders() if name not in KEPT and name != "build"]
    built += ["build/pyodide", "build/pyodide-test-wheels", "build/screenshots", "build/bench.json"]
    for name in [*built, *KEPT, "data"]:
        target = tmp_path / name
        if target.suffix == ".json":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("{}")
        else:
            (target / "inside").mkdir(parents=True)
    (tmp_path / "data" / "mnist.npz").write_bytes(b"digits")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [name for name in built if (tmp_path / name).exists()] == []
    assert all((tmp_path / name).is_dir() for name in KEPT)
    assert (tmp_path / "data" / "mnist.npz").read_bytes() == b"digits"
