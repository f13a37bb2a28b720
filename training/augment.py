"""Counterfactual copies of training threads: surface cues moved across the labels.

Our corpus is written by us, and in it most links, @mentions and "!!!" happen to sit in
self-promotion. A model trained on it alone learns "a link is promotion". Each training
thread gets one copy in which some comments carry a surface change that does not change
their labels:

- a genuine comment (``dialogue``) gains an @mention of another participant, a link to
  someone else's content (a news article, a photo, another person's video), an emoji, a
  hashtag or "!!" — it is still dialogue, and its act is unchanged (an @mention is added
  only to comments that already take up the thread, not to broadcasts, where it could
  change the act);
- a self-promotion comment loses its links (when enough words remain) or gains an emoji —
  it is still self-promotion.

The copies are grouped with their original thread in cross-validation (no leakage) and
are left out of every figure, the threshold choice and the health fit. The pools below are
the training side; ``tests/scoring/test_counterfactual.py`` draws its edits from other
domains, names and wordings, so the suite measures generalisation, not recall of a pool.
"""

from __future__ import annotations

import copy
import random

from service.nlp.text import URL_RE, words

SUFFIX = "~cf"  # id suffix of a counterfactual copy; its group is the original thread

NEWS = ("https://www.gazette-des-rives.fr/societe/{slug}", "https://infolocale-matin.fr/{slug}",
        "https://www.northshore-herald.com/news/{slug}", "https://dailyharbour.co.uk/{slug}",
        "https://actu.quebec-express.ca/{slug}", "https://www.scienceweekly-review.org/{slug}")
OTHERS_MEDIA = ("https://www.youtube.com/watch?v={code}", "https://imgur.com/a/{code}",
                "https://www.instagram.com/p/{code}/", "https://photos.app.goo.gl/{code}",
                "https://www.tiktok.com/@{name}/video/{digits}", "https://vimeo.com/{digits}",
                "https://en.wikipedia.org/wiki/{slug}", "https://fr.wikipedia.org/wiki/{slug}")
SLUGS = ("rapport-annuel-transports", "city-council-vote", "new-study-sleep",
         "fermeture-piscine", "housing-costs-2026", "tempete-week-end", "budget-vote",
         "river-cleanup", "Sourdough", "Compost", "Loi_de_Moore", "Heat_pump")
NAMES = ("lea", "sam_k", "m.roy", "jojo", "Tom_B", "nadia", "ben.l", "kiki", "alex_93",
         "chloé", "Priya", "dav")
EMOJIS = ("😂", "🙌", "😍", "👍", "🔥", "😅", "❤️", "🙏", "👏", "🤣", "😮", "💪")
HASHTAGS = {"fr": ("#merci", "#enfin", "#vivement", "#team", "#weekend"),
            "en": ("#respect", "#finally", "#weekend", "#team", "#mood")}
PUNCT = ("!!", "!!!", " !!", "!!!!")


def _code(rng: random.Random, n: int = 11) -> str:
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


def _link(rng: random.Random) -> str:
    pattern = rng.choice(NEWS + OTHERS_MEDIA)
    return pattern.format(slug=rng.choice(SLUGS), code=_code(rng), name=rng.choice(NAMES),
                          digits="".join(rng.choice("0123456789") for _ in range(10)))


def _mention(rng: random.Random, others: list[str]) -> str:
    pool = [a for a in others if " " not in a] or list(NAMES)
    return "@" + rng.choice(pool)


def genuine_edit(text: str, act: str, language: str, others: list[str],
                 rng: random.Random) -> str:
    """``text`` with one surface cue added that leaves a genuine comment genuine."""
    kinds = ["link", "emoji", "punct", "hashtag"] + (["mention"] * 2 if act != "broadcast"
                                                     else [])
    kind = rng.choice(kinds)
    body = text.rstrip()
    if kind == "mention":
        mention = _mention(rng, others)
        return f"{mention} {body}" if rng.random() < 0.7 else f"{body} {mention}"
    if kind == "link":
        link = _link(rng)
        return f"{body} {link}" if rng.random() < 0.6 else f"{body}\n{link}"
    if kind == "emoji":
        return f"{body} {rng.choice(EMOJIS) * rng.choice((1, 1, 2, 3))}"
    if kind == "hashtag":
        return f"{body} {rng.choice(HASHTAGS.get(language, HASHTAGS['en']))}"
    return body.rstrip(".!") + rng.choice(PUNCT)


def promotion_edit(text: str, rng: random.Random) -> str:
    """``text`` without its links when enough words remain, else with an emoji added."""
    if URL_RE.search(text):
        bare = " ".join(URL_RE.sub(" ", text).split())
        if len(words(bare)) >= 4:
            return bare
    return f"{text.rstrip()} {rng.choice(EMOJIS)}"


def counterfactual_thread(thread: dict, rng: random.Random, share: float = 0.5) -> dict:
    """A copy of ``thread`` where about ``share`` of the genuine comments, and every
    self-promotion comment, carry a label-preserving surface edit; labels and reply
    structure are unchanged."""
    out = copy.deepcopy(thread)
    out["id"] = thread["id"] + SUFFIX
    authors = [c["author"] for c in thread["comments"]]
    for c in out["comments"]:
        labels = c["labels"]
        if labels["promotion"] == "self_promotion":  # every pitch: promotion is rarer
            c["text"] = promotion_edit(c["text"], rng)
        elif rng.random() < share:
            others = [a for a in authors if a != c["author"]]
            c["text"] = genuine_edit(c["text"], labels["act"], thread.get("language", "en"),
                                     others, rng)
    return out


def counterfactual_threads(threads: list[dict], seed: int, share: float = 0.5) -> list[dict]:
    """One counterfactual copy per thread, deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible data, not security
    return [counterfactual_thread(t, rng, share) for t in threads]


def original_id(thread_id: str) -> str:
    """The thread a copy was made from (its cross-validation group)."""
    return thread_id.removesuffix(SUFFIX)
