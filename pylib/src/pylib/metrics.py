"""Scoring predictions: accuracy, confusion matrix, per-class precision, recall and F1."""

import numpy as np

from .validation import MAX_CLASSES, PylibValueError, as_labels, as_n_classes


def _pair(y_true, y_pred):
    """Check two label arrays of one length; return them as numpy.intp (the index integer, int32 in Pyodide)."""
    y_true = as_labels(y_true, "y_true")
    y_pred = as_labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise PylibValueError(
            f"y_true and y_pred must have the same shape (m,); received {y_true.shape} and {y_pred.shape}"
        )
    if y_true.size == 0:
        raise PylibValueError("y_true and y_pred must hold at least one label; received empty arrays")
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """The fraction of predictions that are right.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,)

    Returns
    -------
    float in [0, 1]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,)
    n_classes : int, optional
        Defaults to 1 + the largest label seen; at most 1000.

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)
        Entry [i, j] counts the examples of true class i predicted as j
        (rows true, columns predicted); the diagonal holds the right answers.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    largest = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is None:
        if largest > MAX_CLASSES:
            raise PylibValueError(f"labels must lie in 0 .. {MAX_CLASSES - 1} (the table has one row and one "
                                  f"column per class); received the label {largest - 1}")
        n_classes = largest
    n_classes = as_n_classes(n_classes)
    if largest > n_classes:
        raise PylibValueError(f"labels must lie in 0 .. {n_classes - 1}; received the label {largest - 1}")
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def per_class_scores(y_true, y_pred):
    """Precision, recall, F1 and support of every class.

    precision_k = TP / (TP + FP), recall_k = TP / (TP + FN),
    F1_k = 2 precision recall / (precision + recall); a ratio with a zero
    denominator counts as 0.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,)

    Returns
    -------
    dict
        "precision", "recall", "f1" (float arrays) and "support" (int array,
        true examples per class), each of shape (n_classes,).
    """
    cm = confusion_matrix(y_true, y_pred)
    true_positives = np.diag(cm).astype(np.float64)
    predicted = cm.sum(axis=0)
    support = cm.sum(axis=1)
    precision = _ratio(true_positives, predicted)
    recall = _ratio(true_positives, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def _ratio(numerator, denominator):
    """numerator / denominator element-wise, 0 where the denominator is 0."""
    out = np.zeros(len(numerator))
    nonzero = denominator > 0
    out[nonzero] = numerator[nonzero] / denominator[nonzero]
    return out


def classification_report(y_true, y_pred):
    """A text table of precision, recall, F1 and support per class, plus averages.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,)

    Returns
    -------
    str
        One row per class, then the accuracy and the macro average.
    """
    scores = per_class_scores(y_true, y_pred)
    lines = [f"{'class':>8} {'precision':>10} {'recall':>10} {'f1':>10} {'support':>10}"]
    for k in range(len(scores["support"])):
        lines.append(
            f"{k:>8} {scores['precision'][k]:>10.3f} {scores['recall'][k]:>10.3f} "
            f"{scores['f1'][k]:>10.3f} {scores['support'][k]:>10d}"
        )
    total = int(scores["support"].sum())
    lines.append("")
    lines.append(f"{'accuracy':>8} {'':>10} {'':>10} {accuracy(y_true, y_pred):>10.3f} {total:>10d}")
    lines.append(
        f"{'macro':>8} {scores['precision'].mean():>10.3f} {scores['recall'].mean():>10.3f} "
        f"{scores['f1'].mean():>10.3f} {total:>10d}"
    )
    return "\n".join(lines)
