"""The comment classifiers as plain data: feature blocks, weights, calibration.

This is what a model bundle holds and what the engine scores with. Every part is numbers,
strings and arrays of numbers or strings: a bundle is read with ``json`` and
``numpy.load(allow_pickle=False)`` and never unpickled, so a bundle cannot run code when
it is loaded (``service/scoring/bundles.py``). Training fits scikit-learn pipelines and
exports them to this form (``training/export.py``); the predictions are the same, bit for
bit (``tests/scoring/test_linear.py``).

``to_plain`` gives a classifier's description (JSON) and its arrays; ``from_plain`` checks
them, field by field, and raises ``FormatError`` naming the first field that is missing or
wrong, so a damaged or hand-made bundle is refused with a reason instead of failing later.
"""

from __future__ import annotations

import math
from dataclasses import InitVar, dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit

from .vectorize import (
    NORMS,
    TOKEN_PATTERNS,
    CharNgramCounts,
    CueValues,
    Weighting,
    WordNgramCounts,
)

SOURCES = ("lemmas", "masked")  # the PreparedComment field a text block reads
ANALYZERS = ("word", "char_wb")
MAX_NGRAM = 10
# Values that are plumbing, not reasons a moderator can read.
NOT_CUES = ("log_", "lang_", "question_marks", "question_openers", "flat_thread")


class FormatError(ValueError):
    """A bundle's model description or arrays are not what this version reads."""


def mean_vectors(keys: np.ndarray, rows: np.ndarray, table: np.ndarray,
                 comments) -> sparse.csr_matrix:
    """The L2-normalised mean word vector of each comment's ``words`` (zeros when no word
    is known); ``keys`` are spaCy's sorted word hashes, ``rows`` their row of ``table``."""
    from spacy.strings import get_string_id

    out = np.zeros((len(comments), table.shape[1]), dtype=np.float64)
    for i, comment in enumerate(comments):
        if not comment.words or not len(keys):
            continue
        hashes = np.fromiter((get_string_id(w) for w in comment.words), dtype=np.uint64,
                             count=len(comment.words))
        at = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
        found = rows[at[keys[at] == hashes]]
        if len(found):
            mean = table[found].astype(np.float64).mean(axis=0)
            norm = np.linalg.norm(mean)
            out[i] = mean / norm if norm else mean
    return sparse.csr_matrix(out)


@dataclass(eq=False)
class TextBlock:
    """TF-IDF of word or character n-grams of one text field of the prepared comments.

    The vocabulary is kept once, as the dict the counts look terms up in (in column
    order); the fixed-width array it came from (31 MB for 163,000 word n-grams) is
    rebuilt, with its dtype, only when the block is written out."""

    name: str
    source: str
    analyzer: str
    terms: InitVar[np.ndarray]  # the vocabulary, term i at column i
    ngram_range: tuple[int, int]
    lowercase: bool
    token_pattern: str | None
    weighting: Weighting
    kind = "text"

    def __post_init__(self, terms: np.ndarray):
        self.terms_dtype = terms.dtype
        vocabulary = {term: i for i, term in enumerate(terms.tolist())}
        if self.analyzer == "char_wb":
            self.counts = CharNgramCounts(vocabulary, self.ngram_range, self.weighting,
                                          self.lowercase)
        else:
            self.counts = WordNgramCounts(vocabulary, self.ngram_range, self.weighting,
                                          self.token_pattern, self.lowercase)

    @property
    def width(self) -> int:
        return len(self.counts.vocabulary)

    def transform(self, comments):
        return self.counts.transform([getattr(c, self.source) for c in comments])

    def plain(self) -> tuple[dict, dict]:
        spec = {"name": self.name, "kind": self.kind, "source": self.source,
                "analyzer": self.analyzer, "ngram_range": list(self.ngram_range),
                "lowercase": self.lowercase, "token_pattern": self.token_pattern,
                "sublinear_tf": self.weighting.sublinear_tf, "norm": self.weighting.norm,
                "use_idf": self.weighting.idf is not None}
        arrays = {"terms": np.array(list(self.counts.vocabulary), dtype=self.terms_dtype)}
        if self.weighting.idf is not None:
            arrays["idf"] = self.weighting.idf
        return spec, arrays


@dataclass(eq=False)
class CueBlock:
    """The named cue and context values, each divided by its largest training value."""

    name: str
    names: np.ndarray  # cue names, name i at column i (sorted, as DictVectorizer keeps them)
    scale: np.ndarray
    drop: tuple[str, ...] = ()
    kind = "cues"

    def __post_init__(self):
        self.values = CueValues({n: i for i, n in enumerate(self.names.tolist())}, self.scale)

    @property
    def width(self) -> int:
        return len(self.names)

    def transform(self, comments):
        drop = self.drop
        return self.values.transform([{k: v for k, v in c.numeric.items() if k not in drop}
                                      if drop else c.numeric for c in comments])

    def plain(self) -> tuple[dict, dict]:
        return ({"name": self.name, "kind": self.kind, "drop": list(self.drop)},
                {"names": self.names, "scale": self.scale})


