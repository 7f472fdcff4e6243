"""The page runtime, _extensions/pycells/pycells.js, is the esbuild bundle of the ES modules in
_extensions/pycells/src/runtime/ (package.json's `build:runtime`, which `make js` runs): the
committed file is byte for byte what that build writes, and no module grows past 300 lines."""
import json
import shlex
import subprocess
from pathlib import Path

from missing_input import missing

REPO = Path(__file__).resolve().parents[2]
PYCELLS = REPO / "_extensions" / "pycells"
RUNTIME = PYCELLS / "pycells.js"
RUNTIME_SOURCES = PYCELLS / "src" / "runtime"
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
MOST_LINES = 300


def build_command(outfile: Path) -> list[str]:
    """package.json's `build:runtime`, with the pinned esbuild, writing to `outfile`."""
    words = shlex.split(json.loads((REPO / "package.json").read_text(encoding="utf-8"))["scripts"]["build:runtime"])
    assert words[0] == "esbuild", words
    committed = f"--outfile={RUNTIME.relative_to(REPO)}"
    assert committed in words, f"build:runtime does not write {RUNTIME.relative_to(REPO)}: {words}"
    return [str(ESBUILD), *(f"--outfile={outfile}" if word == committed else word for word in words[1:])]


def test_the_committed_runtime_is_the_bundle_of_its_modules(tmp_path):
    if not ESBUILD.is_file():
        missing(f"{ESBUILD.relative_to(REPO)} is missing: run `make setup` (its npm ci installs the pinned esbuild)")
    built = tmp_path / "pycells.js"
    # cwd: the bundle names each module by its path from here
    result = subprocess.run(build_command(built), cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert built.read_bytes() == RUNTIME.read_bytes(), (
        f"{RUNTIME.relative_to(REPO)} is not the bundle of {RUNTIME_SOURCES.relative_to(REPO)}/: "
        "edit the modules there, not the bundle, then run `make js`")


def test_each_runtime_module_is_short():
    modules = sorted([*RUNTIME_SOURCES.glob("*.js"), *RUNTIME_SOURCES.glob("*.mjs")])
    assert RUNTIME_SOURCES / "main.js" in modules
    lines = {module.name: len(module.read_text(encoding="utf-8").splitlines()) for module in modules}
    assert {name: count for name, count in lines.items() if count > MOST_LINES} == {}, \
        f"split a module of more than {MOST_LINES} lines by job: {lines}"
