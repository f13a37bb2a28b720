"""Fit one comment classifier and its out-of-fold probabilities, grouped by thread.

The out-of-fold decision values are the very ones the sigmoid calibration is fitted on
(same folds, same estimator, same seed), so passing them through the fitted calibrators
gives calibrated probabilities for every training comment from a model that never saw
its thread: what the cross-validation metrics, the promotion threshold and the health
weights are computed from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from service.scoring.classifier import BLOCKS, build_classifier, calibrated
from service.scoring.engine import apply_calibrators


def no_track(items: Iterable, description: str) -> Iterable:
    """The default progress hook: none."""
    return items


Track = Callable[[Iterable, str], Iterable]


@contextmanager
def step(track: Track, description: str) -> Iterator[None]:
    """A step of one piece of work, shown (and timed) by ``track`` like any other."""
    for _ in track([None], description):
        yield


def grouped_folds(strata: list[str], groups: list[str], k: int, seed: int) -> list:
    """Folds grouped by thread, stratified by ``strata`` (label x language)."""
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(strata)), strata, groups))


def classifier(section: dict, seed: int):
    """An unfitted classifier pipeline from one section of the training config."""
    return build_classifier(c=section["c"], word_ngrams=section["word_ngrams"],
                            char_ngrams=tuple(section["char_ngrams"]),
                            class_weight=section.get("class_weight"), seed=seed,
                            blocks=tuple(section.get("blocks", BLOCKS)),
                            drop_cues=tuple(section.get("drop_cues", ())))


def out_of_fold_decision(rows: list, y: np.ndarray, splits: list, base,
                         track: Track = no_track, name: str = "") -> np.ndarray:
    """Decision values of every row from the fold model that did not see its thread."""
    decision: np.ndarray | None = None
    for train_idx, test_idx in track(splits, f"{name} folds"):
        model = clone(base).fit([rows[i] for i in train_idx], y[train_idx])
        part = model.decision_function([rows[i] for i in test_idx])
        if decision is None:
            decision = np.zeros((len(rows), *part.shape[1:]))
        decision[test_idx] = part
    return decision


def fit_axis(rows: list, y: np.ndarray, splits: list, section: dict, seed: int,
             track: Track = no_track, name: str = "") -> tuple:
    """(calibrated model fitted on all rows, calibrated out-of-fold probabilities)."""
    base = classifier(section, seed)
    decision = out_of_fold_decision(rows, y, splits, base, track, name)
    for model in track([calibrated(base, splits)], f"{name} final model"):
        model.fit(rows, y)
    return model, apply_calibrators(model.calibrated_classifiers_[0].calibrators, decision)


def forget_process_ids(model) -> None:
    """Drop scikit-learn's cached ``id(stop_words)`` from the vectorizers: a memory address,
    different in every process and recomputed on first use; without it the same training
    writes the same bytes."""
    pipeline = model.calibrated_classifiers_[0].estimator
    for _, step in pipeline.named_steps["features"].transformer_list:
        for _, part in getattr(step, "steps", [(None, step)]):
            if hasattr(part, "_stop_words_id"):
                del part._stop_words_id
