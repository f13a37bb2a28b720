"""The act model's second stage: a comment's first-stage scores read in their thread.

The first stage (``linear.py``) scores a comment from its words and its cue and context
values, each adding to the score on its own. Many acts are combinations: a short reply to
a question is an answer, a short comment under nobody is a reaction, an argument that
answers a listening comment is a contribution. The second stage is a small gradient-boosted
tree ensemble over the first stage's probabilities, those of the comment it replies to
(none when it replies to nobody), and the cue and context values, so these combinations
are learned rather than written as rules. Like the first stage, it reads the context
values of answers by position (right after someone else's question, overlap with the two
comments before) but not the comment's position itself.

Training fits scikit-learn's ``HistGradientBoostingClassifier`` on out-of-fold first-stage
probabilities and exports its trees here as plain arrays (``training/context_fit.py``);
``TreeEnsemble.proba`` gives scikit-learn's probabilities (``tests/scoring/
test_context_model.py``), walking every tree at once, one numpy step per tree level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import softmax

from .linear import FormatError, _array, _field

DIGITS = 6  # first-stage probabilities kept for replies are rounded to this


def base_item(comment_id: str) -> str:
    """Key of a comment's first-stage act probabilities in the thread state (for the
    comments that will reply to it)."""
    return "p:" + comment_id


@dataclass(eq=False)
class TreeEnsemble:
    """Trees of a fitted multi-class gradient-boosting model as flat node arrays.

    Tree ``t`` starts at node ``roots[t]`` and adds to the raw score of class ``t % k``.
    A split sends a row left when its value of ``feature`` is at most ``threshold``; a leaf
    points to itself on both sides, so ``depth`` steps from the roots reach every leaf.
    """

    feature: np.ndarray  # int32, per node
    threshold: np.ndarray  # float64, per node
    left: np.ndarray  # int32, per node
    right: np.ndarray  # int32, per node
    value: np.ndarray  # float64, per node (used at leaves)
    roots: np.ndarray  # int32, per tree
    baseline: np.ndarray  # float64, per class
    depth: int

    def __post_init__(self):
        # The walk's arrays: node ``i``'s children at ``2 i`` (left) and ``2 i + 1``
        # (right), indices in the platform's index type (no conversion at each step).
        self.children = np.column_stack([self.left, self.right]).ravel().astype(np.intp)
        self.split_on = self.feature.astype(np.intp)
        self.starts = self.roots.astype(np.intp)

    @property
    def classes(self) -> int:
        return len(self.baseline)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw scores (rows x classes): the baseline plus each class's trees' leaf values.

        Every row walks every tree at once: one gather per level on a rows x trees array of
        node indices (1.1 ms for a thread of 20 comments, against 2.1 ms choosing between
        both children with ``np.where``)."""
        rows, width = x.shape
        values = np.ascontiguousarray(x, dtype=np.float64).ravel()
        offsets = (np.arange(rows, dtype=np.intp) * width)[:, None]
        node = np.broadcast_to(self.starts, (rows, len(self.starts)))
        for _ in range(self.depth):
            right = values[offsets + self.split_on[node]] > self.threshold[node]
            node = self.children[2 * node + right]
        leaves = self.value[node].reshape(rows, -1, self.classes)
        return self.baseline + leaves.sum(axis=1)

    def proba(self, x: np.ndarray) -> np.ndarray:
        return softmax(self.raw(x), axis=1)

    def plain(self, prefix: str) -> tuple[dict, dict]:
        arrays = {f"{prefix}.{name}": getattr(self, name) for name in
                  ("feature", "threshold", "left", "right", "value", "roots", "baseline")}
        return {"depth": self.depth}, arrays

    @classmethod
    def from_plain(cls, spec: dict, arrays: dict, prefix: str, width: int, classes: int,
                   where: str) -> TreeEnsemble:
        """Read and check the arrays: every index in range (``_array`` checks that every
        number is finite)."""
        depth = _field(spec, "depth", int, where)
        feature = _array(arrays, f"{prefix}.feature", "i", 1).astype(np.int32)
        nodes = len(feature)
        got = {name: _array(arrays, f"{prefix}.{name}", kind, 1)
               for name, kind in (("threshold", "f"), ("left", "i"), ("right", "i"),
                                  ("value", "f"), ("roots", "i"), ("baseline", "f"))}
        if any(len(got[n]) != nodes for n in ("threshold", "left", "right", "value")):
            raise FormatError(f"model.npz: {prefix}: node arrays of different lengths")
        if len(got["baseline"]) != classes or len(got["roots"]) % classes or not len(got["roots"]):
            raise FormatError(f"model.npz: {prefix}: expected {classes} classes and a whole "
                              "number of trees per class")
        indices = np.concatenate([got["left"], got["right"], got["roots"]])
        if nodes == 0 or indices.min() < 0 or indices.max() >= nodes or (
                feature.min() < 0 or feature.max() >= width):
            raise FormatError(f"model.npz: {prefix}: a node or feature index out of range")
        if not 0 < depth <= 64:
            raise FormatError(f"{where}.depth: expected 1 to 64")
        return cls(feature, got["threshold"].astype(np.float64),
                   got["left"].astype(np.int32), got["right"].astype(np.int32),
                   got["value"].astype(np.float64), got["roots"].astype(np.int32),
                   got["baseline"].astype(np.float64), depth)


@dataclass(eq=False)
class ContextModel:
    """The second stage: inputs built from the first stage's scores and the values
    named in ``keys``, the trees that read them."""

    keys: tuple[str, ...]  # cue and context values, in column order after the scores
    trees: TreeEnsemble

    @staticmethod
    def inputs(keys: tuple[str, ...], base: np.ndarray, parent: np.ndarray,
               has_parent: np.ndarray, numeric: list[dict]) -> np.ndarray:
        """Rows of: the comment's first-stage probabilities, its parent's (zeros when it
        has none), whether it has one, then the values of ``keys`` (0 when absent)."""
        values = np.array([[row.get(k, 0.0) for k in keys] for row in numeric],
                          dtype=np.float64).reshape(len(numeric), len(keys))
        return np.hstack([base, parent, has_parent.reshape(-1, 1).astype(np.float64), values])

    def proba(self, base: np.ndarray, parent: np.ndarray, has_parent: np.ndarray,
              numeric: list[dict]) -> np.ndarray:
        return self.trees.proba(self.inputs(self.keys, base, parent, has_parent, numeric))

    def plain(self, prefix: str) -> tuple[dict, dict]:
        spec, arrays = self.trees.plain(prefix)
        return {"kind": "gradient_boosted_trees", "keys": list(self.keys), **spec}, arrays

    @classmethod
    def from_plain(cls, spec, arrays: dict, prefix: str, classes: int,
                   where: str) -> ContextModel:
        if not isinstance(spec, dict):
            raise FormatError(f"{where}: expected an object or null")
        if spec.get("kind") != "gradient_boosted_trees":
            raise FormatError(f"{where}.kind: expected 'gradient_boosted_trees'")
        keys = _field(spec, "keys", list, where)
        if not all(isinstance(k, str) for k in keys):
            raise FormatError(f"{where}.keys: expected a list of names")
        width = 2 * classes + 1 + len(keys)
        return cls(tuple(keys), TreeEnsemble.from_plain(spec, arrays, prefix, width, classes,
                                                        where))


def rounded(base: np.ndarray) -> list[float]:
    """One comment's first-stage probabilities as the thread state keeps them."""
    return [round(float(p), DIGITS) for p in base]

