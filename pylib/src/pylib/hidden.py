"""A network with one hidden layer of sigmoid units and one sigmoid output."""

import numpy as np

from .activations import _sigmoid
from .linalg import product as matmul
from .losses import _binary_cross_entropy, binary_cross_entropy
from .model import Model, init_weights
from .validation import as_positive_int, require_weights


class HiddenLayerNetwork(Model):
    """Binary classifier: A1 = sigmoid(W1 X + b1), A2 = sigmoid(W2 A1 + b2).

    Parameters
    ----------
    n_x : int
        Number of inputs.
    n_h : int
        Number of hidden units.
    seed : int, default 0

    Attributes
    ----------
    params : dict
        "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (1, n_h), "b2" (1, 1).
    """

    loss_function = staticmethod(binary_cross_entropy)
    unchecked_loss = staticmethod(_binary_cross_entropy)
    output_activation = staticmethod(_sigmoid)

    def __init__(self, n_x, n_h, seed=0, n_out=1):
        super().__init__(n_x, n_out, seed)
        self.n_h = as_positive_int(n_h, "n_h")
        require_weights(self.n_h * (self.n_x + n_out), f"n_x={self.n_x}, n_h={self.n_h}")
        self.params = {
            "W1": init_weights(self.rng, self.n_h, self.n_x),
            "b1": np.zeros((self.n_h, 1)),
            "W2": init_weights(self.rng, n_out, self.n_h),
            "b2": np.zeros((n_out, 1)),
        }

    def _forward(self, X):
        p = self.params
        A1 = _sigmoid(matmul(p["W1"], X) + p["b1"])                    # (n_h, m)
        A2 = self.output_activation(matmul(p["W2"], A1) + p["b2"])     # (n_out, m)
        self.cache = {"X": X, "A1": A1, "A2": A2}
        return A2

    def _backward(self, X, Y):
        m = X.shape[1]
        W2 = self.params["W2"]
        A1, A2 = self.cache["A1"], self.cache["A2"]
        dZ2 = A2 - Y                                   # (n_out, m): the output's activation and loss simplify to this
        dW2 = matmul(dZ2, A1.T) / m                    # (n_out, n_h)
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m   # (n_out, 1)
        dA1 = matmul(W2.T, dZ2)                        # (n_h, m)
        dZ1 = dA1 * A1 * (1.0 - A1)                    # (n_h, m): sigmoid'(Z1) = A1 (1 - A1)
        dW1 = matmul(dZ1, X.T) / m                     # (n_h, n_x)
        db1 = np.sum(dZ1, axis=1, keepdims=True) / m   # (n_h, 1)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
