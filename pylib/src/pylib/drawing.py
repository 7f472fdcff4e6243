"""Turning a drawing from the page's drawing pad into a network input.

MNIST's digits were made this way: the ink's bounding box was scaled so its
longer side is 20 pixels, then placed in a 28x28 field so that the ink's centre
of mass sits at the centre. Measured on the shipped 14x14 digits, that centre
of mass lies at row and column 6.75, which is pixel 14.0 of the 28x28 field
(a 14x14 pixel k covers 28x28 pixels 2k and 2k + 1): MNIST put it on pixel
14, not halfway between pixels 13 and 14. The course's data then averaged 2x2 blocks (14x14)
and rounded to 16 grey levels. `drawing_to_input` repeats every step, so a
drawn digit looks to the network like the digits it was trained on.
"""

import numpy as np

from .validation import PylibValueError, as_array

FIELD = 28
SHAPES = ((FIELD * FIELD,), (FIELD, FIELD), (FIELD * FIELD, 1), (1, FIELD * FIELD))
BOX = 20
GREY_LEVELS = 16


def drawing_to_input(pixels):
    """Prepare a 28x28 drawing (ink = 1) the way the training digits were made.

    Parameters
    ----------
    pixels : array_like of 784 floats in [0, 1]
        The drawing in row-major order (shape (784,), (28, 28), (784, 1) or
        (1, 784)), 1 where there is ink, 0 for the background.

    Returns
    -------
    ndarray of float64, shape (196, 1)
        Values in [0, 1] on the 16 grey levels 0, 1/15, ..., 1; all zeros for
        an empty drawing.
    """
    image = as_array(pixels, "pixels", hint="a drawing holds ink values from 0 to 1")
    if image.shape not in SHAPES:
        raise PylibValueError(f"pixels must be a 28x28 drawing, of shape (784,), (28, 28), (784, 1) or (1, 784); "
                              f"received shape {image.shape}")
    if image.min() < 0 or image.max() > 1:
        raise PylibValueError(f"pixels must lie in [0, 1]; received values from {image.min():.3g} to {image.max():.3g}")
    image = image.reshape(FIELD, FIELD)
    if not np.any(image > 0):
        return np.zeros((FIELD * FIELD // 4, 1))
    centred = centre_by_mass(scale_to_box(crop_to_ink(image)))
    return downsample_and_quantize(centred).reshape(-1, 1)


def crop_to_ink(image):
    """The smallest rectangle of ``image`` holding every pixel with ink (> 0)."""
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def scale_to_box(image, box=BOX):
    """Resize so the longer side is ``box`` pixels, keeping the aspect ratio."""
    height, width = image.shape
    factor = box / max(height, width)
    new_height = max(1, round(height * factor))
    new_width = max(1, round(width * factor))
    return area_weights(new_height, height) @ image @ area_weights(new_width, width).T


def area_weights(n_out, n_in):
    """Resampling matrix R (n_out, n_in): output pixel i averages the input it covers.

    Output pixel i spans [i, i + 1) * n_in / n_out in input coordinates;
    R[i, j] is the fraction of that span lying in input pixel [j, j + 1).
    """
    span = n_in / n_out
    starts = np.arange(n_out)[:, None] * span
    left = np.maximum(starts, np.arange(n_in)[None, :])
    right = np.minimum(starts + span, np.arange(n_in)[None, :] + 1)
    return np.clip(right - left, 0.0, None) / span


def centre_by_mass(image, field=FIELD):
    """Place ``image`` in a field x field square with its centre of mass at the centre."""
    height, width = image.shape
    rows, cols = np.indices(image.shape)
    mass = image.sum()
    centre_row = (rows * image).sum() / mass
    centre_col = (cols * image).sum() / mass
    middle = field / 2          # where MNIST's centres of mass sit (see the module docstring)
    top = int(np.clip(round(middle - centre_row), 0, field - height))
    left = int(np.clip(round(middle - centre_col), 0, field - width))
    canvas = np.zeros((field, field))
    canvas[top:top + height, left:left + width] = image
    return canvas


def downsample_and_quantize(image, levels=GREY_LEVELS):
    """28x28 in [0, 1] -> 14x14 in [0, 1]: 2x2 averages on 0..255, rounded to ``levels`` greys.

    The integer arithmetic matches tools/build_data.py, which made data/mnist.npz.
    """
    grey = np.round(image * 255).astype(np.uint32)
    half = image.shape[0] // 2
    total = grey.reshape(half, 2, half, 2).sum(axis=(1, 3))
    averaged = (total + 2) // 4
    step = 255 / (levels - 1)
    quantized = np.round(np.round(averaged / step) * step)
    return quantized / 255.0
