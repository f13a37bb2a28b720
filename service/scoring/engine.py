"""The analysis engine: language, features, both classifiers, thread health.

Build it once per process (``Engine.load``) and call ``analyze_thread`` per request; it
holds the spaCy pipelines, the language detector and the model bundle, and is read-only,
so threads of a worker can share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..heap import fix_mmap_threshold
from ..nlp.features import (
    CommentInput,
    Context,
    FeatureFold,
    Parent,
    PreparedComment,
    feature_keys,
    lemma_set,
    prepare_more,
)
from ..nlp.language import LanguageDetector, LanguageResult
from ..nlp.lemmas import lemma_texts
from ..nlp.names import NameIndex, mention_keys
from ..nlp.pipelines import load_pipelines
from ..nlp.text import fold, mask
from ..nlp.thread_state import Items
from ..validation import ThreadInput
from ..vocab import ACTS, LANGUAGES
from .bundles import Bundle, current_bundle_path, load_bundle
from .context_model import ContextModel, base_item, rounded
from .health import CommentView, Health, HealthFold, HealthParams
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


Loader = Callable[[set[str]], None]


@dataclass
class ThreadState:
    """What the analysis of a thread carries from one comment to the next
    (``nlp.thread_state``): ``scalars`` (JSON-able, fixed size), ``items`` (keyed, loaded
    as needed) and ``parents`` (comments that the next ones may reply to, by id)."""

    scalars: dict = field(default_factory=dict)
    items: Items = field(default_factory=Items.complete)
    parents: dict[str, Parent] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.scalars.get("features", {}).get("n", 0)

    def dominant_language(self) -> str | None:
        """The language most of the thread's comments are in (the first on a tie)."""
        counts = dict(self.scalars.get("results", []))
        return max(counts, key=counts.get) if counts else None


