"""A chapter printed to PDF in Chromium, as a student saves it from the browser's print dialog.

The page is printed as it loads (no cell run, most editors never scrolled into view): the PDF
must hold every editor's code with a number on each line, the outputs the build shipped and
its figures, and none of the controls (Run, Stop, the status line). In print each line of an
editor carries its own number (pycells.css): CodeMirror's gutter is placed by line heights that
an editor never on screen has only guessed, which put its numbers 14 px apart beside 21 px lines.
"""
from __future__ import annotations

import io
import re

import pypdf
import pytest

from coursekit.chapters import parse_chapter
from fixture_projects import REPO

CHAPTER = REPO / "chapters" / "02-neuron.qmd"
SHIPPED_NOTE = "Output computed when the course was built."
CONTROLS = ("Run all above", "Python:", "Show solution")
PRINTED_EDITORS = """() => Array.from(document.querySelectorAll(".pycell-editor"), (host) => ({
  gutter: host.querySelector(".cm-gutters") ? getComputedStyle(host.querySelector(".cm-gutters")).display : "none",
  numbers: Array.from(host.querySelectorAll(".cm-line"), (line) => getComputedStyle(line, "::before").content),
}))"""


@pytest.fixture(scope="module")
def printed(browser, course_url):
    """(the PDF's text, its number of images, the editors as print lays them out)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{course_url}/chapters/{CHAPTER.stem}.html")
        page.wait_for_function("document.querySelectorAll('.pycell-live').length > 0"
                               " && document.querySelectorAll('span.math mjx-container').length"
                               " === document.querySelectorAll('span.math').length", timeout=90_000)
        page.emulate_media(media="print")
        editors = page.evaluate(PRINTED_EDITORS)
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    finally:
        page.close()
    text = "\n".join(sheet.extract_text() for sheet in pdf.pages)
    images = sum(len(sheet.images) for sheet in pdf.pages)
    return text, images, editors


def squeezed(text):
    return re.sub(r"\s+", "", text)


def test_every_editor_numbers_its_own_lines_in_print(printed):
    _, _, editors = printed
    assert editors, "the printed chapter shows no editors"
    for number, editor in enumerate(editors, 1):
        assert editor["gutter"] == "none", f"editor {number}: CodeMirror's gutter is printed"
        assert editor["numbers"] and all("counter" in content for content in editor["numbers"]), \
            f"editor {number}: its lines are not numbered in print: {editor['numbers'][:3]}"


def test_the_pdf_holds_the_code_the_shipped_outputs_and_the_figures(printed):
    text, images, _ = printed
    chapter = parse_chapter(CHAPTER)
    shown = [cell for cell in chapter.cells if cell.run == "button" and chapter.option(cell, "echo")]
    missing = [cell.describe() for cell in shown
               if squeezed(cell.code.strip().splitlines()[0]) not in squeezed(text)]
    assert not missing, f"the PDF lacks the code of {missing}"
    assert SHIPPED_NOTE in text, "the PDF shows none of the outputs the build shipped"
    html = (CHAPTER.read_text(encoding="utf-8"))
    assert images >= 1 and "plt." in html, f"the PDF holds {images} images; the chapter draws figures"


def test_the_pdf_shows_no_controls(printed):
    text, _, _ = printed
    shown = [control for control in CONTROLS if control in text]
    assert not shown, f"the PDF prints controls: {shown}"