@dataclass(eq=False)
class VectorBlock:
    """Mean static word vectors (the optional ``vectors`` block of the training config)."""

    name: str
    keys: np.ndarray  # uint64 word hashes, sorted
    rows: np.ndarray  # int32 row of each key in ``table``
    table: np.ndarray  # float16, one vector per row
    kind = "vectors"

    @property
    def width(self) -> int:
        return self.table.shape[1]

    def transform(self, comments):
        return mean_vectors(self.keys, self.rows, self.table, comments)

    def plain(self) -> tuple[dict, dict]:
        return ({"name": self.name, "kind": self.kind},
                {"keys": self.keys, "rows": self.rows, "table": self.table})


Block = TextBlock | CueBlock | VectorBlock


def transform_features(blocks: tuple[Block, ...], comments) -> sparse.csr_matrix:
    """Every block of ``blocks`` side by side, as scikit-learn's FeatureUnion stacks them."""
    return sparse.hstack([block.transform(comments) for block in blocks], format="csr")


def sigmoid(a: float, b: float, values: np.ndarray) -> np.ndarray:
    """A sigmoid calibrator (Platt): ``1 / (1 + exp(a * v + b))``."""
    return expit(-(a * values + b))


def apply_calibrators(calibrators, decision: np.ndarray) -> np.ndarray:
    """Calibrated probabilities from decision values, as scikit-learn computes them;
    ``calibrators`` are (a, b) pairs, one per class (one for a binary model)."""
    if decision.ndim == 1:
        positive = sigmoid(*calibrators[0], decision)
        return np.column_stack([1 - positive, positive])
    proba = np.column_stack([sigmoid(a, b, decision[:, k])
                             for k, (a, b) in enumerate(calibrators)])
    sums = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1 / proba.shape[1])
    return np.where(sums > 0, proba / np.where(sums == 0, 1, sums), uniform)


@dataclass(eq=False)
class LinearModel:
    """A calibrated logistic regression over feature blocks."""

    classes: tuple[str, ...]
    blocks: tuple[Block, ...]
    coef: np.ndarray  # (1 or classes, width)
    intercept: np.ndarray
    calibrators: tuple[tuple[float, float], ...]

    def __post_init__(self):
        # Laid out once: scipy copies a non-contiguous coef_.T on every sparse product.
        self.weights = np.ascontiguousarray(self.coef.T)

    def features(self, comments) -> sparse.csr_matrix:
        return transform_features(self.blocks, comments)

    def decision(self, matrix) -> np.ndarray:
        """LogisticRegression.decision_function on features already computed."""
        scores = matrix @ self.weights + self.intercept
        return scores.reshape(-1) if scores.shape[1] == 1 else scores

    def proba(self, matrix) -> np.ndarray:
        """Calibrated probabilities per class (columns in ``classes`` order)."""
        return apply_calibrators(self.calibrators, self.decision(matrix))

    def cue_columns(self) -> tuple[slice, list[str]]:
        """Where the cue block's columns are, and the cue names."""
        start = 0
        for block in self.blocks:
            if block.kind == "cues":
                return slice(start, start + block.width), block.names.tolist()
            start += block.width
        return slice(start, start), []  # no cue block (an ablation): nothing to explain with


