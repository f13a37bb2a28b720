"""The analysis engine: language, features, both classifiers, thread health.

Build it once per process (``Engine.load``) and call ``analyze_thread`` per request; it
holds the spaCy pipelines, the language detector and the model bundle, and is read-only,
so threads of a worker can share it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..model_store import Bundle, current_bundle_path, load_bundle
from ..nlp.features import CommentInput, PreparedComment, names_author, prepare_thread
from ..nlp.language import LanguageDetector, LanguageResult
from ..nlp.lexicons import LANGUAGES
from ..nlp.pipelines import load_pipelines
from ..validation import ThreadInput
from .classifier import ACTS, explain
from .health import CommentView, HealthParams, thread_health

LOW_CONFIDENCE = "low_confidence: the language is not French or English"


def calibrated_proba(model, matrix) -> np.ndarray:
    """``predict_proba`` of a fitted CalibratedClassifierCV (ensemble=False) on features
    already computed, so the features are built once for scores and explanations."""
    calibrated = model.calibrated_classifiers_[0]
    clf = calibrated.estimator.named_steps["clf"]
    decision = clf.decision_function(matrix)
    if decision.ndim == 1:
        positive = calibrated.calibrators[0].predict(decision)
        return np.column_stack([1 - positive, positive])
    proba = np.column_stack([cal.predict(decision[:, k])
                             for k, cal in enumerate(calibrated.calibrators)])
    sums = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1 / proba.shape[1])
    return np.where(sums > 0, proba / np.where(sums == 0, 1, sums), uniform)


def _round_distribution(values, labels) -> dict[str, float]:
    """Round to 4 decimals keeping the sum at 1 (the remainder goes to the largest)."""
    rounded = [round(float(v), 4) for v in values]
    top = int(np.argmax(rounded))
    rounded[top] = round(rounded[top] + 1 - sum(rounded), 4)
    return dict(zip(labels, rounded, strict=True))


@dataclass
class CommentResult:
    """Predictions for one comment, before serialisation."""

    language: LanguageResult
    act_scores: dict[str, float]
    p_promotion: float
    cues: list[str]

    @property
    def act(self) -> str:
        return max(self.act_scores, key=self.act_scores.get)


class Engine:
    """Everything needed to analyse threads; see module docstring."""

    def __init__(self, bundle: Bundle, pipelines: dict, detector: LanguageDetector):
        self.bundle = bundle
        self.pipelines = pipelines
        self.detector = detector
        model = bundle.model
        self.act_model = model["act"]
        self.promo_model = model["promotion"]
        self.threshold = float(model["promotion_threshold"])
        self.health_params: HealthParams = model["health"]

    @classmethod
    def load(cls, model_path: Path | None = None, models_dir: Path | None = None) -> Engine:
        """Load pipelines, detector and bundle (explicit path, else the promoted one)."""
        path = Path(model_path) if model_path else current_bundle_path(Path(models_dir))
        bundle = load_bundle(path)
        return cls(bundle, load_pipelines(), LanguageDetector(seed=0))

    @property
    def model_version(self) -> str:
        return self.bundle.version

    # -- comments ---------------------------------------------------------------------
    def predict(self, comments: list[CommentInput], thread_language: str | None = None
                ) -> tuple[list[CommentResult], list[PreparedComment]]:
        """Language, act scores, P(self_promotion) and cues for a thread's comments."""
        langs = self.detector.detect_thread([c.text for c in comments],
                                            [c.language for c in comments], thread_language)
        feature_langs = [r.language if r.language in LANGUAGES else
                         (thread_language or "en") for r in langs]
        prepared = prepare_thread(comments, feature_langs, self.pipelines)
        act_features = self.act_model.calibrated_classifiers_[0].estimator.named_steps["features"]
        promo_features = (self.promo_model.calibrated_classifiers_[0]
                          .estimator.named_steps["features"])
        act_x = act_features.transform(prepared)
        promo_x = promo_features.transform(prepared)
        act_p = calibrated_proba(self.act_model, act_x)
        promo_p = calibrated_proba(self.promo_model, promo_x)[:, 1]
        act_idx = [int(i) for i in act_p.argmax(axis=1)]
        promo_idx = [int(p >= self.threshold) for p in promo_p]
        act_why = explain(self.act_model, act_x, act_idx, top=3)
        promo_why = explain(self.promo_model, promo_x, promo_idx, top=2)
        results = []
        for k, lang in enumerate(langs):
            cues = list(dict.fromkeys(act_why[k] + (promo_why[k] if promo_idx[k] else ())))
            results.append(CommentResult(lang, _round_distribution(act_p[k], ACTS),
                                         round(float(promo_p[k]), 4), cues))
        return results, prepared

    def _comment_dict(self, comment: CommentInput, result: CommentResult) -> dict:
        warnings = [result.language.warning] if result.language.warning else []
        if result.language.language == "other":
            warnings.append(LOW_CONFIDENCE)
        promo = "self_promotion" if result.p_promotion >= self.threshold else "dialogue"
        return {
            "id": comment.id,
            "language": result.language.language,
            "act": {"label": result.act, "scores": result.act_scores},
            "promotion": {"label": promo, "score": result.p_promotion},
            "cues": result.cues,
            "warnings": warnings,
        }

    def analyze_comment(self, text: str, language: str | None = None) -> dict:
        """One comment on its own (no thread context)."""
        comment = CommentInput(id="", author="", text=text, language=language)
        results, _ = self.predict([comment])
        out = self._comment_dict(comment, results[0])
        out.pop("id")
        out["model_version"] = self.model_version
        return out

    # -- threads ----------------------------------------------------------------------
    def analyze_thread(self, thread: ThreadInput, reasons_language: str | None = None) -> dict:
        """The full analysis of ``../shared/CONTRACT.md``."""
        comments = thread.comments
        results, prepared = self.predict(comments, thread.language)
        dominant = Counter(r.language.language for r in results
                           if r.language.language in LANGUAGES).most_common(1)
        reasons_language = reasons_language or thread.language or (
            dominant[0][0] if dominant else "en")
        health = thread_health(self.views(comments, results, prepared), self.health_params,
                               reasons_language)
        return {
            "id": thread.id,
            "model_version": self.model_version,
            "comments": [self._comment_dict(c, r) for c, r in zip(comments, results, strict=True)],
            "health": health.to_dict(),
        }

    def views(self, comments: list[CommentInput], results: list[CommentResult],
              prepared: list[PreparedComment]) -> list[CommentView]:
        """What the health function needs, from the predictions."""
        index = {c.id: i for i, c in enumerate(comments)}
        authors = {c.author for c in comments}
        views = []
        for c, r, p in zip(comments, results, prepared, strict=True):
            named = frozenset(a for a in authors if a != c.author and names_author(c.text, a))
            views.append(CommentView(
                author=c.author,
                reply_to=index.get(c.reply_to) if c.reply_to else None,
                act=r.act,
                p_broadcast=r.act_scores["broadcast"],
                promotion="self_promotion" if r.p_promotion >= self.threshold else "dialogue",
                question=bool(p.numeric.get("question")),
                disagreement=bool(p.numeric.get("disagreement")),
                named_authors=named,
            ))
        return views

