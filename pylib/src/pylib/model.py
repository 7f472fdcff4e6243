"""What the three networks share: checking inputs, loss, predictions, fit and score.

A model subclass stores its weights in ``self.params`` and writes two methods
the way a chapter derives them:

- ``_forward(X)`` returns the output A and keeps in ``self.cache`` what the
  backward pass needs;
- ``_backward(X, Y)`` returns the gradients of the mean loss, keyed like params,
  using the cache of the ``_forward(X)`` called just before it.

Orientation: every method, ``fit`` included, takes X of shape (n_x, m), one
example per column, as the chapters do. Labels y are 1-D, shape (m,), as in
scikit-learn. Data with one example per row, as scikit-learn keeps it, is
passed transposed: ``model.fit(X_rows.T, y)``; a transposed X is refused with a
message that says so.
"""

import numpy as np

from .training import train
from .validation import (TRAINING_HINT, PylibValueError, as_array, as_labels, as_matrix, as_positive_int,
                         as_seed, probabilities, require_examples, require_finite, warn_if_square)

PREDICT_BATCH = 10_000   # examples per forward pass in predict and predict_proba


def init_weights(rng, n_out, n_in):
    """Weights drawn from normal(0, 1/sqrt(n_in)), shape (n_out, n_in); biases start at zero."""
    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))


class Model:
    """Base class; see SingleNeuron, HiddenLayerNetwork, SoftmaxNetwork."""

    loss_function = None   # the loss of Y and A, e.g. binary_cross_entropy
    unchecked_loss = None  # the same without input checks, for training loops
    labels_to_targets_hint = "pass y.reshape(1, -1)"   # said when labels are given as targets Y

    def __init__(self, n_x, n_out, seed=0):
        self.n_x = as_positive_int(n_x, "n_x")
        self.n_out = n_out
        self.rng = np.random.default_rng(as_seed(seed))
        self.params = {}
        self.cache = {}

    def __repr__(self):
        shapes = ", ".join(f"{name} {value.shape}" for name, value in self.params.items())
        return f"{type(self).__name__}({shapes})"

    # --- checking inputs -------------------------------------------------

    def check_X(self, X):
        """Return X as a float64 (n_x, m) matrix, or raise naming both shapes (warns if X is square)."""
        X = as_matrix(X, "X", rows=self.n_x)
        warn_if_square(X, "X")
        return X

    def check_Y(self, Y, m):
        """Return Y as a float64 (n_out, m) matrix of targets, or raise naming both shapes."""
        if np.ndim(as_array(Y, "Y")) == 1:
            raise PylibValueError(
                f"Y must be a 2-D array of targets, shape ({self.n_out}, {m}); received a 1-D array of shape "
                f"{np.shape(Y)}: {self.labels_to_targets_hint} (or call fit(X, y), which takes labels)"
            )
        Y = as_matrix(Y, "Y", rows=self.n_out, cols=m)
        return self.check_targets(Y)

    def check_targets(self, Y):
        """Targets of a sigmoid output: values in [0, 1]."""
        return probabilities(Y, "Y")

    def check_params(self):
        """Raise if a weight is NaN or infinite (which only a diverging training run leaves)."""
        for name, value in self.params.items():
            require_finite(np.asarray(value, dtype=np.float64), f"the network's {name}", TRAINING_HINT)

    def labels_to_targets(self, y, m):
        """Labels y, shape (m,), as targets Y, shape (n_out, m)."""
        y = self.check_labels(y, m)
        return y.astype(np.float64).reshape(1, -1)

    def check_labels(self, y, m):
        """Return y as labels the network can output, one per column of X."""
        y = as_labels(y, "y", n_classes=max(2, self.n_out))
        if y.shape != (m,):
            raise PylibValueError(f"y must hold one label per column of X, shape ({m},); received shape {y.shape}")
        return y

    # --- the chapters' interface -----------------------------------------

    def forward(self, X):
        """Run the network on X, shape (n_x, m); return the output A, shape (n_out, m)."""
        X = self.check_X(X)
        self.check_params()
        return self._forward(X)

    def backward(self, X, Y):
        """Gradients of the mean loss on (X, Y), a dict keyed like `params`.

        Runs the forward pass on X with the current parameters first, so the
        gradients always belong to the parameters as they are now.
        """
        X = require_examples(self.check_X(X), "X")
        Y = self.check_Y(Y, X.shape[1])
        self.check_params()
        self._forward(X)
        return self._backward(X, Y)

    def loss(self, X, Y):
        """The mean loss (float) of the network's outputs on X against targets Y."""
        A = self.forward(X)
        return type(self).loss_function(self.check_Y(Y, A.shape[1]), A)

    # --- what `train` uses (no input checks: train has checked them) ----

    def batch_loss(self, X, Y):
        """The mean loss (float) on a batch X, shape (n_x, b), with targets Y, shape (n_out, b)."""
        return self.unchecked_loss(Y, self._forward(X))

    def loss_and_gradients(self, X, Y):
        """(the mean loss on the batch, its gradients keyed like `params`), in one forward and one backward pass."""
        loss = self.unchecked_loss(Y, self._forward(X))
        return loss, self._backward(X, Y)

    # --- scikit-learn's interface ----------------------------------------

    def predict_proba(self, X):
        """The output A, shape (n_out, m): probabilities, one column per example.

        Computed PREDICT_BATCH examples at a time: on many examples, the hidden layer's
        intermediate arrays stay the size of one batch.
        """
        X = self.check_X(X)
        self.check_params()
        m = X.shape[1]
        if m <= PREDICT_BATCH:
            return self._forward(X)
        A = np.empty((self.n_out, m))
        for start in range(0, m, PREDICT_BATCH):
            A[:, start:start + PREDICT_BATCH] = self._forward(X[:, start:start + PREDICT_BATCH])
        return A

    def predict(self, X):
        """Predicted labels, shape (m,) numpy.intp: 0/1 for one output, else the most probable class."""
        return self._labels_of(self.predict_proba(X))

    def _labels_of(self, A):
        if self.n_out == 1:
            return (A[0] >= 0.5).astype(np.intp)
        return np.argmax(A, axis=0).astype(np.intp)

    def score(self, X, y):
        """Accuracy (float in [0, 1]) of `predict` on X, shape (n_x, m), against labels y, shape (m,)."""
        X = require_examples(self.check_X(X), "X")
        y = self.check_labels(y, X.shape[1])
        self.check_params()
        return float(np.mean(self._labels_of(self._forward(X)) == y))

    def fit(self, X, y, *, epochs=8, learning_rate=0.5, batch_size=128, momentum=0.9, seed=0,
            validation=None, on_epoch=None):
        """Train on X, shape (n_x, m), and labels y, shape (m,); return the model itself.

        The labels become targets (0/1 for one output, one-hot columns for a
        SoftmaxNetwork) and `train` runs with the course's default recipe;
        every keyword is passed on to it (on_epoch=print_progress prints one
        line per epoch). The `History` is kept in ``self.history_``.

        X has one example per column, as everywhere in pylib; for data with
        one example per row (scikit-learn's layout) call ``fit(X_rows.T, y)``.
        """
        X = require_examples(self.check_X(X), "X")
        Y = self.labels_to_targets(y, X.shape[1])
        self.history_ = train(self, X, Y, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size,
                              momentum=momentum, seed=seed, validation=validation, on_epoch=on_epoch)
        return self

    def _forward(self, X):
        raise NotImplementedError

    def _backward(self, X, Y):
        raise NotImplementedError
