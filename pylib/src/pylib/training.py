"""Training by (mini-batch) gradient descent with momentum."""

import time
from dataclasses import dataclass, field

import numpy as np

from .linalg import refresh_matmul_route
from .metrics import accuracy
from .validation import (DivergenceError, PylibTypeError, PylibValueError, as_labels, as_number,
                         as_positive_int, as_seed, require_examples)

# An epoch whose loss exceeds the loss before training by this factor (plus DIVERGENCE_MARGIN)
# has made things worse than not training. A large learning rate may do so for an epoch or two
# and recover; PATIENCE epochs in a row, or the last epoch, mean it diverged.
DIVERGENCE_FACTOR = 1.1
DIVERGENCE_MARGIN = 0.05
PATIENCE = 3
# The loss before training is measured on this many examples at most (a few % of an epoch's work).
START_SAMPLE = 5000
PROGRESS_KEYS = ("epoch", "epochs", "loss", "val_accuracy", "seconds")
# While an epoch runs, a progress bar is redrawn in place when this long has passed since the last
# thing printed: a slow epoch (in the browser) shows that training is alive; a fast one prints no bar.
PROGRESS_EVERY_S = 0.5
# What `train` asks of a model (pylib.model.Model has it all): checks, weights, loss and gradients.
TRAINING_INTERFACE = ("check_X", "check_Y", "check_params", "params", "predict", "batch_loss", "loss_and_gradients")


@dataclass
class History:
    """What `train` measured, one entry per epoch.

    Attributes
    ----------
    loss : list of float
        Mean training loss over the epoch's mini-batches.
    val_accuracy : list of float
        Accuracy in [0, 1] on the validation set after each epoch (empty without one).
    seconds : list of float
        Wall-clock seconds each epoch took (training plus validation).
    """

    loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)


def print_progress(stats):
    """Print one line for an epoch, flushed so a browser shows it at once.

    ``stats`` is the dict `train` passes to ``on_epoch``: "epoch", "epochs",
    "loss", "val_accuracy" (None without validation data) and "seconds".
    """
    if not isinstance(stats, dict) or not set(PROGRESS_KEYS) <= set(stats):
        received = f"a dict with the keys {list(stats)}" if isinstance(stats, dict) else f"a {type(stats).__name__}"
        raise PylibTypeError(f"stats must be a dict with the keys {list(PROGRESS_KEYS)}, as train passes it; "
                             f"received {received}")
    epoch = as_positive_int(stats["epoch"], "stats['epoch']")
    epochs = as_positive_int(stats["epochs"], "stats['epochs']")
    loss = as_number(stats["loss"], "stats['loss']")
    seconds = as_number(stats["seconds"], "stats['seconds']", minimum=0.0)
    line = f"epoch {epoch:>2}/{epochs}  loss {loss:.4f}"
    if stats["val_accuracy"] is not None:
        line += f"  val acc {100 * as_number(stats['val_accuracy'], 'val_accuracy', 0.0, 1.0):.2f} %"
    line += f"  {seconds:.1f} s"
    print(line, flush=True)


class EpochBar:
    """A text progress bar for one epoch, drawn on one line and redrawn in place (with "\\r").

    `update(fraction)` after each mini-batch redraws it when PROGRESS_EVERY_S seconds have passed
    since the epoch began or the bar was last drawn; `clear()` blanks the line at the epoch's end,
    so that the epoch's own line is printed on a clean one.
    """

    WIDTH = 20

    def __init__(self, epoch, epochs):
        self.label = f"epoch {epoch:>2}/{epochs}"
        self.last = time.perf_counter()
        self.drawn = ""

    def update(self, fraction):
        if time.perf_counter() - self.last < PROGRESS_EVERY_S:
            return
        filled = int(fraction * self.WIDTH)
        self.drawn = f"{self.label}  [{'#' * filled}{'.' * (self.WIDTH - filled)}] {100 * fraction:3.0f} %"
        print("\r" + self.drawn, end="", flush=True)
        self.last = time.perf_counter()

    def clear(self):
        if self.drawn:
            print("\r" + " " * len(self.drawn) + "\r", end="", flush=True)


