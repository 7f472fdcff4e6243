"""A phone in each browser engine (Chromium, Firefox, WebKit): at 390 CSS pixels wide (WebKitGTK's
MiniBrowser: 447, the narrowest its window gets), with a finger only (touch pointer input, no mouse,
no keyboard), a student runs a cell with its Run button, draws a digit on the pad and classifies
it, and nothing on the page needs a sideways scroll. Chromium's phone layout is checked further by
test_browser_a11y.py."""
from __future__ import annotations

from pad_drawing import stroke_down_the_middle
from test_browser_each_engine import (CELL_TIMEOUT_S, FINISHED, INK, PAD, STATE, assert_no_page_errors,  # noqa: F401
                                      open_page, page)

PHONE = (390, 844)
# MiniBrowser's window is never narrower than its toolbar: the narrowest viewport it gives here
NARROWEST_MINIBROWSER = 447
SIDEWAYS = "() => document.documentElement.scrollWidth - innerWidth"


def test_a_finger_runs_a_cell_and_draws_and_classifies_a_digit_at_phone_width(page, base_url):
    page.set_viewport(*PHONE)
    open_page(page, f"{base_url}/chapters/cells.html")
    width = page.evaluate("() => innerWidth")
    assert width == PHONE[0] or (page.engine == "webkit" and width <= NARROWEST_MINIBROWSER), \
        f"{page.engine}: the viewport is {width} px wide, not a phone's"
    assert page.evaluate(SIDEWAYS) <= 0, f"{page.engine}: the page scrolls sideways at {width} px"
    page.tap("#pycell-pad-model .pycell-run")
    page.wait_for(FINISHED, "#pycell-pad-model", timeout_s=CELL_TIMEOUT_S, message="a tap on Run did not run the cell")
    assert page.evaluate(STATE, "#pycell-pad-model") == "done"
    page.stroke(stroke_down_the_middle(page.centre("canvas.digit-pad-canvas")), pointer="touch")
    assert page.evaluate(INK) > 1000, f"{page.engine}: a finger's stroke drew nothing on the pad"
    page.tap(".digit-pad-buttons button", 1)
    try:
        found = page.wait_for(f"() => {{ const pad = ({PAD})(); return pad.bars === 10 && pad; }}",
                              timeout_s=CELL_TIMEOUT_S, message="a tap on Classify gave no ten probability bars")
    except AssertionError as error:
        raise AssertionError(f"{error}; the pad shows {page.evaluate(PAD)}") from None
    assert found["message"].startswith("Best guess"), f"{page.engine}: the pad says {found['message']!r}"
    assert_no_page_errors(page)
