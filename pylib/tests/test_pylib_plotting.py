import matplotlib.pyplot as plt
import numpy as np
import pytest

import pylib

RNG = np.random.default_rng(0)
X = RNG.random((196, 20))
Y_LABELS = RNG.integers(0, 10, 20)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_digits_titles_wrong_predictions_in_red():
    predictions = Y_LABELS.copy()
    predictions[0] = (predictions[0] + 1) % 10
    fig = pylib.show_digits(X, Y_LABELS, n=6, predictions=predictions)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 6
    assert shown[0].title.get_color() == "red" and shown[1].title.get_text() == str(Y_LABELS[1])


def test_plot_loss_accepts_a_history_or_a_list():
    history = pylib.History(loss=[1.0, 0.5, 0.3], val_accuracy=[0.8, 0.9, 0.95], seconds=[1, 1, 1])
    fig = pylib.plot_loss(history)
    assert len(fig.axes) == 2
    assert list(fig.axes[0].lines[0].get_ydata()) == [1.0, 0.5, 0.3]
    assert len(pylib.plot_loss([2.0, 1.0]).axes) == 1


def test_plot_loss_can_draw_several_histories_into_one_axes():
    history = pylib.History(loss=[1.0, 0.5], val_accuracy=[0.8, 0.9], seconds=[1, 1])
    fig = pylib.plot_loss(history, label="first", show_accuracy=False)
    pylib.plot_loss(history, label="second", ax=fig.axes[0], show_accuracy=False)
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 2


def test_plot_confusion_matrix_writes_every_count():
    cm = pylib.confusion_matrix(Y_LABELS, Y_LABELS[::-1], n_classes=10)
    fig = pylib.plot_confusion_matrix(cm)
    assert len(fig.axes[0].texts) == 100


def test_show_predictions_draws_a_digit_and_its_bars():
    net = pylib.SoftmaxNetwork(196, 4)
    fig = pylib.show_predictions(net, X, Y_LABELS, n=3)
    assert len([ax for ax in fig.axes if ax.images]) == 3
    assert len([ax for ax in fig.axes if ax.patches]) == 3


@pytest.mark.parametrize("call, error, text", [
    (lambda: pylib.show_digits(X[:100]), ValueError, r"X must have shape \(196, m\)"),
    (lambda: pylib.show_digits(X, Y_LABELS[:3]), ValueError, r"one label per column"),
    (lambda: pylib.plot_loss([]), ValueError, "one number per epoch"),
    (lambda: pylib.plot_confusion_matrix(np.ones((2, 3))), ValueError, "square"),
    (lambda: pylib.show_predictions("net", X, Y_LABELS), TypeError, "pylib network"),
])
def test_plotting_reports_bad_inputs(call, error, text):
    with pytest.raises(error, match=text):
        call()
