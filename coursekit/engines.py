"""Run a chapter's executable cells in CPython (a Jupyter kernel) or in Pyodide (Node).

Both engines run the cells one by one in one namespace, stop at the first
failing cell, time every cell, and return a ChapterRun whose tracebacks
point at the chapter's .qmd lines instead of cell-relative lines.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from coursekit.cell_recorder import last_state

REPO = Path(__file__).resolve().parents[1]
PYODIDE_MIRROR = REPO / "build" / "pyodide"
PYODIDE_JOB = REPO / "tools" / "pyodide_job.mjs"
PYODIDE_BUDGET_SECONDS = 15.0
KERNEL_OPTIONS = ["--InteractiveShell.colors=NoColor", "--InteractiveShell.xmode=Plain"]
CLOSE_FIGURES = ('import sys as _sys\nif "matplotlib.pyplot" in _sys.modules:\n'
                 '    _sys.modules["matplotlib.pyplot"].close("all")\ndel _sys')


@dataclass
class CellRun:
    """One executed cell: ``traceback`` is already mapped to .qmd lines; ``stdout`` is as a reader
    sees it (a line redrawn with "\\r", such as a progress bar, in its last state)."""

    cell: object
    ok: bool
    seconds: float
    traceback: str = ""
    stdout: str = ""


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
        return f'File "{cell.chapter}", line {line} ({cell.name()})'
    return pattern.sub(to_qmd, text)


def wheel_site(wheels, target):
    """``pip install --target`` the wheels (no dependencies); return the folder for PYTHONPATH."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "--target", str(target), *map(str, wheels)],
                   check=True)
    return Path(target)


def run_in_cpython(cells, chapter, site_dir, timeout=300):
    """Run ``cells`` in a fresh ipykernel of this venv (MPLBACKEND=Agg, site_dir first on PYTHONPATH)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c.code) for c in cells])
    run = ChapterRun("CPython", chapter, len(cells))
    with tempfile.TemporaryDirectory(prefix="chapter-cpython-") as workdir:
        client = NotebookClient(notebook, kernel_name="python3", timeout=timeout,
                                allow_errors=True, extra_arguments=KERNEL_OPTIONS,
                                resources={"metadata": {"path": workdir}})
        python_path = os.pathsep.join(filter(None, [str(site_dir), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": python_path, "MPLBACKEND": "Agg"}
        start = perf_counter()
        with client.setup_kernel(env=env):
            run.startup["kernel"] = perf_counter() - start
            cell_by_count = {}
            for index, (cell, source) in enumerate(zip(cells, notebook.cells)):
                start = perf_counter()
                try:
                    client.execute_cell(source, index)
                except (CellTimeoutError, DeadKernelError) as error:
                    run.cells.append(CellRun(cell, False, perf_counter() - start, str(error)))
                    break
                seconds = perf_counter() - start
                cell_by_count[str(source.execution_count)] = cell
                run.cells.append(kernel_cell_run(cell, source, seconds, cell_by_count))
                if not run.cells[-1].ok:
                    break
                client.execute_cell(nbformat.v4.new_code_cell(CLOSE_FIGURES), index)
    return run


KERNEL_CELL_LOCATION = re.compile(r"Cell In\[(?P<key>\d+)\], line (?P<line>\d+)")


def kernel_cell_run(cell, executed, seconds, cell_by_count):
    """A CellRun from an executed notebook cell's outputs."""
    stdout = last_state("".join(o.text for o in executed.outputs
                                if o.output_type == "stream" and o.name == "stdout"))
    error = next((o for o in executed.outputs if o.output_type == "error"), None)
    if error is None:
        return CellRun(cell, True, seconds, stdout=stdout)
    traceback_text = "\n".join(line for entry in error.traceback
                               for line in entry.splitlines() if line.strip())
    traceback_text = traceback_text or f"{error.ename}: {error.evalue}"
    mapped = map_traceback(traceback_text, KERNEL_CELL_LOCATION, cell_by_count.get)
    return CellRun(cell, False, seconds, mapped, stdout)


PYODIDE_CELL_LOCATION = re.compile(r'File "<qmd-cell-(?P<key>\d+)>", line (?P<line>\d+)')


def run_in_pyodide(cells, chapter, packages, wheels, timeout=300):
    """Run ``cells`` in Pyodide under Node through the page's engine (tools/pyodide_job.mjs).

    packages : the page's packages; the engine installs numpy and ``wheels`` before the
        first cell and the others after it (or before it, when it imports them), as on a page.
    wheels : wheel files, installed as the page installs its wheels.
    """
    run = ChapterRun("Pyodide", chapter, len(cells))
    job = {"indexURL": f"{PYODIDE_MIRROR}/", "packages": ["numpy", *(p for p in packages if p != "numpy")],
           "wheels": [str(Path(w).resolve()) for w in wheels],
           "cells": [{"filename": f"<qmd-cell-{i}>", "code": c.code} for i, c in enumerate(cells)]}
    with tempfile.TemporaryDirectory(prefix="chapter-pyodide-") as workdir:
        job_path, result_path = Path(workdir, "job.json"), Path(workdir, "result.json")
        job_path.write_text(json.dumps(job))
        try:
            process = subprocess.run(["node", str(PYODIDE_JOB), str(job_path), str(result_path)],
                                     capture_output=True, text=True, timeout=timeout)
            if process.returncode not in (0, 1):
                run.error = f"the Node runner exited with {process.returncode}:\n{process.stderr}"
        except subprocess.TimeoutExpired:
            run.error = f"the Node runner was stopped after {timeout} s"
        result = json.loads(result_path.read_text()) if result_path.exists() else {}
    run.startup = result.get("startup", {})
    cell_for = lambda key: cells[int(key)] if int(key) < len(cells) else None
    for cell, record in zip(cells, result.get("cells", [])):
        run.cells.append(CellRun(cell, record["ok"], record["seconds"],
                                 map_traceback(record["traceback"], PYODIDE_CELL_LOCATION, cell_for),
                                 last_state(record["stdout"])))
    return run