def _no_load(_keys: set[str]) -> None:
    """A whole thread in memory has every item already."""


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
        self.act_context: ContextModel | None = model.get("act_context")
        self.act_features = self.act_model.blocks
        self.promo_features = self.promo_model.blocks
        if same_features(self.act_features, self.promo_features):
            self.promo_features = self.act_features  # one transform serves both
        self.act_explainer = CueExplainer.of(self.act_model)
        self.promo_explainer = CueExplainer.of(self.promo_model)

    @classmethod
    def load(cls, model_path: Path | None = None, models_dir: Path | None = None) -> Engine:
        """Load pipelines, detector and bundle (explicit path, else the promoted one), with
        glibc's mmap threshold held first (``service/heap.py``)."""
        fix_mmap_threshold()
        path = Path(model_path) if model_path else current_bundle_path(Path(models_dir))
        bundle = load_bundle(path)
        return cls(bundle, load_pipelines(), LanguageDetector(seed=0))

    @property
    def model_version(self) -> str:
        return self.bundle.version

    # -- comments ----------------------------------------------------------------------
    def predict(self, comments: list[CommentInput], thread_language: str | None = None
                ) -> tuple[list[CommentResult], list[PreparedComment]]:
        """Language, act scores, P(self_promotion) and cues for a thread's comments."""
        results, prepared, _ = self._fold(ThreadState(), comments, thread_language, _no_load)
        return results, prepared

    def _fold(self, state: ThreadState, comments: list[CommentInput],
              thread_language: str | None, load: Loader
              ) -> tuple[list[CommentResult], list[PreparedComment], list[Context]]:
        """Classify the next comments of a thread; ``state`` moves past them.

        Every feature is causal (a comment's depends on itself and the comments before
        it), so the results are those of the whole thread classified at once.
        """
        keys = feature_keys(comments)
        if self.act_context is not None:  # the first-stage scores of the comments replied to
            keys |= {base_item(c.reply_to) for c in comments if c.reply_to}
        load(keys)
        counts = dict(state.scalars.get("langs", []))
        langs = [self.detector.detect_next(c.text, c.language, thread_language, counts)
                 for c in comments]
        state.scalars["langs"] = [[k, v] for k, v in counts.items()]
        feature_langs = [r.language if r.language in LANGUAGES else
                         (thread_language or "en") for r in langs]
        features = FeatureFold(state.scalars.setdefault("features", {}), state.items,
                               state.parents)
        prepared, contexts = prepare_more(features, comments, feature_langs, self.pipelines)
        results = self._classify(prepared, langs, comments, contexts,
                                 state.items) if comments else []
        return results, prepared, contexts

    def _act_in_context(self, base: np.ndarray, prepared: list[PreparedComment],
                        comments: list[CommentInput], contexts: list[Context],
                        items: Items) -> np.ndarray:
        """The second stage's act probabilities; each comment's first-stage scores go into
        the thread state first, for the comments (these or later ones) that reply to it."""
        for comment, scores in zip(comments, base, strict=True):
            items[base_item(comment.id)] = rounded(scores)
        parent = np.zeros_like(base)
        has_parent = np.zeros(len(base), dtype=bool)
        for k, (comment, context) in enumerate(zip(comments, contexts, strict=True)):
            stored = items.get(base_item(comment.reply_to)) if context.parent else None
            if stored is not None:
                parent[k], has_parent[k] = stored, True
        return self.act_context.proba(base, parent, has_parent, [p.numeric for p in prepared])

    def _classify(self, prepared: list[PreparedComment], langs: list[LanguageResult],
                  comments: list[CommentInput], contexts: list[Context], items: Items
                  ) -> list[CommentResult]:
        """Both classifiers and their explanations, for prepared comments."""
        act_x = transform_features(self.act_features, prepared)
        promo_x = (act_x if self.promo_features is self.act_features
                   else transform_features(self.promo_features, prepared))
        act_p = self.act_model.proba(act_x)
        if self.act_context is not None:
            act_p = self._act_in_context(act_p, prepared, comments, contexts, items)
        act_p = reweigh(act_p, self.act_prior)
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
    def extend(self, state: ThreadState, comments: list[CommentInput],
               thread_language: str | None, load: Loader = _no_load) -> list[dict]:
        """Analyse the next comments of a thread and move its health past them.

        ``load(keys)`` puts the stored items of ``keys`` into ``state.items`` (an append
        loads only what its new comments touch); the analyses of the new comments are
        returned in the contract's shape, the health is ``health_of(state)``.
        """
        results, prepared, contexts = self._fold(state, comments, thread_language, load)
        health = HealthFold(state.scalars.setdefault("health", {}), state.items)
        views = [self._view(c, r, p, x.parent.position if x.parent else None, x.named)
                 for c, r, p, x in zip(comments, results, prepared, contexts, strict=True)]
        keys = health.keys_to_settle()
        for view, context in zip(views, contexts, strict=True):
            keys |= health.keys_for(view.author, context.parent.author if context.parent
                                    else None, view.named_authors)
        load(keys)
        for view, context in zip(views, contexts, strict=True):
            health.add(view, context.parent.author if context.parent else None)
        health.settle()
        counts = dict(state.scalars.get("results", []))
        for r in results:
            if r.language.language in LANGUAGES:
                counts[r.language.language] = counts.get(r.language.language, 0) + 1
        state.scalars["results"] = [[k, v] for k, v in counts.items()]
        return [self._comment_dict(c, r) for c, r in zip(comments, results, strict=True)]

    def parent(self, position: int, author: str, text: str, language: str,
               thread_language: str | None) -> Parent:
        """What a reply needs of a stored comment (its analysed ``language``)."""
        lang = language if language in LANGUAGES else (thread_language or "en")
        lemmas = lemma_texts([mask(text)], [lang], self.pipelines)[0]
        return Parent(position, author, lemma_set(lemmas))

    def health_of(self, state: ThreadState, language: str | None) -> Health:
        """The thread's health, its reasons in ``language`` (default: the dominant one)."""
        language = language or state.dominant_language() or "en"
        return HealthFold(state.scalars.setdefault("health", {}), state.items).health(
            self.health_params, language)

    def analyze_thread(self, thread: ThreadInput, reasons_language: str | None = None) -> dict:
        """The full analysis of ``../shared/CONTRACT.md``: the comments folded from an empty
        state, in order (what appending them one batch after another also gives)."""
        state = ThreadState()
        comments = self.extend(state, thread.comments, thread.language)
        health = self.health_of(state, reasons_language or thread.language)
        return {
            "id": thread.id,
            "model_version": self.model_version,
            "comments": comments,
            "health": health.to_dict(),
        }

    def _view(self, c: CommentInput, r: CommentResult, p: PreparedComment,
              reply_to: int | None, named: frozenset[str]) -> CommentView:
        return CommentView(
            author=c.author, reply_to=reply_to, act=r.act,
            p_broadcast=r.act_scores["broadcast"],
            promotion="self_promotion" if r.p_promotion >= self.threshold else "dialogue",
            question=bool(p.numeric.get("question")),
            disagreement=bool(p.numeric.get("disagreement")),
            named_authors=named)

    def views(self, comments: list[CommentInput], results: list[CommentResult],
              prepared: list[PreparedComment]) -> list[CommentView]:
        """What the health function needs, from the predictions (a comment names only
        participants who wrote before it, as in ``extend``)."""
        index: dict[str, int] = {}
        earlier = NameIndex()
        views = []
        for i, (c, r, p) in enumerate(zip(comments, results, prepared, strict=True)):
            named = frozenset(earlier.named(fold(c.text), mention_keys(c.text)) - {c.author})
            views.append(self._view(c, r, p, index.get(c.reply_to) if c.reply_to else None,
                                    named))
            earlier.add(c.author)
            index[c.id] = i
        return views
