import numpy as np
import pytest
from sklearn import metrics as sk

import pylib

RNG = np.random.default_rng(3)
Y_TRUE = RNG.integers(0, 5, 400)
Y_PRED = np.where(RNG.random(400) < 0.7, Y_TRUE, RNG.integers(0, 5, 400))


def test_accuracy_matches_scikit_learn():
    assert np.isclose(pylib.accuracy(Y_TRUE, Y_PRED), sk.accuracy_score(Y_TRUE, Y_PRED))


def test_confusion_matrix_matches_scikit_learn():
    cm = pylib.confusion_matrix(Y_TRUE, Y_PRED)
    assert cm.dtype == np.int64
    assert np.array_equal(cm, sk.confusion_matrix(Y_TRUE, Y_PRED))
    assert pylib.confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)


def test_per_class_scores_match_scikit_learn_including_empty_classes():
    y_pred = Y_PRED.copy()
    y_pred[y_pred == 4] = 3            # class 4 is never predicted: precision 0 by convention
    scores = pylib.per_class_scores(Y_TRUE, y_pred)
    precision, recall, f1, support = sk.precision_recall_fscore_support(Y_TRUE, y_pred, zero_division=0)
    assert np.allclose(scores["precision"], precision) and np.allclose(scores["recall"], recall)
    assert np.allclose(scores["f1"], f1) and np.array_equal(scores["support"], support)


def test_classification_report_lists_every_class_and_the_averages():
    report = pylib.classification_report(Y_TRUE, Y_PRED)
    lines = report.splitlines()
    assert lines[0].split() == ["class", "precision", "recall", "f1", "support"]
    f1 = sk.f1_score(Y_TRUE, Y_PRED, average=None)
    for k in range(5):
        assert lines[1 + k].split()[0] == str(k) and lines[1 + k].split()[3] == f"{f1[k]:.3f}"
    assert f"{sk.accuracy_score(Y_TRUE, Y_PRED):.3f}" in report
    assert f"{sk.f1_score(Y_TRUE, Y_PRED, average='macro'):.3f}" in lines[-1]


@pytest.mark.parametrize("function", [pylib.accuracy, pylib.confusion_matrix, pylib.per_class_scores,
                                      pylib.classification_report])
def test_metrics_report_mismatched_or_bad_labels(function):
    with pytest.raises(ValueError, match=r"received \(3,\) and \(2,\)"):
        function([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="at least one label"):
        function([], [])
    with pytest.raises(TypeError, match="integer labels"):
        function(["a"], ["b"])


def test_confusion_matrix_rejects_labels_beyond_n_classes():
    with pytest.raises(ValueError, match="0 .. 1; received the label 2"):
        pylib.confusion_matrix([0, 2], [0, 1], n_classes=2)