def train(model, X, Y, *, epochs, learning_rate, batch_size=None, momentum=0.0, seed=0,
          validation=None, on_epoch=print_progress):
    """Fit ``model`` to (X, Y) by gradient descent with momentum.

    Each step computes the gradients g of the mean loss on a batch and moves
    every parameter p with its velocity v (v starts at zero)::

        v = momentum * v - learning_rate * g
        p = p + v

    Parameters
    ----------
    model : SingleNeuron, HiddenLayerNetwork or SoftmaxNetwork
        Trained in place.
    X : ndarray, shape (n_x, m)
        One example per column.
    Y : ndarray, shape (n_out, m)
        Targets: 0/1 for one output, one-hot columns for a SoftmaxNetwork.
    epochs : int
        Passes over the training set.
    learning_rate : float
    batch_size : int or None, default None
        Examples per step; None uses all m at once (full batch). With
        mini-batches the examples are shuffled at the start of each epoch.
    momentum : float in [0, 1), default 0.0
    seed : int, default 0
        Seed of the shuffling.
    validation : tuple (X_val, y_val), optional
        X_val (n_x, m_val) and integer labels y_val (m_val,), scored after each epoch.
    on_epoch : callable or None, default print_progress
        Called after each epoch with a dict (see `print_progress`); None is silent. Unless it
        is None, an epoch that takes longer than PROGRESS_EVERY_S also shows an `EpochBar`
        while it runs.

    Returns
    -------
    History

    Raises
    ------
    DivergenceError
        After an epoch whose loss is NaN or infinite or that left a weight NaN
        or infinite; or when the loss was above 1.1 times (plus 0.05) the loss
        before training for 3 epochs in a row, or after the last epoch: the
        learning rate (or the momentum) is too large.
    """
    missing = [name for name in TRAINING_INTERFACE if not hasattr(model, name)]
    if missing:
        raise PylibTypeError(f"model must be a pylib network such as SoftmaxNetwork; received a "
                             f"{type(model).__name__}, which has no {', '.join(missing)}")
    X = require_examples(model.check_X(X), "X")
    m = X.shape[1]
    Y = model.check_Y(Y, m)
    model.check_params()
    epochs = as_positive_int(epochs, "epochs")
    learning_rate = as_number(learning_rate, "learning_rate", positive=True)
    momentum = as_number(momentum, "momentum", minimum=0.0, maximum=0.999999)
    seed = as_seed(seed)
    batch_size = m if batch_size is None else min(as_positive_int(batch_size, "batch_size"), m)
    if validation is not None:
        validation = _check_validation(model, validation)
    if on_epoch is not None and not callable(on_epoch):
        raise PylibTypeError(f"on_epoch must be a function or None; received a {type(on_epoch).__name__}")
    refresh_matmul_route()
    every = slice(None, None, -(-m // START_SAMPLE))      # at most START_SAMPLE columns, spread over X
    with np.errstate(over="ignore", under="ignore"):
        start_loss = model.batch_loss(X[:, every], Y[:, every])
    rng = np.random.default_rng(seed)
    # One example per row, so a mini-batch is a fast gather of whole rows; for
    # F-ordered X and Y (as load_mnist and one_hot return them) this copies nothing.
    examples = (np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)) if batch_size < m else None
    velocity = {name: np.zeros_like(value) for name, value in model.params.items()}
    history = History()
    epochs_above = 0
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        bar = EpochBar(epoch, epochs) if on_epoch is not None else None
        with np.errstate(over="ignore", invalid="ignore"):   # a diverging run is reported just below
            loss = _one_epoch(model, X, Y, examples, batch_size, learning_rate, momentum, velocity, rng, bar)
        if bar is not None:
            bar.clear()
        epochs_above = epochs_above + 1 if loss > DIVERGENCE_FACTOR * start_loss + DIVERGENCE_MARGIN else 0
        _stop_if_diverged(model, start_loss, loss, epoch, epochs_above, epoch == epochs, (learning_rate, momentum))
        history.loss.append(loss)
        val_accuracy = None
        if validation is not None:
            val_accuracy = accuracy(validation[1], model.predict(validation[0]))
            history.val_accuracy.append(val_accuracy)
        history.seconds.append(time.perf_counter() - start)
        if on_epoch is not None:
            on_epoch({"epoch": epoch, "epochs": epochs, "loss": loss,
                      "val_accuracy": val_accuracy, "seconds": history.seconds[-1]})
    return history


def _one_epoch(model, X, Y, examples, batch_size, learning_rate, momentum, velocity, rng, bar=None):
    """One pass over the data; returns the mean of the batch losses (weighted by batch size).

    ``examples`` is None for full-batch training, else (X.T, Y.T) as C-ordered copies;
    ``bar`` (an EpochBar or None) hears after each batch how much of the epoch is done.
    """
    m = X.shape[1]
    order = rng.permutation(m) if examples is not None else None
    total_loss = 0.0
    for start in range(0, m, batch_size):
        if order is None:
            X_batch, Y_batch = X, Y
        else:
            batch = order[start:start + batch_size]
            X_batch, Y_batch = examples[0][batch].T, examples[1][batch].T   # (n_x, b), (n_out, b)
        loss, gradients = model.loss_and_gradients(X_batch, Y_batch)
        total_loss += loss * X_batch.shape[1]
        for name, value in model.params.items():
            velocity[name] *= momentum
            velocity[name] -= learning_rate * gradients[name]
            value += velocity[name]
        if bar is not None:
            bar.update(min(start + batch_size, m) / m)
    return total_loss / m


def _stop_if_diverged(model, start_loss, loss, epoch, epochs_above, last, hyper_parameters):
    """Raise DivergenceError if a weight or the loss is not finite, or the loss stays (or ends) above its start."""
    learning_rate, momentum = hyper_parameters
    broken = [name for name, value in model.params.items() if not np.all(np.isfinite(value))]
    if broken:
        what = f"the weights {broken} became NaN or infinite"
    elif not np.isfinite(loss):
        what = f"the loss became {loss}"
    elif epochs_above >= PATIENCE or (last and epochs_above):
        stayed = f"for {epochs_above} epochs in a row" if epochs_above >= PATIENCE else "in the last epoch"
        what = f"the loss rose from {start_loss:.4g} before training to {loss:.4g}, above the start {stayed}"
    else:
        return
    advice = f"try learning_rate={learning_rate / 10:g} (ten times smaller)"
    if momentum > 0:
        advice += f" or less momentum than {momentum:g}"
    raise DivergenceError(f"training diverged in epoch {epoch}: {what}; the model's weights are now useless, "
                          f"so build a new one and {advice}")


def _check_validation(model, validation):
    """Return (X_val, y_val) checked against the model's input size."""
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise PylibTypeError(f"validation must be a tuple (X_val, y_val); received {type(validation).__name__}")
    X_val = model.check_X(validation[0])
    y_val = as_labels(validation[1], "y_val")
    if y_val.shape != (X_val.shape[1],):
        raise PylibValueError(
            f"y_val must hold one label per column of X_val, shape ({X_val.shape[1]},); received {y_val.shape}"
        )
    return X_val, y_val
