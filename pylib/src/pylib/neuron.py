"""One sigmoid neuron: logistic regression, trained with binary cross-entropy."""

import numpy as np

from .activations import _sigmoid
from .linalg import product as matmul
from .losses import _binary_cross_entropy, binary_cross_entropy
from .model import Model, init_weights
from .validation import require_weights


class SingleNeuron(Model):
    """A single neuron, A = sigmoid(W X + b).

    Parameters
    ----------
    n_x : int
        Number of inputs (features per example).
    seed : int, default 0
        Seed of the weight initialisation.

    Attributes
    ----------
    params : dict
        "W" (1, n_x) and "b" (1, 1).
    """

    loss_function = staticmethod(binary_cross_entropy)
    unchecked_loss = staticmethod(_binary_cross_entropy)

    def __init__(self, n_x, seed=0):
        super().__init__(n_x, 1, seed)
        require_weights(self.n_x, f"n_x={self.n_x}")
        self.params = {"W": init_weights(self.rng, 1, self.n_x), "b": np.zeros((1, 1))}

    def _forward(self, X):
        W, b = self.params["W"], self.params["b"]
        Z = matmul(W, X) + b                      # (1, m)
        A = _sigmoid(Z)                           # (1, m)
        self.cache = {"X": X, "A": A}
        return A

    def _backward(self, X, Y):
        m = X.shape[1]
        A = self.cache["A"]
        dZ = A - Y                                # (1, m): sigmoid and cross-entropy simplify to this
        dW = matmul(dZ, X.T) / m                  # (1, n_x)
        db = np.sum(dZ, axis=1, keepdims=True) / m  # (1, 1)
        return {"W": dW, "b": db}
