"""How well a tagger's labels agree with given ones: per-label P/R/F1, macro-F1, accuracy."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.preprocessing import MultiLabelBinarizer

from ..errors import InputError
from .model import LabelReport, Report


def cross_validate(
    make_tagger: Callable,
    texts: Sequence[str],
    labels_list: Sequence[Sequence[str]],
    folds: int,
    vectors: np.ndarray | None,
    groups: Sequence | None = None,
) -> Report:
    """Train ``make_tagger()`` on all folds but one, predict that one, for every fold.

    With ``groups`` (e.g. the project each text comes from), a group's texts stay in one fold:
    the score is that of texts from groups the tagger never saw."""
    if folds < 2 or folds > len(texts):
        raise InputError(
            f"cross-validation needs 2 to {len(texts)} folds for {len(texts)} examples "
            f"(got {folds})"
        )
    predicted: list[list[str]] = [[] for _ in texts]
    for train, test in _splits(labels_list, folds, groups):
        tagger = make_tagger().fit(
            [texts[i] for i in train],
            [labels_list[i] for i in train],
            None if vectors is None else vectors[train],
        )
        guesses = tagger.predict(
            [texts[i] for i in test], None if vectors is None else vectors[test]
        )
        for i, guess in zip(test, guesses, strict=False):
            predicted[i] = guess
    return score_predictions(labels_list, predicted, folds)


def _splits(labels_list: Sequence[Sequence[str]], folds: int, groups: Sequence | None = None):
    if groups is not None:
        if len(groups) != len(labels_list):
            raise InputError(f"{len(groups)} groups given for {len(labels_list)} examples")
        if len(set(groups)) < folds:
            raise InputError(f"cross-validation by group needs at least {folds} groups")
        return GroupKFold(folds).split(np.zeros(len(groups)), groups=groups)
    single = all(len(labels) == 1 for labels in labels_list)
    firsts = [labels[0] for labels in labels_list]
    counts = {label: firsts.count(label) for label in set(firsts)}
    if single and min(counts.values()) >= folds:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
        return splitter.split(np.zeros(len(firsts)), firsts)
    # Too few examples of some label to stratify: plain shuffled folds.
    return KFold(folds, shuffle=True, random_state=0).split(np.zeros(len(firsts)))


def score_predictions(
    truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], folds: int = 0
) -> Report:
    """Compare label sets; in single-label data, accuracy is that of the top label."""
    labels = sorted({x for row in truth for x in row})
    binarizer = MultiLabelBinarizer(classes=labels)
    y_true = binarizer.fit_transform(truth)
    known = [[x for x in row if x in set(labels)] for row in predicted]
    y_pred = binarizer.transform(known)
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=0
    )
    rows = tuple(
        LabelReport(label, float(p[j]), float(r[j]), float(f[j]), int(support[j]))
        for j, label in enumerate(labels)
    )
    single = all(len(row) == 1 for row in truth)
    exact = np.mean([set(t) == set(g) for t, g in zip(truth, predicted, strict=False)])
    return Report(
        labels=rows,
        macro_f1=float(np.mean(f)),
        micro_f1=float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        accuracy=float(exact),
        folds=folds,
        documents=len(truth),
        mode="single-label" if single else "multi-label",
    )
