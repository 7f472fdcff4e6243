"""pylib: the neural-network code of the course "Neural Networks from Scratch".

Shapes everywhere: X is (n_features, m) with one example per column; labels y
are 1-D int arrays (m,); targets Y are (n_out, m); weights W are (n_out, n_in)
and biases b are (n_out, 1), so Z = W @ X + b.

Every error about an input is a PylibError (and a TypeError or ValueError)
whose message names what was expected and what was received.
"""

from .activations import sigmoid, sigmoid_derivative, softmax
from .checks import (
    check_binary_cross_entropy,
    check_categorical_cross_entropy,
    check_hidden_layer_gradients,
    check_mse,
    check_neuron_forward,
    check_neuron_gradients,
    check_one_hot,
    check_sigmoid,
    check_softmax,
)
from .data import IMAGE_SHAPE, MNIST, load_mnist, one_hot, scale_pixels
from .drawing import drawing_to_input
from .gradcheck import GradientCheck, gradient_check
from .hidden import HiddenLayerNetwork
from .linalg import get_matmul_backend, matmul, set_matmul_backend
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    categorical_cross_entropy,
    categorical_cross_entropy_gradient,
    mse,
    mse_gradient,
)
from .metrics import accuracy, classification_report, confusion_matrix, per_class_scores
from .neuron import SingleNeuron
from .plotting import plot_confusion_matrix, plot_loss, show_digits, show_predictions
from .softmax_net import SoftmaxNetwork
from .training import History, print_progress, train
from .validation import (AmbiguousShapeWarning, DataFileNotFoundError, DivergenceError, PylibError, PylibTypeError,
                         PylibValueError)

__version__ = "0.1.0"

__all__ = [
    "IMAGE_SHAPE", "MNIST", "load_mnist", "one_hot", "scale_pixels",
    "sigmoid", "sigmoid_derivative", "softmax",
    "mse", "mse_gradient", "binary_cross_entropy", "binary_cross_entropy_gradient",
    "categorical_cross_entropy", "categorical_cross_entropy_gradient",
    "SingleNeuron", "HiddenLayerNetwork", "SoftmaxNetwork",
    "train", "History", "print_progress",
    "accuracy", "confusion_matrix", "classification_report", "per_class_scores",
    "gradient_check", "GradientCheck", "matmul", "set_matmul_backend", "get_matmul_backend",
    "show_digits", "plot_loss", "plot_confusion_matrix", "show_predictions",
    "drawing_to_input",
    "PylibError", "PylibTypeError", "PylibValueError", "DivergenceError", "DataFileNotFoundError",
    "AmbiguousShapeWarning",
    "check_sigmoid", "check_neuron_forward", "check_mse", "check_binary_cross_entropy",
    "check_neuron_gradients", "check_hidden_layer_gradients", "check_softmax", "check_one_hot",
    "check_categorical_cross_entropy",
]
