"""The digit classifier: a sigmoid hidden layer and a softmax output layer."""

from .activations import _softmax
from .hidden import HiddenLayerNetwork
from .losses import _categorical_cross_entropy, categorical_cross_entropy
from .data import one_hot
from .validation import as_n_classes, one_hot_columns


class SoftmaxNetwork(HiddenLayerNetwork):
    """Multi-class classifier: A1 = sigmoid(W1 X + b1), A2 = softmax(W2 A1 + b2).

    The forward and backward passes are those of `HiddenLayerNetwork` with a
    softmax output: softmax followed by categorical cross-entropy has the same
    output error dZ2 = A2 - Y as sigmoid followed by binary cross-entropy.

    Parameters
    ----------
    n_x : int
        Number of inputs (196 for the course's 14x14 digits).
    n_h : int
        Number of hidden units.
    n_classes : int, default 10
    seed : int, default 0

    Attributes
    ----------
    params : dict
        "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_classes, n_h), "b2" (n_classes, 1).

    Examples
    --------
    The course's default recipe, which reads about 97.3 % of the shipped test
    digits correctly (about 2 s natively, 8 s in a browser tab):

    >>> X_train, y_train, X_test, y_test = load_mnist()
    >>> model = SoftmaxNetwork(196, 64, seed=0)
    >>> history = train(model, X_train, one_hot(y_train), epochs=8, learning_rate=0.5,
    ...                 batch_size=128, momentum=0.9, seed=0)
    >>> accuracy(y_test, model.predict(X_test))  # doctest: +SKIP
    0.9728

    The same recipe from labels, the scikit-learn way (X still one digit per column):

    >>> SoftmaxNetwork(196, 64, seed=0).fit(X_train, y_train).score(X_test, y_test)  # doctest: +SKIP
    0.9728
    """

    loss_function = staticmethod(categorical_cross_entropy)
    unchecked_loss = staticmethod(_categorical_cross_entropy)
    output_activation = staticmethod(_softmax)

    def __init__(self, n_x, n_h, n_classes=10, seed=0):
        n_classes = as_n_classes(n_classes, minimum=2)
        super().__init__(n_x, n_h, seed=seed, n_out=n_classes)
        self.n_classes = n_classes

    labels_to_targets_hint = "pass one_hot(y, n_classes)"

    def check_targets(self, Y):
        """Targets of a softmax output: one-hot columns."""
        return one_hot_columns(Y, "Y")

    def labels_to_targets(self, y, m):
        """Labels y, shape (m,), as one-hot targets Y, shape (n_classes, m)."""
        return one_hot(self.check_labels(y, m), self.n_classes)
