"""Run a page's cells in this CPython through the pycells support code, recording what each shows.

The child process of coursekit.build_outputs, started as

    python -m coursekit.cell_recorder JOB.json RESULT.json

with the wheels' folder and the pycells extension folder on PYTHONPATH. JOB holds
{"cells": [{"index", "code", "settings", "record"}]} in run order; every cell runs
(an error does not stop the next one, as a reader may run on), through
pycells_support.run_piece, the code the page's engine runs a cell with. RESULT gets,
for each cell with "record" true, {"index": {"outputs": [...], "seconds"}}, the
outputs in the order the page shows them: streams as printed (a line rewritten with
"\\r" kept as its last state), figures as PNG, the last expression's repr, the
traceback.
"""

import asyncio
import json
import sys
import types
from pathlib import Path
from time import perf_counter


def last_state(text):
    """Text as a terminal leaves it (and the page shows it): each line as its last "\\r" rewrite left it."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.replace("\r\n", "\n").split("\n"))


class Recorder:
    """The outputs of the cell running now, in order; consecutive stream writes join."""

    def __init__(self):
        self.outputs = []

    def add(self, kind, **fields):
        self.outputs.append({"kind": kind, **fields})

    def write_stream(self, name, text):
        if self.outputs and self.outputs[-1]["kind"] == name:
            self.outputs[-1]["text"] += text
        else:
            self.add(name, text=text)

    def take(self):
        outputs, self.outputs = self.outputs, []
        for output in outputs:
            if "text" in output:
                output["text"] = last_state(output["text"])
        return outputs


class Stream:
    """A text stream (sys.stdout, sys.stderr) that writes into the recorder."""

    def __init__(self, recorder, name):
        self.recorder, self.name = recorder, name

    def write(self, text):
        self.recorder.write_stream(self.name, text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


async def run_cells(cells, recorder):
    import pycells_support

    results = {}
    for cell in cells:
        started = perf_counter()
        value, error, _ = await pycells_support.run_piece(cell["code"], f"<cell {cell['index']}>", cell.get("settings"))
        if value is not None:
            recorder.add("result", text=value)
        if error is not None:
            recorder.add("error", text=error)
        outputs = recorder.take()
        if cell.get("record"):
            results[str(cell["index"])] = {"outputs": outputs, "seconds": round(perf_counter() - started, 3)}
    return results


def main(job_path, result_path):
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    recorder = Recorder()
    sys.modules["pycells_bridge"] = types.SimpleNamespace(figure=lambda png: recorder.add("figure", png=png))
    sys.stdout, sys.stderr = Stream(recorder, "stdout"), Stream(recorder, "stderr")
    try:
        results = asyncio.run(run_cells(job["cells"], recorder))
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    Path(result_path).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
