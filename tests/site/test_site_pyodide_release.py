"""The Pyodide release is set once, in _extensions/pycells/engine.json; every file that names a
release in its prose (READMEs, the guide, the attribution page, comments, make's help) names that one."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from coursekit.mirrors import PYODIDE_VERSION
from fixture_projects import REPO

RELEASE_MENTION = re.compile(r"(?<![\w-])[Pp]yodide[ @]v?(\d+\.\d+\.\d+)\b")
TEXT_SUFFIXES = {".md", ".qmd", ".py", ".mjs", ".js", ".lua", ".txt", ".yml", ".json", ""}
# npm's lock, which names the packages it resolved, and this file, whose example names a stale release
NOT_PROSE = {"package-lock.json", Path(__file__).name}


def mentions():
    """(file, line number, release) for every "Pyodide X.Y.Z" or "pyodide@X.Y.Z" in the tracked files."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in tracked:
        path = REPO / name
        if path.name in NOT_PROSE or path.suffix not in TEXT_SUFFIXES or not path.is_file() or path.name.endswith(".bundle.js"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [(name, number, release) for release in RELEASE_MENTION.findall(line)]
    return found


def test_every_named_pyodide_release_is_the_one_in_engine_json():
    found = mentions()
    assert len(found) >= 10, found   # the READMEs, the guide and the attribution page do name it
    other = [f"{name}:{number}: Pyodide {release}" for name, number, release in found if release != PYODIDE_VERSION]
    assert not other, f"engine.json says {PYODIDE_VERSION}; these name another release:\n" + "\n".join(other)


def test_a_stale_mention_would_be_found():
    assert RELEASE_MENTION.findall("the page loads Pyodide 0.26.4, see pyodide@0.26.4") == ["0.26.4", "0.26.4"]
