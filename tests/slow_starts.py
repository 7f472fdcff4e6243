"""What only a test marked slow may start, read from a subprocess's command line: a render, a
chapter run in either host, a browser, Node or npm (a download). tests/conftest.py fails a test
that is not marked slow and starts one of these."""
from __future__ import annotations

from pathlib import Path

SLOW_PROGRAMS = {"quarto", "node", "npm", "npx", "chromium", "firefox-esr", "MiniBrowser", "WebKitWebDriver",
                 "Xvfb", "xvfb-run"}
SLOW_COMMANDS = {"hosts/cpython.py": "a chapter run in CPython", "tools.render_site": "a render of the site",
                 "tools.build_outputs": "the build's chapter runs", "tools.offline_mathjax": "a download"}


def slow_start(command) -> str | None:
    """What `command` (a subprocess's arguments) starts that only a slow test may, or None."""
    words = command.split() if isinstance(command, (str, bytes)) else [str(word) for word in command]
    if words and Path(words[0]).name in SLOW_PROGRAMS:
        return Path(words[0]).name
    line = " ".join(words)
    return next((what for mark, what in SLOW_COMMANDS.items() if mark in line), None)
