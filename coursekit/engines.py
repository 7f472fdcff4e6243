"""Run a chapter's executable cells in CPython or in Pyodide (Node), through the pycells hosts.

Both hosts (_extensions/pycells/hosts/) run the cells as a page's engine runs them: one by one in
one namespace, through the page's support code, with each cell's settings (figure size, envir,
warning) and its file name from the page config. Here they stop at the first failing cell, and
the result is a ChapterRun whose tracebacks point at the chapter's .qmd lines.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOSTS = REPO / "_extensions" / "pycells" / "hosts"
CPYTHON_HOST = HOSTS / "cpython.py"
NODE_HOST = HOSTS / "node.mjs"
PYODIDE_MIRROR = REPO / "build" / "pyodide"
PYODIDE_BUDGET_SECONDS = 15.0
STARTUP_STEPS = ("boot", "packages", "page_packages")  # what the Node host's timings hold, in seconds
# Where a traceback names a cell's code: File "<cell 4>", line 2 (the page config's file names).
CELL_LOCATION = re.compile(r'File "(?P<key><[^">]+>)", line (?P<line>\d+)')


@dataclass
class CellRun:
    """One executed cell: ``traceback`` is already mapped to .qmd lines; ``stdout`` is as a reader
    sees it (a line redrawn with "\\r", such as a progress bar, in its last state). ``heap_bytes``:
    Pyodide's WebAssembly memory once the cell had run (None from CPython)."""

    cell: object
    ok: bool
    seconds: float
    traceback: str = ""
    stdout: str = ""
    outputs: list = field(default_factory=list)
    heap_bytes: int | None = None


@dataclass
class ChapterRun:
    """What an engine did with a chapter's cells.

    planned : how many cells should have run.
    error : a problem outside any cell (engine did not start, timed out).
    """

    engine: str
    chapter: str
    planned: int
    cells: list = field(default_factory=list)
    startup: dict = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self):
        return not self.error and len(self.cells) == self.planned and all(c.ok for c in self.cells)

    def failure_report(self):
        """Names the chapter, the failing cell and its .qmd line, with the traceback."""
        lines = [f"{self.chapter} failed in {self.engine}."]
        if self.error:
            lines.append(self.error)
        failed = next((run for run in self.cells if not run.ok), None)
        if failed:
            lines.append(f"Failing cell: {failed.cell.describe()}")
            if failed.stdout.strip():
                tail = failed.stdout.strip().splitlines()[-20:]
                lines += ["Its output (last lines):", *("  " + line for line in tail)]
            lines.append(failed.traceback.rstrip())
        elif len(self.cells) < self.planned and not self.error:
            lines.append(f"only {len(self.cells)} of {self.planned} cells ran")
        return "\n".join(lines)

    def slow_cells(self, budget):
        return [run for run in self.cells if run.seconds > budget]

    def time_table(self, budget=None):
        """A printable per-cell time table (and WARNING lines for cells over ``budget``)."""
        startup = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.startup.items())
        lines = [f"{self.engine}  {self.chapter}" + (f"  (startup: {startup})" if startup else ""),
                 f"  {'cell':>4}  {'label':<24} {'line':>5}  {'role':<9} {'seconds':>8}  status"]
        for run in self.cells:
            cell = run.cell
            lines.append(f"  {cell.position:>4}  {str(cell.label or ''):<24} {cell.code_line:>5}"
                         f"  {cell.role:<9} {run.seconds:>8.2f}  {'ok' if run.ok else 'FAILED'}")
        total = sum(run.seconds for run in self.cells) + sum(self.startup.values())
        lines.append(f"  total {total:.2f} s for {len(self.cells)}/{self.planned} cells")
        for run in self.slow_cells(budget) if budget else []:
            lines.append(f"WARNING: {run.cell.describe()} took {run.seconds:.1f} s in "
                         f"{self.engine} (budget {budget:.0f} s)")
        return "\n".join(lines)


def map_traceback(text, pattern, cell_for):
    """Rewrite cell-relative locations matched by ``pattern`` into .qmd file and line.

    pattern : regex with groups ``key`` (which cell) and ``line`` (line in the cell).
    cell_for : key (str) -> ExecutableCell, or None when the key is unknown.
    """
    def to_qmd(match):
        cell = cell_for(match["key"])
        if cell is None:
            return match[0]
        line = cell.qmd_line(int(match["line"]))
        return f'File "{cell.chapter}", line {line} ({cell.name})'
    return pattern.sub(to_qmd, text)


