"""Checking a backward pass against finite differences."""

from dataclasses import dataclass, field

import numpy as np

from .model import Model
from .validation import PylibTypeError, as_number, require_examples

# A correct backward pass of a smooth float64 loss leaves only the finite
# differences' own error, about 1e-9 or less; a wrong formula gives 1e-2 or more.
# 1e-7 sits well between the two, and it is the line the chapters use.
THRESHOLD = 1e-7


def numerical_gradient(model, X, Y, name, epsilon=1e-5):
    """Estimate dL/dparam for one parameter by central differences.

    Each entry p is nudged both ways and the loss is measured::

        dL/dp ~ (L(p + eps) - L(p - eps)) / (2 eps)

    Parameters
    ----------
    model : a pylib network
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_out, m)
    name : str
        A key of ``model.params``, e.g. "W1".
    epsilon : float, default 1e-5

    Returns
    -------
    ndarray, the shape of ``model.params[name]``
    """
    param = model.params[name]
    gradient = np.zeros_like(param)
    for index in np.ndindex(param.shape):
        original = param[index]
        param[index] = original + epsilon
        loss_plus = model.loss(X, Y)
        param[index] = original - epsilon
        loss_minus = model.loss(X, Y)
        param[index] = original
        gradient[index] = (loss_plus - loss_minus) / (2 * epsilon)
    return gradient


@dataclass
class GradientCheck:
    """What `gradient_check` found.

    Attributes
    ----------
    passed : bool
        True if every gradient has the parameter's shape, is finite, and its
        relative error is at most ``threshold``.
    max_error : float
        The largest relative error over the parameters (inf for a gradient
        that is missing, misshapen, NaN or infinite).
    threshold : float
    worst : str
        The parameter with the largest error, e.g. "W1".
    index : tuple of int or None
        Its entry where backward and finite differences disagree most.
    analytic, numeric : float
        The two values at that entry (NaN when they cannot be compared).
    errors : dict
        The relative error of every parameter.
    problem : str
        Why the check failed when the error is not a number to compare, else "".

    Printing it gives one sentence; ``f"{check:.1e}"`` formats ``max_error``.
    """

    passed: bool
    max_error: float
    threshold: float
    worst: str
    index: tuple = None
    analytic: float = float("nan")
    numeric: float = float("nan")
    errors: dict = field(default_factory=dict)
    problem: str = ""

    def __str__(self):
        verdict = "passed" if self.passed else "FAILED"
        text = (f"gradient check {verdict}: largest relative error {self.max_error:.1e} "
                f"(threshold {self.threshold:.0e}) in {self.worst}")
        if self.problem:
            return f"{text}: {self.problem}"
        if self.index is not None:
            entry = ", ".join(str(i) for i in self.index)
            text += (f"; worst entry {self.worst}[{entry}]: backward {self.analytic:.6g}, "
                     f"finite differences {self.numeric:.6g}")
        return text

    def __format__(self, spec):
        return format(self.max_error, spec) if spec else str(self)

    def __float__(self):
        return float(self.max_error)

    def __bool__(self):
        return self.passed


def gradient_check(model, X, Y, epsilon=1e-5, threshold=THRESHOLD):
    """Compare ``model.backward`` with finite differences, parameter by parameter.

    For each parameter, with g its gradient from ``model.backward(X, Y)`` and
    n the finite-difference estimate, the relative error is
    ``||g - n|| / max(||g|| + ||n||, 1e-12)``. A correct backward pass gives
    about 1e-9 or less (the finite differences' own error); a wrong one 1e-2
    or more. The check passes at 1e-7 or below, the line Chapter 4 draws. Use
    a small X (a few examples): every weight costs two forward passes.

    Parameters
    ----------
    model : SingleNeuron, HiddenLayerNetwork or SoftmaxNetwork
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_out, m)
    epsilon : float, default 1e-5
    threshold : float, default 1e-7
        The largest relative error that passes.

    Returns
    -------
    GradientCheck
        Says passed or FAILED when printed, names the worst parameter and
        entry; a gradient that is missing, of the wrong shape, NaN or infinite
        fails. ``f"{result:.1e}"`` prints the largest relative error.
    """
    if not isinstance(model, Model):
        raise PylibTypeError(f"model must be a pylib network such as SoftmaxNetwork; received a {type(model).__name__}")
    epsilon = as_number(epsilon, "epsilon", minimum=1e-12, maximum=1.0)
    threshold = as_number(threshold, "threshold", positive=True)
    X = require_examples(model.check_X(X), "X")
    Y = model.check_Y(Y, X.shape[1])
    analytic = model.backward(X, Y)
    if not isinstance(analytic, dict):
        return GradientCheck(False, float("inf"), threshold, "backward",
                             problem=f"backward must return a dict of gradients; it returned a {type(analytic).__name__}")
    results = {name: _compare(model, X, Y, name, analytic, epsilon) for name in model.params}
    errors = {name: result[0] for name, result in results.items()}
    worst = max(errors, key=lambda name: (np.isnan(errors[name]), errors[name]))
    error, index, g, n, problem = results[worst]
    extra = sorted(set(analytic) - set(model.params), key=str)
    if not problem and extra:
        problem = f"backward also returned gradients for {extra}, which are not parameters"
    passed = not problem and error <= threshold
    return GradientCheck(passed, error, threshold, worst, index, g, n, errors, problem)


def _compare(model, X, Y, name, analytic, epsilon):
    """(relative error, worst index, analytic and numeric values there, problem) for one parameter."""
    shape = model.params[name].shape
    if name not in analytic:
        return float("inf"), None, np.nan, np.nan, f"backward returned no gradient for {name!r}"
    try:
        gradient = np.asarray(analytic[name], dtype=np.float64)
    except (TypeError, ValueError):
        return float("inf"), None, np.nan, np.nan, f"the gradient of {name} is not an array of numbers"
    if gradient.shape != shape:
        fix = ": transpose it" if gradient.shape == shape[::-1] else ""
        return (float("inf"), None, np.nan, np.nan,
                f"the gradient of {name} has shape {gradient.shape}; the parameter has shape {shape}{fix}")
    if not np.all(np.isfinite(gradient)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(gradient))[0])
        return (float("inf"), index, float(gradient[index]), np.nan,
                f"the gradient of {name} holds NaN or infinity, first at {index}")
    numeric = numerical_gradient(model, X, Y, name, epsilon)
    difference = np.linalg.norm(gradient - numeric)
    scale = max(np.linalg.norm(gradient) + np.linalg.norm(numeric), 1e-12)
    index = np.unravel_index(int(np.argmax(np.abs(gradient - numeric))), shape)
    index = tuple(int(i) for i in index)
    return float(difference / scale), index, float(gradient[index]), float(numeric[index]), ""
