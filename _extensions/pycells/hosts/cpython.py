"""The pycells CPython host: run cells in this Python through pycells_support, the code the page's
engine runs them with, and record what each shows.

    python _extensions/pycells/hosts/cpython.py JOB.json RESULT.json

JOB and RESULT are the hosts' job and result (README, "Hosts"); the code's own packages come from
PYTHONPATH. A cell's outputs are in the order the page shows them: consecutive writes to a stream
joined, each line in the state its last "\\r" rewrite left it, figures as PNG, the last expression's
repr, the traceback. RESULT is rewritten after every cell, and the cell running now is already in
it, failed: a cell that ends Python itself (os._exit) leaves that record behind.
"""

import asyncio
import json
import sys
import types
from pathlib import Path
from time import perf_counter

EXTENSION = Path(__file__).resolve().parents[1]


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
            if output["kind"] in ("stdout", "stderr"):
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


async def run_cells(job, recorder, save):
    import pycells_support

    records = []
    for cell in job["cells"]:
        record = {"ok": False, "seconds": 0.0, "outputs": []}
        records.append(record)
        save(records)
        started = perf_counter()
        value, error, _ = await pycells_support.run_piece(cell["code"], cell["file"], cell.get("settings"))
        if value is not None:
            recorder.add("result", text=value)
        if error is not None:
            recorder.add("error", text=error)
        record.update(ok=error is None, seconds=round(perf_counter() - started, 3), outputs=recorder.take())
        save(records)
        if error is not None and job.get("stop_at_error"):
            break


def main(job_path, result_path):
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    sys.path.insert(0, str(EXTENSION))

    def save(records):
        Path(result_path).write_text(json.dumps({"startup": {}, "error": None, "cells": records}), encoding="utf-8")

    recorder = Recorder()
    sys.modules["pycells_bridge"] = types.SimpleNamespace(figure=lambda png: recorder.add("figure", png=png))
    sys.stdout, sys.stderr = Stream(recorder, "stdout"), Stream(recorder, "stderr")
    try:
        asyncio.run(run_cells(job, recorder, save))
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


if __name__ == "__main__":
    main(*sys.argv[1:3])
