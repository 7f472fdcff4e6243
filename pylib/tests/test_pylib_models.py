import numpy as np
import pytest

import pylib

RNG = np.random.default_rng(7)
X_SMALL = RNG.normal(size=(5, 6))
Y_BINARY = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
Y_CLASSES = pylib.one_hot([0, 1, 2, 2, 1, 0], 3)


def models_and_targets():
    return [
        (pylib.SingleNeuron(5, seed=1), Y_BINARY, {"W": (1, 5), "b": (1, 1)}),
        (pylib.HiddenLayerNetwork(5, 4, seed=1), Y_BINARY,
         {"W1": (4, 5), "b1": (4, 1), "W2": (1, 4), "b2": (1, 1)}),
        (pylib.SoftmaxNetwork(5, 4, n_classes=3, seed=1), Y_CLASSES,
         {"W1": (4, 5), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1)}),
    ]


@pytest.mark.parametrize("model, Y, shapes", models_and_targets())
def test_backward_matches_finite_differences(model, Y, shapes):
    for params in model.params.values():   # non-zero biases test the bias gradients too
        params += RNG.normal(scale=0.3, size=params.shape)
    check = pylib.gradient_check(model, X_SMALL, Y)
    assert check.passed and check.max_error < 1e-7, check


@pytest.mark.parametrize("model, Y, shapes", models_and_targets())
def test_params_gradients_and_outputs_have_the_documented_shapes(model, Y, shapes):
    assert {name: value.shape for name, value in model.params.items()} == shapes
    A = model.forward(X_SMALL)
    assert A.shape == Y.shape and np.all((A > 0) & (A < 1))
    gradients = model.backward(X_SMALL, Y)
    assert {name: value.shape for name, value in gradients.items()} == shapes
    assert model.predict_proba(X_SMALL).shape == Y.shape
    predictions = model.predict(X_SMALL)
    assert predictions.shape == (6,) and predictions.dtype == np.intp
    assert set(predictions) <= set(range(max(2, Y.shape[0])))
    assert isinstance(model.loss(X_SMALL, Y), float)
    assert type(model).__name__ in repr(model)


def test_initialisation_follows_the_recipe():
    net = pylib.SoftmaxNetwork(196, 64, seed=0)
    assert np.isclose(net.params["W1"].std(), 1 / np.sqrt(196), rtol=0.05)
    assert np.isclose(net.params["W2"].std(), 1 / np.sqrt(64), rtol=0.15)
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert np.array_equal(pylib.SoftmaxNetwork(196, 64, seed=0).params["W1"], net.params["W1"])
    assert not np.array_equal(pylib.SoftmaxNetwork(196, 64, seed=1).params["W1"], net.params["W1"])


def test_single_neuron_is_sigmoid_of_a_weighted_sum():
    neuron = pylib.SingleNeuron(5)
    neuron.params["b"][:] = 0.25
    expected = pylib.sigmoid(neuron.params["W"] @ X_SMALL + 0.25)
    assert np.allclose(neuron.forward(X_SMALL), expected)
    assert np.array_equal(neuron.predict(X_SMALL), (expected[0] >= 0.5).astype(int))


def test_backward_runs_forward_itself_when_needed():
    net = pylib.SoftmaxNetwork(5, 4, n_classes=3)
    other = RNG.normal(size=(5, 6))
    net.forward(other)
    fresh = pylib.SoftmaxNetwork(5, 4, n_classes=3).backward(X_SMALL, Y_CLASSES)
    for name, gradient in net.backward(X_SMALL, Y_CLASSES).items():
        assert np.allclose(gradient, fresh[name])


def test_models_name_the_expected_and_received_shapes():
    net = pylib.SoftmaxNetwork(5, 4, n_classes=3)
    with pytest.raises(ValueError, match=r"X must have shape \(5, m\); received shape \(4, 6\)"):
        net.forward(X_SMALL[:4])
    with pytest.raises(ValueError, match=r"Y must have shape \(3, 6\); received shape \(3, 5\)"):
        net.backward(X_SMALL, Y_CLASSES[:, :5])
    with pytest.raises(ValueError, match="must be one-hot"):
        net.loss(X_SMALL, Y_CLASSES * 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.predict(np.full((5, 2), np.nan))


@pytest.mark.parametrize("make, error", [
    (lambda: pylib.SingleNeuron(0), ValueError),
    (lambda: pylib.SingleNeuron(2.5), TypeError),
    (lambda: pylib.HiddenLayerNetwork(3, "4"), TypeError),
    (lambda: pylib.SoftmaxNetwork(3, 4, n_classes=1), ValueError),
    (lambda: pylib.SoftmaxNetwork(3, 4, seed="zero"), TypeError),
])
def test_models_reject_bad_sizes(make, error):
    with pytest.raises(error, match="received"):
        make()


@pytest.mark.parametrize("make", [lambda: pylib.SoftmaxNetwork(6, 4, 3, seed=0),
                                  lambda: pylib.HiddenLayerNetwork(6, 4, seed=0),
                                  lambda: pylib.SingleNeuron(6, seed=0)])
def test_predictions_on_many_examples_are_made_a_batch_at_a_time_with_the_same_result(make, monkeypatch):
    from pylib import model as model_module

    monkeypatch.setattr(model_module, "PREDICT_BATCH", 5)
    model = make()
    X = np.random.default_rng(1).uniform(0, 1, size=(6, 12))    # batches of 5, 5 and 2
    np.testing.assert_allclose(model.predict_proba(X), model.forward(X), rtol=1e-13)
    assert np.array_equal(model.predict(X), model._labels_of(model.forward(X)))