def same_features(a: tuple[Block, ...], b: tuple[Block, ...]) -> bool:
    """Whether two block lists compute the same features (then one transform serves both)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        (spec_x, arrays_x), (spec_y, arrays_y) = x.plain(), y.plain()
        if spec_x != spec_y or arrays_x.keys() != arrays_y.keys():
            return False
        if not all(np.array_equal(arrays_x[k], arrays_y[k]) for k in arrays_x):
            return False
    return True


# -- plain form ---------------------------------------------------------------------------
def blocks_to_plain(blocks: tuple[Block, ...], prefix: str) -> tuple[list[dict], dict]:
    specs, arrays = [], {}
    for block in blocks:
        spec, mine = block.plain()
        specs.append(spec)
        arrays.update({f"{prefix}.{block.name}.{key}": value for key, value in mine.items()})
    return specs, arrays


def to_plain(model: LinearModel, prefix: str, features: list[dict] | str | None = None
             ) -> tuple[dict, dict]:
    """(description, arrays) of ``model``; ``features`` names another classifier whose
    blocks this one shares (they are then written once)."""
    arrays = {f"{prefix}.coef": model.coef, f"{prefix}.intercept": model.intercept}
    if features is None:
        features, block_arrays = blocks_to_plain(model.blocks, prefix)
        arrays.update(block_arrays)
    spec = {"classes": list(model.classes), "features": features,
            "calibration": [{"method": "sigmoid", "a": a, "b": b} for a, b in model.calibrators]}
    return spec, arrays


def _field(spec: dict, key: str, kinds, where: str):
    if not isinstance(spec, dict):
        raise FormatError(f"{where}: expected an object")
    if key not in spec:
        raise FormatError(f"{where}.{key}: missing")
    value, allowed = spec[key], kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        raise FormatError(f"{where}.{key}: expected {_kind_names(kinds)}, got "
                          f"{type(value).__name__}")
    return value


def _kind_names(kinds) -> str:
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    names = {bool: "true/false", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "an object", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _array(arrays: dict, key: str, kind: str, ndim: int) -> np.ndarray:
    """The array ``key``, checked: its dtype kind (``f`` float, ``U`` text, ``u``/``i``
    integers) and number of dimensions; floats must be finite."""
    if key not in arrays:
        raise FormatError(f"model.npz: no array {key!r}")
    value = arrays[key]
    if value.dtype.kind != kind or value.ndim != ndim:
        raise FormatError(f"model.npz: {key}: expected a {ndim}-D array of kind {kind!r}, got "
                          f"{value.ndim}-D {value.dtype}")
    if kind == "f" and not np.isfinite(value).all():
        raise FormatError(f"model.npz: {key}: not every value is finite")
    return value


def _unique_terms(terms: np.ndarray, key: str) -> np.ndarray:
    if len(set(terms.tolist())) != len(terms):
        raise FormatError(f"model.npz: {key}: a term appears twice")
    return terms


def _text_block(spec: dict, arrays: dict, name: str, prefix: str, where: str) -> TextBlock:
    source = _field(spec, "source", str, where)
    analyzer = _field(spec, "analyzer", str, where)
    if source not in SOURCES:
        raise FormatError(f"{where}.source: expected one of {', '.join(SOURCES)}")
    if analyzer not in ANALYZERS:
        raise FormatError(f"{where}.analyzer: expected one of {', '.join(ANALYZERS)}")
    ngrams = _field(spec, "ngram_range", list, where)
    if (len(ngrams) != 2 or not all(type(n) is int for n in ngrams)
            or not 1 <= ngrams[0] <= ngrams[1] <= MAX_NGRAM):
        raise FormatError(f"{where}.ngram_range: expected two integers 1 ≤ low ≤ high ≤ "
                          f"{MAX_NGRAM}")
    pattern = None
    if analyzer == "word":
        pattern = _field(spec, "token_pattern", str, where)
        if pattern not in TOKEN_PATTERNS:
            raise FormatError(f"{where}.token_pattern: expected one of "
                              f"{', '.join(map(repr, TOKEN_PATTERNS))}")
    norm = _field(spec, "norm", (str, type(None)), where)
    if norm not in NORMS:
        raise FormatError(f"{where}.norm: expected 'l1', 'l2' or null")
    terms = _unique_terms(_array(arrays, f"{prefix}.{name}.terms", "U", 1),
                          f"{prefix}.{name}.terms")
    idf = None
    if _field(spec, "use_idf", bool, where):
        idf = _array(arrays, f"{prefix}.{name}.idf", "f", 1).astype(np.float64)
        if len(idf) != len(terms):
            raise FormatError(f"model.npz: {prefix}.{name}.idf: {len(idf)} weights for "
                              f"{len(terms)} terms")
    weighting = Weighting(_field(spec, "sublinear_tf", bool, where), idf, norm)
    return TextBlock(name, source, analyzer, terms, (ngrams[0], ngrams[1]),
                     _field(spec, "lowercase", bool, where), pattern, weighting)


def _cue_block(spec: dict, arrays: dict, name: str, prefix: str, where: str) -> CueBlock:
    drop = _field(spec, "drop", list, where)
    if not all(isinstance(d, str) for d in drop):
        raise FormatError(f"{where}.drop: expected a list of cue names")
    names = _unique_terms(_array(arrays, f"{prefix}.{name}.names", "U", 1),
                          f"{prefix}.{name}.names")
    scale = _array(arrays, f"{prefix}.{name}.scale", "f", 1).astype(np.float64)
    if len(scale) != len(names) or (scale == 0).any():
        raise FormatError(f"model.npz: {prefix}.{name}.scale: expected one non-zero scale "
                          f"per cue ({len(names)})")
    return CueBlock(name, names, scale, tuple(drop))


def _vector_block(arrays: dict, name: str, prefix: str) -> VectorBlock:
    keys = _array(arrays, f"{prefix}.{name}.keys", "u", 1).astype(np.uint64)
    rows = _array(arrays, f"{prefix}.{name}.rows", "i", 1).astype(np.int64)
    table = _array(arrays, f"{prefix}.{name}.table", "f", 2)
    if (len(rows) != len(keys) or (len(rows) and (rows.min() < 0 or rows.max() >= len(table)))
            or (np.diff(keys.astype(np.float64)) < 0).any()):
        raise FormatError(f"model.npz: {prefix}.{name}: keys must be sorted, with one row of "
                          "the table each")
    return VectorBlock(name, keys, rows, table)


def blocks_from_plain(specs: list, arrays: dict, prefix: str, where: str
                      ) -> tuple[Block, ...]:
    if not specs:
        raise FormatError(f"{where}: expected at least one feature block")
    blocks, seen = [], set()
    for i, spec in enumerate(specs):
        here = f"{where}[{i}]"
        name = _field(spec, "name", str, here)
        if not name.isidentifier() or name in seen:
            raise FormatError(f"{here}.name: expected a unique word, got {name!r}")
        seen.add(name)
        kind = _field(spec, "kind", str, here)
        if kind == "text":
            blocks.append(_text_block(spec, arrays, name, prefix, here))
        elif kind == "cues":
            blocks.append(_cue_block(spec, arrays, name, prefix, here))
        elif kind == "vectors":
            blocks.append(_vector_block(arrays, name, prefix))
        else:
            raise FormatError(f"{here}.kind: expected 'text', 'cues' or 'vectors'")
    return tuple(blocks)


def from_plain(spec: dict, arrays: dict, prefix: str, classes: tuple[str, ...],
               shared: tuple[Block, ...] | None = None, where: str | None = None
               ) -> LinearModel:
    """The classifier described by ``spec`` (its arrays named ``prefix.…``), checked to
    have the ``classes`` expected; ``shared`` are the blocks another classifier's string
    ``features`` refers to."""
    where = where or prefix
    got = _field(spec, "classes", list, where)
    if tuple(got) != tuple(classes):
        raise FormatError(f"{where}.classes: expected {list(classes)}, got {got}")
    features = _field(spec, "features", (list, str), where)
    if isinstance(features, str):
        if shared is None:
            raise FormatError(f"{where}.features: {features!r} names no classifier before it")
        blocks = shared
    else:
        blocks = blocks_from_plain(features, arrays, prefix, f"{where}.features")
    width = sum(block.width for block in blocks)
    rows = 1 if len(classes) == 2 else len(classes)
    coef = _array(arrays, f"{prefix}.coef", "f", 2).astype(np.float64)
    intercept = _array(arrays, f"{prefix}.intercept", "f", 1).astype(np.float64)
    if coef.shape != (rows, width) or intercept.shape != (rows,):
        raise FormatError(f"model.npz: {prefix}.coef/intercept: expected shapes ({rows}, "
                          f"{width}) and ({rows},), got {coef.shape} and {intercept.shape}")
    calibration = _field(spec, "calibration", list, where)
    if len(calibration) != rows:
        raise FormatError(f"{where}.calibration: expected {rows} calibrator(s)")
    pairs = []
    for i, entry in enumerate(calibration):
        here = f"{where}.calibration[{i}]"
        if _field(entry, "method", str, here) != "sigmoid":
            raise FormatError(f"{here}.method: expected 'sigmoid'")
        a, b = (_field(entry, k, (int, float), here) for k in ("a", "b"))
        if not (math.isfinite(a) and math.isfinite(b)):
            raise FormatError(f"{here}: a and b must be finite")
        pairs.append((float(a), float(b)))
    return LinearModel(tuple(classes), blocks, coef, intercept, tuple(pairs))


@dataclass(frozen=True)
class CueExplainer:
    """What ``explain`` needs of one model, computed once: the model is read-only."""

    cue_slice: slice
    names: tuple[str, ...]
    coef: np.ndarray  # cue weights, one row per class
    keep: np.ndarray  # False for plumbing values (``NOT_CUES``)

    @classmethod
    def of(cls, model: LinearModel) -> CueExplainer:
        cue_slice, names = model.cue_columns()
        coef = model.coef[:, cue_slice]
        if coef.shape[0] == 1:  # binary: one row for the positive class
            coef = np.vstack([-coef[0], coef[0]])
        else:
            coef = coef - coef.mean(axis=0, keepdims=True)
        keep = np.array([not n.startswith(NOT_CUES) for n in names], dtype=bool)
        return cls(cue_slice, tuple(names), coef, keep)

    def explain(self, matrix, target: list[int], top: int = 3) -> list[tuple[str, ...]]:
        """For each row, the cues with the largest positive contribution to ``target[i]``."""
        contrib = matrix[:, self.cue_slice].toarray() * self.coef[target] * self.keep
        order = np.argsort(-contrib, axis=1, kind="stable")[:, :top]
        return [tuple(self.names[j] for j in row_order if row[j] > 0)
                for row, row_order in zip(contrib, order, strict=True)]
