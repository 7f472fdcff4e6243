import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import pylib


def blobs(m=300, seed=0):
    """Two well separated clouds of points: labels 0 and 1."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, m)
    X = rng.normal(size=(2, m)) + 3 * (2 * y - 1)
    return X, y


def test_full_batch_training_lowers_the_loss_and_records_history():
    X, y = blobs()
    neuron = pylib.SingleNeuron(2)
    history = pylib.train(neuron, X, y[None, :].astype(float), epochs=20, learning_rate=0.5, on_epoch=None)
    assert len(history.loss) == len(history.seconds) == 20 and history.val_accuracy == []
    assert history.loss[-1] < history.loss[0] / 2
    assert pylib.accuracy(y, neuron.predict(X)) > 0.95


def test_minibatch_training_with_momentum_and_validation():
    X, y = blobs(seed=1)
    net = pylib.HiddenLayerNetwork(2, 3, seed=2)
    seen = []
    history = pylib.train(net, X, y[None, :].astype(float), epochs=5, learning_rate=0.3, batch_size=32,
                          momentum=0.9, validation=(X, y), on_epoch=seen.append)
    assert [stats["epoch"] for stats in seen] == [1, 2, 3, 4, 5]
    assert history.val_accuracy[-1] > 0.95
    assert seen[-1]["val_accuracy"] == history.val_accuracy[-1] and seen[-1]["loss"] == history.loss[-1]


def test_one_step_is_plain_gradient_descent():
    X, y = blobs(m=20)
    Y = y[None, :].astype(float)
    net = pylib.SingleNeuron(2)
    before = {name: value.copy() for name, value in net.params.items()}
    gradients = net.backward(X, Y)
    pylib.train(net, X, Y, epochs=1, learning_rate=0.1, momentum=0.9, on_epoch=None)
    for name in before:
        assert np.allclose(net.params[name], before[name] - 0.1 * gradients[name])


def test_the_same_seed_gives_the_same_network():
    X, y = blobs()
    Y = y[None, :].astype(float)
    results = []
    for _ in range(2):
        net = pylib.HiddenLayerNetwork(2, 3)
        pylib.train(net, X, Y, epochs=2, learning_rate=0.1, batch_size=50, seed=3, on_epoch=None)
        results.append(net.params["W1"])
    assert np.array_equal(*results)


def test_print_progress_prints_one_line_per_epoch(capsys):
    X, y = blobs(m=50)
    pylib.train(pylib.SingleNeuron(2), X, y[None, :].astype(float), epochs=3, learning_rate=0.1,
                validation=(X, y))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("epoch  3/3  loss ") and "val acc" in lines[2] and lines[2].endswith(" s")


def test_divergence_is_reported_not_propagated():
    X, y = blobs(m=50)
    X = X * 1e300
    with pytest.raises(ValueError, match="diverged|NaN or infinite"):
        pylib.train(pylib.SingleNeuron(2), X, y[None, :].astype(float), epochs=3, learning_rate=1e300,
                    on_epoch=None)


@pytest.mark.parametrize("options, error, text", [
    ({"epochs": 0}, ValueError, "epochs must be a positive int"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate must be a number"),
    ({"momentum": 1.5}, ValueError, "momentum must lie between"),
    ({"batch_size": 0}, ValueError, "batch_size must be a positive int"),
    ({"validation": np.zeros((2, 3))}, TypeError, "validation must be a tuple"),
    ({"validation": (np.zeros((2, 3)), np.zeros(4, int))}, ValueError, r"y_val must hold one label .* \(3,\)"),
    ({"on_epoch": "print"}, TypeError, "on_epoch must be a function"),
])
def test_train_rejects_bad_options(options, error, text):
    X, y = blobs(m=10)
    arguments = {"epochs": 1, "learning_rate": 0.1, "on_epoch": None, **options}
    with pytest.raises(error, match=text):
        pylib.train(pylib.SingleNeuron(2), X, y[None, :].astype(float), **arguments)


def test_train_wants_a_pylib_model():
    with pytest.raises(TypeError, match="received a dict"):
        pylib.train({}, np.zeros((2, 3)), np.zeros((1, 3)), epochs=1, learning_rate=0.1)


def test_course_recipe_reaches_97_percent_on_the_test_digits():
    """The documented default recipe: SoftmaxNetwork(196, 64), 8 epochs of mini-batches."""
    data = pylib.load_mnist()
    net = pylib.SoftmaxNetwork(196, 64, seed=0)
    with threadpool_limits(1):   # BLAS threads fighting over shared cores only slow this down
        pylib.train(net, data.X_train, pylib.one_hot(data.y_train), epochs=8, learning_rate=0.5,
                    batch_size=128, momentum=0.9, seed=0, on_epoch=None)
    assert pylib.accuracy(data.y_test, net.predict(data.X_test)) >= 0.97


def as_shown(text):
    """Text as a terminal (and the course's page) shows it: each line as its last "\\r" left it."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def test_a_slow_epoch_draws_a_bar_in_place_that_leaves_only_the_epoch_lines(capsys, monkeypatch):
    X, y = blobs(m=200)
    Y = y[None, :].astype(float)
    monkeypatch.setattr(pylib.training, "PROGRESS_EVERY_S", 0.0)   # every epoch counts as slow
    pylib.train(pylib.SingleNeuron(2), X, Y, epochs=2, learning_rate=0.1, batch_size=50)
    raw = capsys.readouterr().out
    assert raw.count("\r") >= 2 * 4, raw   # a bar drawn after each of the 4 batches of each epoch
    assert "epoch  1/2  [#####...............]  25 %" in raw and "epoch  2/2  [####################] 100 %" in raw
    shown = as_shown(raw).splitlines()
    assert [line.split("  loss")[0].strip() for line in shown] == ["epoch  1/2", "epoch  2/2"]


def test_a_fast_epoch_and_a_silent_training_draw_no_bar(capsys, monkeypatch):
    X, y = blobs(m=200)
    Y = y[None, :].astype(float)
    pylib.train(pylib.SingleNeuron(2), X, Y, epochs=2, learning_rate=0.1, batch_size=50)
    assert "\r" not in capsys.readouterr().out
    monkeypatch.setattr(pylib.training, "PROGRESS_EVERY_S", 0.0)
    pylib.train(pylib.SingleNeuron(2), X, Y, epochs=2, learning_rate=0.1, batch_size=50, on_epoch=None)
    assert capsys.readouterr().out == ""
