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
from ..nlp.features import CommentInput, PreparedComment, prepare_thread
from ..nlp.language import LanguageDetector, LanguageResult
from ..nlp.lexicons import LANGUAGES
from ..nlp.names import NameIndex, mention_keys
from ..nlp.pipelines import load_pipelines
from ..nlp.text import fold
from ..validation import ThreadInput
from .classifier import ACTS
from .health import CommentView, HealthParams, thread_health
from .linear import CueExplainer, LinearModel, same_features, transform_features

LOW_CONFIDENCE = "low_confidence: the language is not French or English"


def reweigh(proba: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """Class probabilities under other class priors: ``p_k * w_k``, renormalised.

    The act model is trained with balanced classes on a corpus where broadcasts are 40 %
    of comments; the weights (``[act] prior_weights`` of the training config, chosen on the
    dev set) move its prior toward what conversations hold."""
    if weights is None:
        return proba
    weighted = proba * weights
    return weighted / weighted.sum(axis=1, keepdims=True)


def _round_distribution(values, labels) -> dict[str, float]:
    """Round to 4 decimals keeping the sum at 1 (the remainder goes to the largest)."""
    rounded = [round(float(v), 4) for v in values]
    top = max(range(len(rounded)), key=rounded.__getitem__)  # the first largest, as argmax
    rounded[top] = round(rounded[top] + 1 - sum(rounded), 4)
    return dict(zip(labels, rounded, strict=True))


def result_from_dict(comment: dict) -> CommentResult:
    """Rebuild a comment's result from its serialised analysis (see ``_comment_dict``)."""
    warnings = [w for w in comment.get("warnings", []) if w != LOW_CONFIDENCE]
    language = LanguageResult(comment["language"], "stored", 1.0,
                              warnings[0] if warnings else None)
    return CommentResult(language, dict(comment["act"]["scores"]),
                         float(comment["promotion"]["score"]), list(comment["cues"]))


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
        self.act_model: LinearModel = model["act"]
        self.promo_model: LinearModel = model["promotion"]
        self.threshold = float(model["promotion_threshold"])
        self.health_params: HealthParams = model["health"]
        prior = model.get("act_prior")  # per-class weights (bundles from December 7 on)
        self.act_prior = None if prior is None else np.asarray(prior, dtype=float)
        self.act_features = self.act_model.blocks
        self.promo_features = self.promo_model.blocks
        if same_features(self.act_features, self.promo_features):
            self.promo_features = self.act_features  # one transform serves both
        self.act_explainer = CueExplainer.of(self.act_model)
        self.promo_explainer = CueExplainer.of(self.promo_model)

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
    def predict(self, comments: list[CommentInput], thread_language: str | None = None,
                known: dict[int, CommentResult] | None = None
                ) -> tuple[list[CommentResult], list[PreparedComment]]:
        """Language, act scores, P(self_promotion) and cues for a thread's comments.

        ``known`` maps comment positions to results computed before by the same model (a
        stored thread's earlier comments): they are kept, and only the others are
        classified. Context features are causal, so the new comments' results are the same
        as if the whole thread had been classified at once.
        """
        known = known or {}
        detected = self.detector.detect_thread([c.text for c in comments],
                                               [c.language for c in comments], thread_language)
        langs = [known[i].language if i in known else r for i, r in enumerate(detected)]
        feature_langs = [r.language if r.language in LANGUAGES else
                         (thread_language or "en") for r in langs]
        prepared = prepare_thread(comments, feature_langs, self.pipelines)
        todo = [i for i in range(len(comments)) if i not in known]
        results: list[CommentResult] = [known.get(i) for i in range(len(comments))]
        if todo:
            fresh = self._classify([prepared[i] for i in todo], [langs[i] for i in todo])
            for i, result in zip(todo, fresh, strict=True):
                results[i] = result
        return results, prepared

    def _classify(self, prepared: list[PreparedComment], langs: list[LanguageResult]
                  ) -> list[CommentResult]:
        """Both classifiers and their explanations, for prepared comments."""
        act_x = transform_features(self.act_features, prepared)
        promo_x = (act_x if self.promo_features is self.act_features
                   else transform_features(self.promo_features, prepared))
        act_p = reweigh(self.act_model.proba(act_x), self.act_prior)
        promo_p = self.promo_model.proba(promo_x)[:, 1]
        act_idx = [int(i) for i in act_p.argmax(axis=1)]
        promo_idx = [int(p >= self.threshold) for p in promo_p]
        act_why = self.act_explainer.explain(act_x, act_idx, top=3)
        promo_why = self.promo_explainer.explain(promo_x, promo_idx, top=2)
        results = []
        for k, lang in enumerate(langs):
            cues = list(dict.fromkeys(act_why[k] + (promo_why[k] if promo_idx[k] else ())))
            results.append(CommentResult(lang, _round_distribution(act_p[k], ACTS),
                                         round(float(promo_p[k]), 4), cues))
        return results

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
    def analyze_thread(self, thread: ThreadInput, reasons_language: str | None = None,
                       known: dict[str, dict] | None = None) -> dict:
        """The full analysis of ``../shared/CONTRACT.md``.

        ``known`` maps comment ids to their analyses from an earlier call with this model
        (what a stored thread keeps): those comments are not classified again.
        """
        comments = thread.comments
        kept = {i: result_from_dict(known[c.id]) for i, c in enumerate(comments)
                if known and c.id in known}
        results, prepared = self.predict(comments, thread.language, kept)
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
        authors = NameIndex(c.author for c in comments)
        views = []
        for c, r, p in zip(comments, results, prepared, strict=True):
            named = frozenset(authors.named(fold(c.text), mention_keys(c.text)) - {c.author})
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

