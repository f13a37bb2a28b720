"""Text normalisation shared by language detection, cues and n-gram features."""

from __future__ import annotations

import re
import unicodedata

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


def strip_accents(text: str) -> str:
    """Remove combining accents: "déjà" -> "deja"; keeps every other character."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, accent-free, straight apostrophes, collapsed spaces."""
    text = strip_accents(text.lower()).replace("’", "'").replace("`", "'")
    return " ".join(text.split())


def urls(text: str) -> list[str]:
    """URLs and bare domains in ``text``, in order."""
    return [m.group(0).rstrip(".,;:!?") for m in URL_RE.finditer(text)]


def mask(text: str) -> str:
    """Replace URLs, @mentions and hashtags with stable placeholders (for n-grams)."""
    text = URL_RE.sub(" URL ", text)
    text = MENTION_RE.sub(" @user ", text)
    return HASHTAG_RE.sub(r" #\1 ", text)


def language_text(text: str) -> str:
    """Only the words that tell a language: no URLs, mentions, hashtags, emojis, digits."""
    text = MENTION_RE.sub(" ", URL_RE.sub(" ", text))
    text = HASHTAG_RE.sub(" ", text)
    return " ".join(WORD_RE.findall(text))


def words(text: str) -> list[str]:
    """Alphabetic words of ``text`` (URLs and mentions excluded)."""
    return WORD_RE.findall(MENTION_RE.sub(" ", URL_RE.sub(" ", text)))


def n_words(text: str) -> int:
    """Whitespace-separated tokens, the count the corpus targets use."""
    return len(text.split())


def normalise_for_duplicates(text: str) -> str:
    """Case, accents, spaces and punctuation removed: the near-duplicate key."""
    return " ".join(re.findall(r"\w+", fold(text)))
