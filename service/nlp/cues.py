"""Cue detection: the stable codes a moderator reads, computed from the lexicons.

Each cue is a count or a 0/1 flag; the classifiers learn their weights, and a prediction's
``cues`` are the ones that pushed it most (see ``service.scoring.explain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicons import CUE_NAMES, LANGUAGES, lexicon
from .names import author_key
from .text import EMOJI_RE, HASHTAG_RE, MENTION_RE, QUOTE_RE, fold, urls, words

# Lexicon name -> cue code reported in the API.
LEXICON_CUES = {name: name.lower() for name in CUE_NAMES if name != "FUNCTION_WORDS"}

SHORTENERS = ("bit.ly", "tinyurl", "goo.gl/", "t.co/", "ow.ly", "linktr.ee", "lnkd.in")
# A link whose address sells: a shop, a checkout, an affiliate or referral code, a paid
# page. Evidence for promotion, weighed by the model like any cue.
PROMO_URL_PARTS = ("ref=", "?aff", "affiliate", "utm_", "coupon", "promo", "/shop", "store",
                   "boutique", "etsy", "gumroad", "patreon", "onlyfans", "/product",
                   "checkout", "/join", "/subscribe", "/abonne", "sub_confirmation")
# A link to a content platform: as often someone else's video or photo as one's own, so it
# is its own cue (``platform_link``), not promotion evidence by itself.
PLATFORM_URL_PARTS = ("youtube", "youtu.be", "instagram", "tiktok", "/channel", "/c/",
                      "/user/", "discord.gg", "t.me/", "wa.me", "twitch.tv", "vimeo",
                      "facebook.com", "x.com/", "twitter.com", "soundcloud", "spotify")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern:
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        if phrase.endswith("*"):
            parts.append(re.escape(phrase[:-1]) + r"\w*")
        else:
            parts.append(re.escape(phrase))
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


@cache
def _compiled(language: str) -> dict[str, re.Pattern]:
    module = lexicon(language)
    return {code: _pattern(getattr(module, name)) for name, code in LEXICON_CUES.items()}


_WORD_RUN_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class _Triggers:
    """Which cue patterns can match a text, found from its words before any pattern runs.

    A phrase starting with a word character matches only where the text has a word equal
    to the phrase's first word (a word starting with it, for a ``prefix*`` phrase): the
    patterns forbid a word character or apostrophe just before. Other phrases ("+1", "%")
    are looked for as substrings.
    """

    by_word: dict[str, set[str]]
    by_prefix: dict[str, set[str]]
    by_substring: tuple[tuple[str, str], ...]

    def codes(self, folded: str) -> set[str]:
        """Cue codes whose pattern may match ``folded``; the others count 0."""
        found: set[str] = set()
        for word in set(_WORD_RUN_RE.findall(folded)):
            found.update(self.by_word.get(word, ()))
            for prefix, codes in self.by_prefix.items():
                if word.startswith(prefix):
                    found.update(codes)
        found.update(code for part, code in self.by_substring if part in folded)
        return found


@cache
def _triggers(language: str) -> _Triggers:
    by_word: dict[str, set[str]] = {}
    by_prefix: dict[str, set[str]] = {}
    by_substring = []
    module = lexicon(language)
    for name, code in LEXICON_CUES.items():
        for phrase in getattr(module, name):
            body = phrase.removesuffix("*")
            run = _WORD_RUN_RE.match(body)
            if run is None:
                by_substring.append((body, code))
            elif phrase.endswith("*") and run.group(0) == body:
                by_prefix.setdefault(body, set()).add(code)
            else:
                by_word.setdefault(run.group(0), set()).add(code)
    return _Triggers(by_word, by_prefix, tuple(by_substring))


_LINK_RE = re.compile(r"https?://\S+")
# A phone number: French (06 12 34 56 78, +33 6…), North American (514-555-0182,
# (555) 010-2233) and other international forms. A way to be contacted, as a link is: a cue.
PHONE_RE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{1,4}\)?[\s.-]?){2,5}\d{2,4}"
                      r"(?![\w/])")


def _phone(text: str) -> bool:
    return any(sum(ch.isdigit() for ch in m.group(0)) >= 9 for m in PHONE_RE.finditer(text))


def _question(folded: str, language: str) -> bool:
    if "?" in folded and "?" in _LINK_RE.sub("", folded):
        return True
    first = folded.split(maxsplit=1)[0] if folded else ""
    return first in lexicon(language).QUESTION_OPENERS and len(folded.split()) <= 12


def _url_cues(text: str, author: str, folded: str, ownership: int) -> dict[str, float]:
    found = urls(text)
    if not found:
        return {"url": 0.0, "own_link": 0.0, "promo_link": 0.0, "platform_link": 0.0,
                "bare_link": 0.0}
    key = author_key(author)
    lowered = [u.lower() for u in found]
    own = ownership > 0 or any(len(key) >= 4 and key in re.sub(r"[^a-z0-9]", "", u)
                               for u in lowered)
    promo = any(part in u for u in lowered for part in SHORTENERS + PROMO_URL_PARTS)
    platform = any(part in u for u in lowered for part in PLATFORM_URL_PARTS)
    bare = len(words(text)) <= 3
    return {"url": float(len(found)), "own_link": float(own), "promo_link": float(promo),
            "platform_link": float(platform), "bare_link": float(bare)}


def extract_cues(text: str, language: str, author: str = "",
                 folded: str | None = None) -> dict[str, float]:
    """Cue values for one comment; ``language`` picks the lexicon ("other" uses both).

    ``folded`` is ``fold(text)`` when the caller has it already.
    """
    folded = fold(text) if folded is None else folded
    langs = (language,) if language in LANGUAGES else LANGUAGES
    cues: dict[str, float] = dict.fromkeys(LEXICON_CUES.values(), 0.0)
    for lang in langs:
        patterns = _compiled(lang)
        for code in _triggers(lang).codes(folded):
            cues[code] += len(patterns[code].findall(folded))
    cues["question"] = float(any(_question(folded, lang) for lang in langs))
    cues["question_marks"] = float(folded.count("?"))
    cues["exclamations"] = float(min(folded.count("!"), 5))
    cues["mention"] = float(len(MENTION_RE.findall(text)))
    cues["hashtag"] = float(len(HASHTAG_RE.findall(text)))
    cues["emoji"] = float(min(len(EMOJI_RE.findall(text)), 5))
    cues["quote"] = float(bool(QUOTE_RE.search(text)))
    cues["phone_number"] = float(any(ch.isdigit() for ch in text) and _phone(text))
    letters = "".join(filter(str.isalpha, text))
    cues["shouting"] = float(len(letters) >= 12 and
                             sum(map(str.isupper, letters)) / len(letters) > 0.6)
    cues.update(_url_cues(text, author, folded, int(cues["ownership"])))
    return cues
