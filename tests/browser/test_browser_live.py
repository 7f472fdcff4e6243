"""quarto-live pages in the course: a small exercise page written the quarto-live way
(`format: live-html`, hint and solution divs, a check returning a feedback dict), and the chapter
this course was commissioned from, rendered by real Quarto with only its data cells changed."""
from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fixture_projects import REPO

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def test_options_without_effect_are_reported_once_at_render_time(live_site):
    _, log = live_site
    assert log.count("chapters/live-exercise.qmd: option 'completion' is accepted and has no effect here") == 1


def test_a_quarto_live_exercise_works_end_to_end(page, live_site):
    url, _ = live_site
    page.goto(f"{url}/chapters/live-exercise.html")
    exercise = page.locator(".pycell-live").first
    expect(exercise.locator(".pycell-caption")).to_have_text("Add two numbers")
    exercise.locator(".pycell-run").click()
    expect(exercise.locator(".pycell-output")).to_contain_text("Fill in each ______", timeout=RUN_TIMEOUT_MS)

    hints = page.locator(".pycell-hint")
    show_hint = exercise.get_by_role("button", name=re.compile("hint"))
    expect(hints.nth(0)).to_be_hidden()
    show_hint.click()
    expect(hints.nth(0)).to_be_visible()
    expect(hints.nth(1)).to_be_hidden()
    expect(show_hint).to_have_text("Show next hint")
    show_hint.click()
    expect(hints.nth(1)).to_be_visible()
    expect(show_hint).to_have_text("Hide hint")

    exercise.get_by_role("button", name=re.compile("solution")).click()
    expect(page.locator(".pycell-solution")).to_contain_text("total = 1 + 2")

    editor = exercise.locator(".cm-content")
    for code, verdict, kind in [("total = 1 + 1\ntotal", "Not yet: Add 1 and 2.", "warning"),
                                ("total = 1 + 2\ntotal", "Correct: 1 + 2 is 3.", "success")]:
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(code)
        exercise.locator(".pycell-run").click()
        feedback = exercise.locator(f".pycell-feedback-{kind}")
        expect(feedback).to_have_text(verdict, timeout=RUN_TIMEOUT_MS)
    expect(exercise.locator(".pycell-output")).not_to_contain_text("'correct'")  # a verdict, not a dict


def test_figure_options_set_size_resolution_alt_text_and_caption(page, live_site):
    url, _ = live_site
    page.goto(f"{url}/chapters/live-exercise.html")
    cell = page.locator("#pycell-sized-figure")
    cell.locator(".pycell-run").click()
    image = cell.locator("img.pycell-figure")
    expect(image).to_have_attribute("alt", "A straight line rising from left to right", timeout=RUN_TIMEOUT_MS)
    expect(cell.locator("figcaption")).to_have_text("A line, drawn 3 by 2 inches at 50 dots per inch")
    png = base64.b64decode(image.get_attribute("src").split(",", 1)[1])
    width, height = struct.unpack(">II", png[16:24])
    # 3 x 2 inches at 50 dpi is 150 x 100 pixels before the tight bounding box trims the margins
    assert 100 <= width <= 150 and 60 <= height <= 100, (width, height)


def test_the_source_chapter_renders_and_its_first_cells_run(page, live_site):
    url, _ = live_site
    page.goto(f"{url}/chapters/source-chapter.html")
    cells = page.locator(".pycell-live")
    expect(cells.first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    for number in range(2):  # the settings cell, then the data cell (now pylib's digits)
        cell = cells.nth(number)
        cell.locator(".pycell-run").click()
        expect(cell).to_have_attribute("data-state", "done", timeout=RUN_TIMEOUT_MS)


def test_envir_gives_a_namespace_of_its_own_and_warning_false_hides_warnings(page, live_site):
    url, _ = live_site
    page.goto(f"{url}/chapters/live-exercise.html")
    for label, shown in [("in-sandbox", "True"), ("outside", "False"), ("quiet", "done"),
                         ("loud", "a warning everybody sees")]:
        cell = page.locator(f"#pycell-{label}")
        cell.locator(".pycell-run").click()
        expect(cell).to_have_attribute("data-state", "done", timeout=RUN_TIMEOUT_MS)
        expect(cell.locator(".pycell-output")).to_contain_text(shown)
    expect(page.locator("#pycell-quiet .pycell-output")).not_to_contain_text("nobody should see")
