"""The code editor takes the pointer wherever it shows its text, in each browser engine (Chromium,
Firefox, WebKit): a click anywhere on a one-line cell whose code is wider than the editor (so that
it scrolls sideways), but on the scroll bar's own strip, puts the cursor in the editor, and the
student can type there. WebKitGTK drew its scroll bar over the line and took those clicks."""
from __future__ import annotations

from test_browser_each_engine import EDITOR, assert_no_page_errors, open_page, page  # noqa: F401

# the editor's text area: its scroller's box without the strip a scroll bar takes
TEXT_AREA = ("(cell) => { const scroller = document.querySelector(`${cell} .cm-scroller`);"
             " const box = scroller.getBoundingClientRect();"
             " return {left: box.left, top: box.top, width: scroller.clientWidth, height: scroller.clientHeight}; }")
FOCUSED = "(cell) => document.querySelector(`${cell} .cm-editor`).classList.contains('cm-focused')"
BLUR = "() => document.activeElement?.blur()"


def test_a_click_anywhere_on_a_one_line_editors_text_puts_the_cursor_there(page, base_url):
    open_page(page, f"{base_url}/chapters/editor.html")
    page.centre("#pycell-wide .cm-editor")
    box = page.evaluate(TEXT_AREA, "#pycell-wide")
    scrolls = page.evaluate("() => { const s = document.querySelector('#pycell-wide .cm-scroller');"
                            " return s.scrollWidth > s.clientWidth; }")
    assert scrolls, f"{page.engine}: the fixture's line fits its editor; the test needs one that scrolls"
    for height_fraction in (0.2, 0.5, 0.85):
        page.evaluate(BLUR)
        page.stroke([(box["left"] + box["width"] / 2, box["top"] + box["height"] * height_fraction)])
        assert page.evaluate(FOCUSED, "#pycell-wide"), \
            f"{page.engine}: a click {height_fraction:.0%} down the {box['height']:.0f} px text area did not focus it"
    page.press("End")
    page.insert_text("  # typed")
    assert page.evaluate(EDITOR, "#pycell-wide").endswith("  # typed")
    assert_no_page_errors(page)