def wheel_site(wheels, target):
    """``pip install --target`` the wheels (no dependencies); return the folder for PYTHONPATH."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "--target", str(target), *map(str, wheels)],
                   check=True)
    return Path(target)


def host_job(cells, stop_at_error=True):
    """The job both hosts run: each cell's file name, code and settings, in order."""
    return {"cells": [{"file": cell.file, "code": cell.code, "settings": cell.settings} for cell in cells],
            "stop_at_error": stop_at_error}


def run_host(command, job, timeout, env=None):
    """Run a host on ``job``; return (its result, a problem outside the cells or "")."""
    with tempfile.TemporaryDirectory(prefix="pycells-host-") as workdir:
        job_path, result_path = Path(workdir, "job.json"), Path(workdir, "result.json")
        job_path.write_text(json.dumps(job), encoding="utf-8")
        problem = ""
        try:
            process = subprocess.run([*command, str(job_path), str(result_path)], capture_output=True,
                                     text=True, timeout=timeout, env=env, cwd=workdir)
            if process.returncode not in (0, 1):
                problem = f"the host exited with {process.returncode}:\n{process.stderr[-3000:]}"
        except subprocess.TimeoutExpired:
            problem = f"the host was stopped after {timeout} s"
        result = json.loads(result_path.read_text(encoding="utf-8")) if result_path.exists() else {}
    return result, result.get("error") or problem


def stream_text(outputs, kind):
    """A stream's text in a cell's outputs (which both hosts record as the page shows it)."""
    return "".join(output["text"] for output in outputs if output["kind"] == kind)


def chapter_run(engine, chapter, cells, result, problem):
    """A ChapterRun from a host's result, its tracebacks mapped to .qmd lines."""
    run = ChapterRun(engine, chapter, len(cells), error=problem)
    run.startup = {step: result["startup"][step] for step in STARTUP_STEPS if step in result.get("startup", {})}
    by_file = {cell.file: cell for cell in cells}
    for cell, record in zip(cells, result.get("cells", [])):
        errors = [output["text"] for output in record["outputs"] if output["kind"] == "error"]
        traceback = "\n".join(errors)
        if not record["ok"] and not errors:
            traceback = f"Python itself stopped while this cell ran. {problem}".strip()
        run.cells.append(CellRun(cell, record["ok"], record["seconds"],
                                 map_traceback(traceback, CELL_LOCATION, by_file.get),
                                 stream_text(record["outputs"], "stdout"), record["outputs"],
                                 record.get("heap_bytes")))
    return run


CPYTHON_COMMAND = [sys.executable, str(CPYTHON_HOST)]
NODE_COMMAND = ["node", str(NODE_HOST)]


def node_job(cells, packages, wheels, stop_at_error=True):
    """The Node host's job: the cells, with the local Pyodide, the page's packages and the wheel files."""
    return {**host_job(cells, stop_at_error), "indexURL": f"{PYODIDE_MIRROR}/", "packages": list(packages),
            "wheels": [str(Path(w).resolve()) for w in wheels]}


def run_in_cpython(cells, chapter, site_dir, timeout=300, stop_at_error=True, env=None):
    """Run ``cells`` in a fresh CPython of this venv through the CPython host, ``site_dir`` (the
    wheels, installed) first on its path. ``env``: variables to set, or with None to unset."""
    python_path = os.pathsep.join(filter(None, [str(site_dir), os.environ.get("PYTHONPATH")]))
    changes = {"PYTHONPATH": python_path, **(env or {})}
    env = {name: value for name, value in {**os.environ, **changes}.items() if value is not None}
    result, problem = run_host(CPYTHON_COMMAND, host_job(cells, stop_at_error), timeout, env)
    return chapter_run("CPython", chapter, cells, result, problem)


def run_in_pyodide(cells, chapter, packages, wheels, timeout=300, stop_at_error=True):
    """Run ``cells`` in Pyodide under Node through the Node host and the page's engine.

    packages : the page's packages, as its config lists them (numpy first); the engine installs
        numpy and ``wheels`` before the first cell and the others after it (or before it, when
        it imports them), as on a page.
    wheels : wheel files, installed as the page installs its wheels.
    """
    result, problem = run_host(NODE_COMMAND, node_job(cells, packages, wheels, stop_at_error), timeout)
    return chapter_run("Pyodide", chapter, cells, result, problem)
