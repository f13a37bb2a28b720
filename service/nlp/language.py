"""Language of a comment: "fr", "en" or "other", using the client's hints and the thread.

Order of evidence (docs/quality.md gives the measured accuracy):

1. a per-comment hint from the client, then the thread's hint, wins;
2. text with no words (empty, emoji-only, URL-only) takes the thread's language, or is
   "other" with a warning when there is no thread context;
3. a text of 4+ words with almost no French or English function words may be in another
   language: when lingua, over the same candidate languages, does not rank French or
   English first, langdetect (seeded, with a French/English prior) is asked, and a
   confident other language is "other";
4. a text of 4+ words whose function words are at least 30% of its words, with two or more
   that belong to one language's list only and none to the other's only, is in that
   language (on the 4,396 corpus comments of before November 22 it covered 58% of them,
   agreed with lingua on all but 3 of 2,556 and was right on those 3; a test keeps it
   never wrong on the whole corpus; it saves lingua's ~0.15 ms on each);
5. otherwise lingua, restricted to French and English, decides, except that a short
   (3 words or fewer) or ambiguous comment takes the thread's dominant language so far
   (that of most confident comments before it: a language never depends on later comments).

The lingua screen in step 3 is there for speed (langdetect runs ~250 texts/s, the screen
~5,000/s, and a quarter of comments have few function words). It needs to tell "French or
English" from "something else", not which language, so it holds French, English and one or
two languages of each family a Latin-script comment may come from (``SCREEN``); a comment
in Slovak or Norwegian is ranked nearest Czech or Danish and goes on to langdetect, and a
comment in another script matches none of them and goes on too. With these 20 languages
instead of the prior's 36 the screen is ~2x faster, and every sentence of
``tests/nlp/data/other_languages.txt`` (40 languages) still reaches langdetect. What the
screen keeps from langdetect are French and English comments it took for Norwegian or
Catalan (corpus test split: language accuracy 0.994 -> 0.998, nothing else lower).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicons import LANGUAGES, lexicon
from .text import fold, language_text

SHORT_WORDS = 3
MIN_CONFIDENCE = 0.75
OTHER_COVERAGE = 0.3
OWN_FUNCTION_WORDS = 2  # step 4: function words of one language only, none of the other
OTHER_MIN_PROB = 0.7
# Prior for langdetect: French and English are what we expect; other languages stay
# possible so that a Spanish or German comment is reported as such, not mislabelled.
_OTHER_LANGS = ("es", "de", "it", "pt", "nl", "ca", "ro", "pl", "sv", "da", "no", "fi", "tr",
                "id", "tl", "sw", "so", "af", "vi", "hr", "cs", "sk", "sl", "hu", "et", "lt",
                "lv", "sq", "cy", "ru", "ar", "zh-cn", "ja", "ko")
PRIOR = {"fr": 0.35, "en": 0.35} | {lang: 0.30 / len(_OTHER_LANGS) for lang in _OTHER_LANGS}
# Languages of the lingua screen: French, English, and one or two per family of Latin-script
# languages (Romance, Germanic, Slavic, Uralic, Turkic, Austronesian, Bantu, Vietnamese).
SCREEN = ("fr", "en", "es", "it", "pt", "ro", "ca", "de", "nl", "sv", "da", "pl", "cs", "fi",
          "hu", "tr", "id", "tl", "sw", "vi")
# langdetect codes that are not lingua's ISO 639-1 codes.
_LINGUA_CODES = {"no": ("NB", "NN"), "zh-cn": ("ZH",)}


@dataclass(frozen=True)
class LanguageResult:
    """The language decided for one comment, where it came from, and any warning."""

    language: str
    source: str  # "hint" | "detected" | "thread" | "none"
    confidence: float
    warning: str | None = None


@dataclass(frozen=True)
class _Evidence:
    """What a text says about its language on its own, before hints and thread context."""

    words: int
    other: tuple[str, float] | None = None  # langdetect's confident other language
    scores: dict[str, float] | None = None  # lingua's French/English confidence


def _lingua_languages(codes) -> list:
    from lingua import IsoCode639_1, Language

    return [Language.from_iso_code_639_1(getattr(IsoCode639_1, iso))
            for code in codes for iso in _LINGUA_CODES.get(code, (code.upper(),))]


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
        self._screen = (LanguageDetectorBuilder.from_languages(*_lingua_languages(SCREEN))
                        .with_low_accuracy_mode().with_preloaded_language_models().build())
        self._function_words = frozenset().union(
            *(lexicon(lang).FUNCTION_WORDS for lang in LANGUAGES))
        self._own_words = {
            lang: frozenset(lexicon(lang).FUNCTION_WORDS).difference(
                *(lexicon(o).FUNCTION_WORDS for o in LANGUAGES if o != lang))
            for lang in LANGUAGES}

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

    def _may_be_other(self, text: str) -> bool:
        """False when lingua, over the ``SCREEN`` languages, ranks French or English first."""
        return self._screen.detect_language_of(text) not in self._lingua_codes

    def scores(self, text: str) -> dict[str, float]:
        """lingua's French/English confidence for ``text`` (sums to 1)."""
        values = self._lingua.compute_language_confidence_values(text)
        return {self._lingua_codes[v.language]: v.value for v in values}

    def _evidence(self, text: str) -> _Evidence:
        plain = language_text(text)
        tokens = fold(plain).split()
        if not tokens:
            return _Evidence(0)
        if len(tokens) > SHORT_WORDS:
            coverage = sum(t in self._function_words for t in tokens) / len(tokens)
            if coverage < OTHER_COVERAGE:
                if self._may_be_other(plain):
                    other = self._other_language(plain)
                    if other:
                        return _Evidence(len(tokens), other=other)
            else:
                own = {lang: sum(t in words for t in tokens)
                       for lang, words in self._own_words.items()}
                found = [lang for lang, n in own.items() if n]
                if len(found) == 1 and own[found[0]] >= OWN_FUNCTION_WORDS:
                    return _Evidence(len(tokens), scores={
                        lang: float(lang == found[0]) for lang in LANGUAGES})
        return _Evidence(len(tokens), scores=self.scores(plain))

    @staticmethod
    def _decide(evidence: _Evidence, context: str | None) -> LanguageResult:
        if not evidence.words:
            if context:
                return LanguageResult(context, "thread", 0.5)
            return LanguageResult("other", "none", 0.0,
                                  "no words to identify a language (empty, emoji or URL only)")
        if evidence.other:
            lang, prob = evidence.other
            return LanguageResult("other", "detected", round(prob, 3),
                                  f"language looks like '{lang}', not French or English: "
                                  "labels are low-confidence")
        scores = evidence.scores
        best = max(scores, key=scores.get)
        confidence = scores[best]
        if context and (evidence.words <= SHORT_WORDS or confidence < MIN_CONFIDENCE):
            return LanguageResult(context, "thread", round(scores.get(context, 0.0), 3))
        return LanguageResult(best, "detected", round(confidence, 3))

    def detect(self, text: str, hint: str | None = None,
               context: str | None = None) -> LanguageResult:
        """Decide one comment's language; ``context`` is the thread's language, if known."""
        if hint in LANGUAGES:
            return LanguageResult(hint, "hint", 1.0)
        return self._decide(self._evidence(text), context)

    def detect_thread(self, texts: list[str], hints: list[str | None],
                      thread_hint: str | None = None) -> list[LanguageResult]:
        """Languages of a thread's comments; short ones lean on the dominant language of
        the comments before them (``detect_next`` in turn)."""
        counts: dict[str, int] = {}
        return [self.detect_next(t, h, thread_hint, counts)
                for t, h in zip(texts, hints, strict=True)]

    def detect_next(self, text: str, hint: str | None, thread_hint: str | None,
                    counts: dict[str, int]) -> LanguageResult:
        """The language of the next comment of a thread; ``counts`` (updated) holds how many
        earlier comments were confidently in each language, in the order they first came.

        With the thread's hint, a short or ambiguous comment takes the hint; without, it
        takes the language most of the earlier confident comments were in (the first to
        reach that count on a tie), so a comment's language never depends on later ones
        and a stored thread's comments keep theirs when it grows.
        """
        context = thread_hint if thread_hint in LANGUAGES else None
        evidence = None if hint in LANGUAGES else self._evidence(text)
        first = (LanguageResult(hint, "hint", 1.0) if evidence is None
                 else self._decide(evidence, context))
        size = evidence.words if evidence else len(fold(language_text(text)).split())
        if (first.language in LANGUAGES and first.confidence >= MIN_CONFIDENCE
                and size > SHORT_WORDS):
            counts[first.language] = counts.get(first.language, 0) + 1
        if context or evidence is None or not counts:
            return first
        return self._decide(evidence, max(counts, key=counts.get))
