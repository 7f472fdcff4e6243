"""Drawing on a digit pad, as a student does with the mouse: a vertical stroke down the middle."""

STEPS = 12


def stroke_down_the_middle(box):
    """The stroke's points in a canvas whose box is {left or x, top or y, width, height}."""
    left, top = box.get("left", box.get("x")), box.get("top", box.get("y"))
    x = left + box["width"] / 2
    start, end = top + box["height"] * 0.15, top + box["height"] * 0.85
    return [(x, start + (end - start) * step / STEPS) for step in range(STEPS + 1)]


def draw_a_one(page, canvas):
    """On a Playwright page: `canvas` is a locator."""
    canvas.scroll_into_view_if_needed()
    first, *rest = stroke_down_the_middle(canvas.bounding_box())
    page.mouse.move(*first)
    page.mouse.down()
    for point in rest:
        page.mouse.move(*point)
    page.mouse.up()


def draw_a_one_on(page, canvas_selector, index=0):
    """On a coursekit.browsers page of any engine: the canvas `index` among those the selector matches."""
    page.stroke(stroke_down_the_middle(page.centre(canvas_selector, index)))
