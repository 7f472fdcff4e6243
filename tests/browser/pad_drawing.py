"""Drawing on a digit pad, as a student does with the mouse."""


def draw_a_one(page, canvas):
    """A vertical stroke down the middle of the pad's canvas."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.15)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.85, steps=12)
    page.mouse.up()
