"""Text normalisation shared by language detection, cues and n-gram features."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*"
                    r"\.(?:com|net|org|io|fr|ca|be|ch|co|uk|ly|gl|me|tv|example)(?:/[^\s<>\"')\]]*)?",
                    re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w.])@([\w.-]{2,40})")
HASHTAG_RE = re.compile(r"(?<![\w&])#(\w{2,60})")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f1e6-\U0001f1ff]"
)
QUOTE_RE = re.compile(r"(?m)^\s*(?:>|&gt;)|«[^»]{8,}»|\"[^\"]{15,}\"|“[^”]{15,}”")


@cache
def _combining() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining character (built on first use)."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c)))


def strip_accents(text: str) -> str:
    """Remove combining accents: "déjà" -> "deja"; keeps every other character."""
    if text.isascii():  # nothing to decompose
        return text
    return unicodedata.normalize("NFKD", text).translate(_combining())


def _fold(text: str) -> str:
    text = strip_accents(text.lower()).replace("’", "'").replace("`", "'")
    return " ".join(text.split())


# Several steps fold the same comment (cues, duplicates, names), so recent texts are kept.
@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Lower-case, accent-free, straight apostrophes, collapsed spaces."""
    return _fold(text)


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """``fold`` of a short string that recurs (a token, a lemma), with a larger cache."""
    return _fold(word)


def urls(text: str) -> list[str]:
    """URLs and bare domains in ``text``, in order."""
    return [m.group(0).rstrip(".,;:!?") for m in URL_RE.finditer(text)]


def mask(text: str) -> str:
    """Replace URLs, @mentions and hashtags with stable placeholders (for n-grams)."""
    text = URL_RE.sub(" URL ", text)
    text = MENTION_RE.sub(" @user ", text)
    return HASHTAG_RE.sub(r" #\1 ", text)


@lru_cache(maxsize=512)
def _unlinked(text: str) -> str:
    """``text`` without URLs and @mentions (language detection and word counts both ask)."""
    return MENTION_RE.sub(" ", URL_RE.sub(" ", text))


def language_text(text: str) -> str:
    """Only the words that tell a language: no URLs, mentions, hashtags, emojis, digits."""
    return " ".join(WORD_RE.findall(HASHTAG_RE.sub(" ", _unlinked(text))))


def words(text: str) -> list[str]:
    """Alphabetic words of ``text`` (URLs and mentions excluded)."""
    return WORD_RE.findall(_unlinked(text))


def n_words(text: str) -> int:
    """Whitespace-separated tokens, the count the corpus targets use."""
    return len(text.split())


def normalise_for_duplicates(text: str) -> str:
    """Case, accents, spaces and punctuation removed: the near-duplicate key."""
    return " ".join(re.findall(r"\w+", fold(text)))
