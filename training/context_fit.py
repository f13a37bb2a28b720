"""Fit the act model's second stage (``service/scoring/context_model.py``).

Its inputs are the first stage's out-of-fold probabilities (so it learns from scores like
the ones a model that never saw the thread gives, as in service), those of the comment each
one replies to, rounded as the thread state keeps them, and the cue and context values.
Its own out-of-fold probabilities, on the first stage's folds, are what the figures, the
health weights and the report are computed from.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from service.scoring.context_model import DIGITS, ContextModel, TreeEnsemble

from .fit import Track, no_track


def parent_rows(threads: list[dict]) -> list[int | None]:
    """For each comment of ``threads`` (in order, all threads in one list), the row of the
    earlier comment of its thread it replies to, else None (as the engine finds parents)."""
    out: list[int | None] = []
    for thread in threads:
        start, seen = len(out), {}
        for i, comment in enumerate(thread["comments"]):
            out.append(seen.get(comment.get("reply_to")))
            seen[comment["id"]] = start + i
    return out


def context_inputs(keys: tuple[str, ...], base: np.ndarray, parents: list[int | None],
                   numeric: list[dict]) -> np.ndarray:
    """The second stage's input rows for comments whose first-stage scores are ``base``."""
    has = np.array([p is not None for p in parents])
    parent = np.zeros_like(base)
    rows = [p for p in parents if p is not None]
    parent[has] = np.round(base[rows], DIGITS)
    return ContextModel.inputs(keys, base, parent, has, numeric)


def classifier(section: dict, seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=int(section["trees"]), learning_rate=float(section["learning_rate"]),
        max_leaf_nodes=int(section["leaves"]), l2_regularization=float(section["l2"]),
        early_stopping=False, random_state=seed)


def export_trees(model: HistGradientBoostingClassifier) -> TreeEnsemble:
    """A fitted multi-class model's trees as flat arrays (numerical splits only)."""
    parts, roots, offset, depth = [], [], 0, 1
    for iteration in model._predictors:
        for predictor in iteration:
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not exported")
            own = np.arange(offset, offset + len(nodes), dtype=np.int32)
            leaf = nodes["is_leaf"].astype(bool)
            parts.append((np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32),
                          np.where(leaf, 0.0, nodes["num_threshold"]),
                          np.where(leaf, own, offset + nodes["left"].astype(np.int64)),
                          np.where(leaf, own, offset + nodes["right"].astype(np.int64)),
                          np.where(leaf, nodes["value"], 0.0)))
            roots.append(offset)
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    feature, threshold, left, right, value = (np.concatenate(column) for column in zip(*parts,
                                                                                       strict=True))
    return TreeEnsemble(feature, threshold.astype(np.float64), left.astype(np.int32),
                        right.astype(np.int32), value.astype(np.float64),
                        np.asarray(roots, dtype=np.int32),
                        np.asarray(model._baseline_prediction, dtype=np.float64).ravel(),
                        depth)


def fit_context(threads: list[dict], numeric: list[dict], y: np.ndarray, base_oof: np.ndarray,
                splits: list, section: dict, drop: tuple[str, ...], seed: int,
                track: Track = no_track) -> tuple[ContextModel, np.ndarray]:
    """(second stage fitted on every row, its out-of-fold probabilities)."""
    keys = tuple(sorted({k for row in numeric for k in row} - set(drop)))
    x = context_inputs(keys, base_oof, parent_rows(threads), numeric)
    oof = np.zeros_like(base_oof)
    for train_idx, test_idx in track(splits, "act context folds"):
        fold = classifier(section, seed).fit(x[train_idx], y[train_idx])
        oof[test_idx] = fold.predict_proba(x[test_idx])
    model = classifier(section, seed).fit(x, y)
    return ContextModel(keys, export_trees(model)), oof
