"""Language of a comment: "fr", "en" or "other", using the client's hints and the thread.

Order of evidence (see docs/language.md for the measured accuracy of each step):

1. a per-comment hint from the client, then the thread's hint, wins;
2. text with no words (empty, emoji-only, URL-only) takes the thread's language, or is
   "other" with a warning when there is no thread context;
3. a text of 4+ words with almost no French or English function words is checked with
   langdetect (seeded, with a French/English prior); a confident other language is "other";
4. otherwise lingua, restricted to French and English, decides, except that a short
   (3 words or fewer) or ambiguous comment takes the thread's dominant language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .lexicons import LANGUAGES, lexicon
from .text import fold, language_text

SHORT_WORDS = 3
MIN_CONFIDENCE = 0.75
OTHER_COVERAGE = 0.3
OTHER_MIN_PROB = 0.7
# Prior for langdetect: French and English are what we expect; other languages stay
# possible so that a Spanish or German comment is reported as such, not mislabelled.
_OTHER_LANGS = ("es", "de", "it", "pt", "nl", "ca", "ro", "pl", "sv", "da", "no", "fi", "tr",
                "id", "tl", "sw", "so", "af", "vi", "hr", "cs", "sk", "sl", "hu", "et", "lt",
                "lv", "sq", "cy", "ru", "ar", "zh-cn", "ja", "ko")
PRIOR = {"fr": 0.35, "en": 0.35} | {lang: 0.30 / len(_OTHER_LANGS) for lang in _OTHER_LANGS}


@dataclass(frozen=True)
class LanguageResult:
    """The language decided for one comment, where it came from, and any warning."""

    language: str
    source: str  # "hint" | "detected" | "thread" | "none"
    confidence: float
    warning: str | None = None


class LanguageDetector:
    """French/English/other detection; build once per process (loads langdetect profiles)."""

    def __init__(self, seed: int = 0):
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory
        from lingua import Language, LanguageDetectorBuilder

        DetectorFactory.seed = seed
        init_factory()
        from langdetect.detector_factory import _factory

        self._langdetect = _factory
        self._lingua = LanguageDetectorBuilder.from_languages(
            Language.FRENCH, Language.ENGLISH).build()
        self._lingua_codes = {Language.FRENCH: "fr", Language.ENGLISH: "en"}
        self._function_words = frozenset().union(
            *(lexicon(lang).FUNCTION_WORDS for lang in LANGUAGES))

    def _other_language(self, text: str) -> tuple[str, float] | None:
        """langdetect's verdict when it is confident the text is neither French nor English."""
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._langdetect.create()
        detector.set_prior_map(PRIOR)
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return None
        if best.lang not in LANGUAGES and best.prob >= OTHER_MIN_PROB:
            return best.lang, best.prob
        return None

    def scores(self, text: str) -> dict[str, float]:
        """lingua's French/English confidence for ``text`` (sums to 1)."""
        values = self._lingua.compute_language_confidence_values(text)
        return {self._lingua_codes[v.language]: v.value for v in values}

    def detect(self, text: str, hint: str | None = None,
               context: str | None = None) -> LanguageResult:
        """Decide one comment's language; ``context`` is the thread's language, if known."""
        if hint in LANGUAGES:
            return LanguageResult(hint, "hint", 1.0)
        plain = language_text(text)
        tokens = fold(plain).split()
        if not tokens:
            if context:
                return LanguageResult(context, "thread", 0.5)
            return LanguageResult("other", "none", 0.0,
                                  "no words to identify a language (empty, emoji or URL only)")
        if len(tokens) > SHORT_WORDS:
            coverage = sum(t in self._function_words for t in tokens) / len(tokens)
            if coverage < OTHER_COVERAGE:
                other = self._other_language(plain)
                if other:
                    return LanguageResult(
                        "other", "detected", round(other[1], 3),
                        f"language looks like '{other[0]}', not French or English: "
                        "labels are low-confidence")
        scores = self.scores(plain)
        best = max(scores, key=scores.get)
        confidence = scores[best]
        if context and (len(tokens) <= SHORT_WORDS or confidence < MIN_CONFIDENCE):
            return LanguageResult(context, "thread", round(scores.get(context, 0.0), 3))
        return LanguageResult(best, "detected", round(confidence, 3))

    def detect_thread(self, texts: list[str], hints: list[str | None],
                      thread_hint: str | None = None) -> list[LanguageResult]:
        """Languages of a thread's comments; short ones lean on the dominant language."""
        context = thread_hint if thread_hint in LANGUAGES else None
        first = [self.detect(t, h, context) for t, h in zip(texts, hints, strict=True)]
        if context:
            return first
        confident = Counter(r.language for r, t in zip(first, texts, strict=True)
                            if r.language in LANGUAGES and r.confidence >= MIN_CONFIDENCE
                            and len(fold(language_text(t)).split()) > SHORT_WORDS)
        if not confident:
            return first
        dominant = confident.most_common(1)[0][0]
        return [r if r.source == "hint" else self.detect(t, h, dominant)
                for r, t, h in zip(first, texts, hints, strict=True)]
