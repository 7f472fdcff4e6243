import numpy as np
import pytest

import pylib
from pylib.drawing import area_weights


def stroke(top, left, height, width):
    image = np.zeros((28, 28))
    image[top:top + height, left:left + width] = 1.0
    return image


def test_output_is_a_column_on_the_sixteen_grey_levels():
    x = pylib.drawing_to_input(stroke(3, 5, 10, 4).ravel().tolist())
    assert x.shape == (196, 1) and x.min() >= 0 and x.max() <= 1
    assert np.allclose(x * 15, np.round(x * 15))


def test_position_and_size_of_the_drawing_do_not_matter():
    a = pylib.drawing_to_input(stroke(2, 2, 10, 2))
    b = pylib.drawing_to_input(stroke(14, 20, 10, 2))
    c = pylib.drawing_to_input(stroke(4, 10, 20, 4))
    assert np.array_equal(a, b) and np.array_equal(a, c)


def test_longest_side_becomes_20_pixels_centred_by_mass():
    image = pylib.drawing_to_input(stroke(0, 0, 5, 2)).reshape(14, 14)
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    assert len(rows) == 10 and len(cols) == 4          # 20 x 8 at 28x28 is 10 x 4 at 14x14
    centre = np.array([(np.arange(14)[:, None] * image).sum(), (np.arange(14)[None, :] * image).sum()])
    assert np.allclose(centre / image.sum(), 6.5, atol=0.5)


def test_resampling_keeps_the_average_ink():
    R = area_weights(20, 7)
    assert np.allclose(R.sum(axis=1), 1.0)
    assert np.allclose(area_weights(5, 5), np.eye(5))


def test_empty_drawing_gives_zeros():
    assert not pylib.drawing_to_input(np.zeros(784)).any()


@pytest.mark.parametrize("pixels, error, text", [
    (np.zeros(100), ValueError, r"28x28 drawing.* received shape \(100,\)"),
    (np.full(784, 2.0), ValueError, r"\[0, 1\]"),
    (np.full(784, np.nan), ValueError, "NaN"),
    ("ink", TypeError, "received a str"),
])
def test_bad_drawings_are_reported(pixels, error, text):
    with pytest.raises(error, match=text):
        pylib.drawing_to_input(pixels)
