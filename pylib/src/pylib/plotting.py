"""Pictures for the chapters: digits, loss curves, confusion matrices, predictions.

matplotlib is imported inside each function, so ``import pylib`` stays quick
and works where matplotlib is not installed. Each function returns the Figure.
"""

import numpy as np

from .data import IMAGE_SHAPE
from .model import Model
from .training import History
from .validation import PylibTypeError, PylibValueError, as_array, as_labels, as_matrix, as_positive_int


def _pyplot():
    import matplotlib.pyplot as plt
    return plt


def _digit_image(column):
    """One column of X, shape (196,), as a (14, 14) image."""
    return column.reshape(IMAGE_SHAPE)


def _grid(plt, n, columns=8, size=1.2, rows_per_item=1):
    """A figure with axes for ``n`` items in rows of ``columns``; unused axes hidden."""
    columns = min(columns, n)
    rows = -(-n // columns)
    fig, axes = plt.subplots(rows * rows_per_item, columns, figsize=(size * columns, size * rows * rows_per_item),
                             squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    return fig, axes


def show_digits(X, y=None, n=16, predictions=None):
    """Show the first ``n`` digits of X in a grid, titled with labels and predictions.

    Parameters
    ----------
    X : ndarray, shape (196, m)
    y : array_like of int, shape (m,), optional
        True labels, shown above each digit.
    n : int, default 16
    predictions : array_like of int, shape (m,), optional
        Shown beside the label; a wrong prediction is drawn in red.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X = as_matrix(X, "X", rows=IMAGE_SHAPE[0] * IMAGE_SHAPE[1])
    n = min(as_positive_int(n, "n"), X.shape[1])
    if n == 0:
        raise PylibValueError(f"X holds no digits to show: received shape {X.shape}, with 0 columns")
    y = None if y is None else _labels_for(X, y, "y")
    predictions = None if predictions is None else _labels_for(X, predictions, "predictions")
    plt = _pyplot()
    fig, axes = _grid(plt, n)
    for i, ax in enumerate(axes.ravel()[:n]):
        ax.imshow(_digit_image(X[:, i]), cmap="gray_r", vmin=0, vmax=1)
        title, colour = _caption(i, y, predictions)
        ax.set_title(title, fontsize=9, color=colour)
    fig.tight_layout()
    return fig


def _labels_for(X, labels, name):
    labels = as_labels(labels, name)
    if labels.shape != (X.shape[1],):
        raise PylibValueError(f"{name} must hold one label per column of X, shape ({X.shape[1]},); received {labels.shape}")
    return labels


def _caption(i, y, predictions):
    """Title and colour for digit i: "7", "pred 7", or "7 -> 1" in red when wrong."""
    if y is None and predictions is None:
        return "", "black"
    if predictions is None:
        return f"{y[i]}", "black"
    if y is None:
        return f"pred {predictions[i]}", "black"
    wrong = y[i] != predictions[i]
    return (f"{y[i]} -> {predictions[i]}" if wrong else f"{y[i]}"), ("red" if wrong else "black")


def plot_loss(history_or_list, label="training loss", ax=None, show_accuracy=True):
    """Plot the loss per epoch (and validation accuracy, if recorded).

    Parameters
    ----------
    history_or_list : History or sequence of float
    label : str, default "training loss"
    ax : matplotlib Axes, optional
        Draw into this axes instead of a new figure.
    show_accuracy : bool, default True
        Add the validation accuracy on a second y axis when the history has it;
        pass False when drawing several histories into one axes.

    Returns
    -------
    matplotlib.figure.Figure
    """
    history = _as_history(history_or_list)
    if not isinstance(label, str):
        raise PylibTypeError(f"label must be a str; received a {type(label).__name__}")
    if ax is not None and not (hasattr(ax, "plot") and hasattr(ax, "figure")):
        raise PylibTypeError(f"ax must be a matplotlib Axes or None; received a {type(ax).__name__}")
    losses = np.asarray(history.loss, dtype=np.float64)
    plt = _pyplot()
    fig, ax = (plt.subplots(figsize=(6, 3.5)) if ax is None else (ax.figure, ax))
    epochs = np.arange(1, losses.size + 1)
    ax.plot(epochs, losses, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if history.val_accuracy and show_accuracy:
        other = ax.twinx()
        other.plot(epochs[:len(history.val_accuracy)], 100 * np.asarray(history.val_accuracy),
                   color="tab:green", marker="s", label="validation accuracy")
        other.set_ylabel("validation accuracy (%)")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def _as_history(value):
    """A History with a non-empty 1-D list of finite losses (and accuracies in [0, 1], if any)."""
    expected = "a History (what train returns) or a list of losses, one number per epoch"
    if isinstance(value, History):
        history = value
    elif isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise PylibTypeError(f"plot_loss needs {expected}; received a {type(value).__name__}")
    else:
        history = History(loss=value)
    losses = as_array(history.loss, "the losses", hint="training diverged where the loss is NaN or infinite: "
                      "plot only the epochs before it, and train again with a smaller learning_rate")
    if losses.ndim != 1 or losses.size == 0:
        raise PylibValueError(f"plot_loss needs {expected}; received losses of shape {losses.shape}")
    accuracies = as_array(history.val_accuracy, "the validation accuracies")
    if accuracies.ndim != 1 or accuracies.size > losses.size or np.any((accuracies < 0) | (accuracies > 1)):
        raise PylibValueError(f"the validation accuracies must be at most one number in [0, 1] per epoch; "
                              f"received {accuracies.size} for {losses.size} epochs")
    return history


def plot_confusion_matrix(cm):
    """Draw a confusion matrix (rows true, columns predicted) with its counts.

    Parameters
    ----------
    cm : ndarray, shape (n_classes, n_classes)
        Counts (written as whole numbers) or a normalised matrix of fractions
        (written with two decimals); no entry may be negative.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cm = as_matrix(cm, "cm")
    if cm.shape[0] != cm.shape[1] or cm.size == 0:
        raise PylibValueError(f"cm must be square (n_classes, n_classes), n_classes >= 1; received shape {cm.shape}")
    if cm.min() < 0:
        raise PylibValueError(f"cm must hold counts or fractions >= 0; received {cm.min():g}")
    counts = np.all(cm == np.round(cm))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.imshow(cm, cmap="Blues")
    ticks = np.arange(cm.shape[0])
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = cm.max() / 2
    for i, j in np.ndindex(cm.shape):
        ax.text(j, i, f"{int(cm[i, j])}" if counts else f"{cm[i, j]:.2f}", ha="center", va="center", fontsize=8,
                color="white" if cm[i, j] > threshold else "black")
    fig.tight_layout()
    return fig


def show_predictions(model, X, y, n=8, wrong_only=False):
    """A gallery: each digit above a bar chart of the model's probabilities.

    Parameters
    ----------
    model : SoftmaxNetwork (or any pylib network)
    X : ndarray, shape (196, m)
    y : array_like of int, shape (m,)
    n : int, default 8
    wrong_only : bool, default False
        Show only digits the model gets wrong.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(model, Model):
        raise PylibTypeError(f"model must be a pylib network such as SoftmaxNetwork; "
                             f"received a {type(model).__name__}")
    X = model.check_X(X)
    as_matrix(X, "X", rows=IMAGE_SHAPE[0] * IMAGE_SHAPE[1])
    y = _labels_for(X, y, "y")
    n = as_positive_int(n, "n")
    probabilities = model.predict_proba(X)
    predicted = model.predict(X)
    chosen = np.flatnonzero(predicted != y) if wrong_only else np.arange(X.shape[1])
    chosen = chosen[:n]
    if chosen.size == 0:
        raise PylibValueError(f"no digits to show: received {X.shape[1]} digit(s)"
                              + (", and the model gets every one right (wrong_only=True)" if wrong_only else ""))
    plt = _pyplot()
    fig, axes = _grid(plt, chosen.size, columns=4, size=2.0, rows_per_item=2)
    for k, i in enumerate(chosen):
        image_ax, bars_ax = axes[2 * (k // 4), k % 4], axes[2 * (k // 4) + 1, k % 4]
        image_ax.imshow(_digit_image(X[:, i]), cmap="gray_r", vmin=0, vmax=1)
        title, colour = _caption(i, y, predicted)
        image_ax.set_title(title, fontsize=9, color=colour)
        bars_ax.axis("on")
        bars_ax.bar(np.arange(probabilities.shape[0]), probabilities[:, i], color="tab:blue")
        bars_ax.set_ylim(0, 1)
        bars_ax.set_xticks(np.arange(probabilities.shape[0]))
        bars_ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig
