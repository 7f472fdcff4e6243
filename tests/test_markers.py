"""`make test-fast` (pytest -m "not slow") runs the tests that start nothing slow. What decides is
what a test starts (tests/conftest.py): a test not marked slow that starts a render, a chapter
run, a browser, Node or a download fails, saying so."""
import subprocess
import sys

import pytest

from slow_starts import slow_start


@pytest.mark.parametrize("command, started", [
    (["quarto", "render"], "quarto"),
    (["/usr/bin/node", "host.mjs"], "node"),
    (["/usr/bin/chromium", "--headless"], "chromium"),
    ("npm ci", "npm"),
    ([sys.executable, "/repo/_extensions/pycells/hosts/cpython.py", "job.json", "result.json"], "a chapter run in CPython"),
    ([sys.executable, "-m", "tools.render_site", "--pandoc"], "a render of the site"),
    ([sys.executable, "-c", "pass"], None),
    (["pandoc", "--lua-filter", "pycells.lua"], None),
    (["git", "status"], None),
])
def test_what_a_command_starts(command, started):
    assert slow_start(command) == started


def test_a_test_not_marked_slow_fails_when_it_starts_something_slow():
    with pytest.raises(pytest.fail.Exception, match=r"starts node .* but is not marked slow"):
        subprocess.run(["node", "--version"], capture_output=True)
    assert subprocess.run([sys.executable, "-c", "print('fast')"], capture_output=True, text=True).stdout == "fast\n"


@pytest.mark.slow
def test_a_test_marked_slow_may_start_it():
    assert subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.startswith("v")
