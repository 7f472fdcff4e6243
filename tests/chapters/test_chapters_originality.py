"""The course's prose is our own: no run of eight words is shared with the source material.

The commissioned source texts live in ../shared/seeds beside the repository (as on
CI). Code and math are left out of the comparison: `import numpy as np` or a
one-hot column is nobody's prose.
"""

import re
from pathlib import Path

import pytest

from missing_input import missing

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN_LENGTH = 8
PAGES = sorted((ROOT / "chapters").glob("*.qmd")) + [ROOT / "index.qmd"]
FENCED_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.DOTALL)
INLINE = re.compile(r"\$[^$\n]+\$|`[^`\n]+`")


def prose(text):
    """The words of a page's prose, lower-cased, without code and math."""
    for pattern in (FENCED_CODE, DISPLAY_MATH, INLINE):
        text = pattern.sub(" ", text)
    return re.findall(r"[a-z0-9']+", text.lower())


def runs(words):
    return {" ".join(words[i:i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1)}


@pytest.fixture(scope="module")
def seed_runs():
    files = sorted(SEEDS.glob("0*.txt"))
    if not files:
        missing(f"the source material is not beside the repo ({SEEDS})")
    return set().union(*(runs(prose(path.read_text(encoding="utf-8"))) for path in files))


def test_prose_helpers_find_a_copied_sentence():
    copied = "Intro. " + "one two three four five six seven eight nine" + " and `code here` $x$."
    assert runs(prose(copied)) & runs(prose("one two three four five six seven eight nine"))


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_page_shares_no_eight_word_run_with_the_sources(page, seed_runs):
    shared = runs(prose(page.read_text(encoding="utf-8"))) & seed_runs
    assert not shared, f"{page.name} repeats the source material: {sorted(shared)[:5]}"
