"""What the three networks share: checking inputs, loss, predictions.

A model subclass stores its weights in ``self.params`` and writes two methods
the way a chapter derives them:

- ``_forward(X)`` returns the output A and keeps in ``self.cache`` what the
  backward pass needs;
- ``_backward(X, Y)`` returns the gradients of the mean loss, keyed like params.
"""

import numpy as np

from .validation import as_matrix, as_positive_int


def init_weights(rng, n_out, n_in):
    """Weights drawn from normal(0, 1/sqrt(n_in)), shape (n_out, n_in); biases start at zero."""
    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))


class Model:
    """Base class; see SingleNeuron, HiddenLayerNetwork, SoftmaxNetwork."""

    loss_function = None   # the loss of Y and A, e.g. binary_cross_entropy
    unchecked_loss = None  # the same without input checks, for training loops

    def __init__(self, n_x, n_out, seed=0):
        self.n_x = as_positive_int(n_x, "n_x")
        self.n_out = n_out
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an int; received a {type(seed).__name__}")
        self.rng = np.random.default_rng(seed)
        self.params = {}
        self.cache = {}

    def __repr__(self):
        shapes = ", ".join(f"{name} {value.shape}" for name, value in self.params.items())
        return f"{type(self).__name__}({shapes})"

    def check_X(self, X):
        """Return X as a float64 (n_x, m) matrix or raise ValueError naming both shapes."""
        return as_matrix(X, "X", rows=self.n_x)

    def check_Y(self, Y, m):
        """Return Y as a float64 (n_out, m) matrix or raise ValueError naming both shapes."""
        Y = as_matrix(Y, "Y", rows=self.n_out, cols=m)
        if Y.min(initial=0.0) < 0 or Y.max(initial=0.0) > 1:
            raise ValueError("Y must hold targets between 0 and 1 (0/1 or one-hot); received other values")
        return Y

    def forward(self, X):
        """Run the network on X, shape (n_x, m); return the output A, shape (n_out, m)."""
        return self._forward(self.check_X(X))

    def backward(self, X, Y):
        """Gradients of the mean loss on (X, Y), a dict keyed like `params`.

        Uses what the last `forward` cached when it was called with this very X,
        else runs the forward pass first.
        """
        X = self.check_X(X)
        Y = self.check_Y(Y, X.shape[1])
        if self.cache.get("X") is not X:
            self._forward(X)
        return self._backward(X, Y)

    def loss(self, X, Y):
        """The mean loss (float) of the network's outputs on X against targets Y."""
        A = self.forward(X)
        return type(self).loss_function(self.check_Y(Y, A.shape[1]), A)

    def predict_proba(self, X):
        """The output A, shape (n_out, m): probabilities."""
        return self.forward(X)

    def predict(self, X):
        """Predicted labels, shape (m,) numpy.intp: 0/1 for one output, else the most probable class."""
        A = self.forward(X)
        if self.n_out == 1:
            return (A[0] >= 0.5).astype(np.intp)
        return np.argmax(A, axis=0).astype(np.intp)

    def _forward(self, X):
        raise NotImplementedError

    def _backward(self, X, Y):
        raise NotImplementedError
