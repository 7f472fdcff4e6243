"""Checking a backward pass against finite differences."""

import numpy as np

from .model import Model
from .validation import as_number


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


def gradient_check(model, X, Y, epsilon=1e-5):
    """The largest relative error between `backward` and finite differences.

    For each parameter, with g its gradient from ``model.backward(X, Y)`` and
    n the finite-difference estimate, the relative error is
    ``||g - n|| / max(||g|| + ||n||, 1e-12)``. A correct backward pass gives
    about 1e-7 or less; a wrong one 1e-2 or more. Use a small X (a few
    examples): every weight costs two forward passes.

    Parameters
    ----------
    model : SingleNeuron, HiddenLayerNetwork or SoftmaxNetwork
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (n_out, m)
    epsilon : float, default 1e-5

    Returns
    -------
    float
    """
    if not isinstance(model, Model):
        raise TypeError(f"model must be a pylib network such as SoftmaxNetwork; received a {type(model).__name__}")
    epsilon = as_number(epsilon, "epsilon", minimum=1e-12, maximum=1.0)
    X = model.check_X(X)
    Y = model.check_Y(Y, X.shape[1])
    analytic = model.backward(X, Y)
    worst = 0.0
    for name in model.params:
        numeric = numerical_gradient(model, X, Y, name, epsilon)
        difference = np.linalg.norm(analytic[name] - numeric)
        scale = max(np.linalg.norm(analytic[name]) + np.linalg.norm(numeric), 1e-12)
        worst = max(worst, float(difference / scale))
    return worst
