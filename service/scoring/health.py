"""Thread health: a pure function of the comments, their predictions and the replies.

Components (each in 0..1; ``self_promotion`` is the only one where higher is worse):

- ``reciprocity``: mean over comments after the first of 1 when the comment replies to
  another participant (``reply_to``), 0.5 when it only names or @mentions one, else 0.
- ``responsiveness``: share of genuine questions (question cue, not broadcast) that a
  later comment by someone else answers (replies to it, or names the asker); 1 with none.
- ``balance``: ``(1 - top author share) / (1 - 1/n)``; 0 for one voice, 1 for even spread.
- ``listening_contribution``: mean of ``1 - P(broadcast)``.
- ``debate``: reasoned engagement, ``min(1, k / (0.3 n))`` where ``k`` counts replies to
  another participant that are contributions or carry a disagreement cue.
- ``self_promotion``: share of comments labelled ``self_promotion``.

Score::

    base  = sum(w_k * c_k) / sum(w_k)   over the five positive components,
            computed on the comments that are not self-promotion
    score = round(100 * base * (1 - penalty * self_promotion))

Computing ``base`` without the self-promotion comments (they still count as parents of
replies) and multiplying by a penalty that grows with their share makes the score
monotone: adding a self-promotion comment can never raise it. The weights, the penalty and
the level thresholds are fitted to the corpus ratings on the training split
(``training.health_fit``) and stored in the model bundle; ``DEFAULT_PARAMS`` are the
documented starting values. docs/health.md shows the fitted figures.

Everything is computed by ``HealthFold``, one comment at a time from sums and counts
(``nlp.thread_state``), so a stored thread's health moves on with each append without
reading its earlier comments. Reasons are kept as codes with their figures
(``reasons.py`` renders them in French or English).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..nlp.thread_state import Items, question_item
from ..vocab import FLAGS as FLAGS  # re-exported: defined in service/vocab.py
from .reasons import render_reasons

POSITIVE = ("reciprocity", "responsiveness", "balance", "listening_contribution", "debate")
COMPONENTS = (*POSITIVE, "self_promotion")


@dataclass(frozen=True)
class HealthParams:
    """Weights of the positive components, promotion penalty, level thresholds."""

    weights: dict[str, float] = field(default_factory=lambda: {
        "reciprocity": 0.3, "responsiveness": 0.15, "balance": 0.15,
        "listening_contribution": 0.3, "debate": 0.1})
    penalty: float = 0.9
    healthy_at: int = 60
    at_risk_at: int = 35


DEFAULT_PARAMS = HealthParams()


@dataclass(frozen=True)
class CommentView:
    """What the health function needs of one comment."""

    author: str
    reply_to: int | None  # index of the parent comment in the thread, or None
    act: str
    p_broadcast: float
    promotion: str
    question: bool = False
    disagreement: bool = False
    named_authors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FlagRules:
    """When a flag is raised: only on evidence a moderator would act on.

    Chosen on the blind dev set's thread labels (``data/dev``) with
    ``python -m training.flag_rules``: of 1,728 combinations, the one with the best mean
    flag F1 plus share of 4–5-rated threads without a flag their readers did not give
    (docs/quality.md); never on the test split:

    - ``self_promotion``: at least ``promotion_min`` promotional comments making at least
      ``promotion_share`` of the thread (a billboard), or one comment alone when it makes a
      third of a short thread;
    - ``broadcast_heavy``: at least ``broadcast_share`` of the comments broadcast;
    - ``unanswered_questions``: at least ``unanswered_min`` genuine questions left without a
      reply making at least ``unanswered_share`` of the questions (a thread that ignores
      its questions, not a lively one with one open question), or the opening question
      itself (a help request nobody took up).
    """

    promotion_min: int = 3
    promotion_share: float = 0.2
    broadcast_share: float = 0.45
    unanswered_min: int = 2
    unanswered_share: float = 0.0
    opening_question: bool = True


DEFAULT_FLAG_RULES = FlagRules()


@dataclass(frozen=True)
class Health:
    """The health of one thread, as returned by the API."""

    score: int
    level: str
    components: dict[str, float]
    flags: list[str]
    codes: list[dict]  # reason codes with their figures (``reasons.render_reasons``)
    language: str = "en"  # of ``reasons``

    @property
    def reasons(self) -> list[str]:
        return render_reasons(self.codes, self.language)

    def to_dict(self) -> dict:
        """The public shape: reasons in ``language``, and their codes beside them."""
        return {"score": self.score, "level": self.level, "components": self.components,
                "flags": self.flags, "reasons": self.reasons, "reason_codes": self.codes}


# In a flat comment section people answer by position: a contribution by someone else
# among the next ``NEARBY`` comments, replying to nobody, answers the question before it.
NEARBY = 2


def _answers(later: CommentView, asker: CommentView, index: int, position: int) -> bool:
    """Whether ``later`` (at ``position``) answers the question of ``asker`` at ``index``
    (the definition, pair by pair; ``HealthFold`` computes the same in one pass)."""
    if later.author == asker.author or later.promotion == "self_promotion":
        return False
    nearby = (later.reply_to is None and later.act == "contribution"
              and 0 < position - index <= NEARBY)
    return later.reply_to == index or asker.author in later.named_authors or nearby


# A question is left unanswered only once the thread has moved on past it: this many
# later comments by other people, none of them an answer. A question in the last comments
# is still waiting, not ignored (chosen on the dev set: docs/quality.md).
MOVED_ON = 3

_SUMS = {"n": 0, "n_promo": 0, "n_broadcast": 0, "m": 0, "top_all": 0, "top_dialogue": 0,
         "halves": 0, "later": 0, "listening": 0.0, "engaged": 0, "talks": False,
         "questions": 0, "open": 0, "opening_open": False, "waiting": [], "recent": []}


def counts_item(author: str) -> str:
    """Key of an author's counts for the health: ``[comments, dialogue comments]``."""
    return "h:" + author


class HealthFold:
    """The health of a thread, one comment after the other (see the module docstring).

    ``sums`` (JSON-able, fixed size) holds the counters and sums of the components;
    ``items`` each author's counts (``counts_item``) and unanswered questions
    (``question_item``: ``[position, comments by others up to it, still waiting]``).
    A question is settled once answered (it counts among the questions) or once the
    thread moved on past it without an answer (it counts as open until a later answer).
    """

    def __init__(self, sums: dict, items: Items, moved_on: int = MOVED_ON):
        for key, value in _SUMS.items():
            sums.setdefault(key, list(value) if isinstance(value, list) else value)
        self.s = sums
        self.items = items
        self.moved_on = moved_on

    def keys_for(self, author: str, parent_author: str | None,
                 named: frozenset[str]) -> set[str]:
        """The items ``add`` reads for one comment (load them first on a partial state)."""
        authors = {author, *named, *self.s["recent"]}
        if parent_author is not None:
            authors.add(parent_author)
        return {counts_item(author)} | {question_item(a) for a in authors}

    def keys_to_settle(self) -> set[str]:
        """The items ``settle`` reads."""
        return ({question_item(a) for a in self.s["waiting"]}
                | {counts_item(a) for a in self.s["waiting"]})

    def _answer(self, author: str, position: int | None) -> None:
        """Mark the unanswered questions of ``author`` answered: the one at ``position``, or
        all of them (``None``)."""
        key = question_item(author)
        pending = self.items.get(key) or []
        keep = [q for q in pending if position is not None and q[0] != position]
        if len(keep) == len(pending):
            return
        for q in pending:
            if position is None or q[0] == position:
                if q[2]:
                    self.s["questions"] += 1  # answered while waiting
                else:
                    self.s["open"] -= 1  # an open question answered at last
                    self.s["opening_open"] = self.s["opening_open"] and q[0] != 0
        self.items[key] = keep or None

    def add(self, c: CommentView, parent_author: str | None) -> None:
        """The next comment; ``parent_author`` is the author of ``c.reply_to``."""
        s, position = self.s, self.s["n"]
        promo = c.promotion == "self_promotion"
        replies_other = c.reply_to is not None and parent_author != c.author
        if not promo:
            if c.reply_to is not None and c.reply_to < position and replies_other:
                self._answer(parent_author, c.reply_to)
            if c.reply_to is None and c.act == "contribution":
                for back, author in enumerate(reversed(s["recent"]), start=1):
                    if author != c.author:
                        self._answer(author, position - back)
            for author in c.named_authors:
                if author != c.author:
                    self._answer(author, None)
        counts = list(self.items.get(counts_item(c.author)) or (0, 0))
        counts[0] += 1
        s["n"] = position + 1
        s["n_promo"] += promo
        s["n_broadcast"] += c.act == "broadcast"
        s["top_all"] = max(s["top_all"], counts[0])
        s["talks"] = s["talks"] or replies_other or bool(c.named_authors - {c.author})
        if not promo:
            counts[1] += 1
            s["m"] += 1
            s["top_dialogue"] = max(s["top_dialogue"], counts[1])
            if position:  # every dialogue comment after the first comment of the thread
                s["later"] += 1
                s["halves"] += 2 if replies_other else 1 if c.named_authors - {c.author} else 0
            s["listening"] += 1 - c.p_broadcast
            if replies_other and (c.act == "contribution" or c.disagreement):
                s["engaged"] += 1
            if c.question and c.act != "broadcast":
                key = question_item(c.author)
                self.items[key] = [*(self.items.get(key) or []),
                                   [position, position + 1 - counts[0], 1]]
                if c.author not in s["waiting"]:
                    s["waiting"].append(c.author)
        self.items[counts_item(c.author)] = counts
        s["recent"] = [*s["recent"], c.author][-NEARBY:]

    def settle(self) -> None:
        """Open the questions the thread has moved on past (after each batch of comments)."""
        s, still = self.s, []
        for author in s["waiting"]:
            key = question_item(author)
            pending = [list(q) for q in self.items.get(key) or []]
            others = s["n"] - self.items[counts_item(author)][0]
            changed = waiting = False
            for q in pending:
                if q[2] and others - q[1] >= self.moved_on:
                    q[2], changed = 0, True
                    s["questions"] += 1
                    s["open"] += 1
                    s["opening_open"] = s["opening_open"] or q[0] == 0
                waiting = waiting or bool(q[2])
            if changed:
                self.items[key] = pending
            if waiting:
                still.append(author)
        s["waiting"] = still

    def components(self) -> dict[str, float]:
        """The six components (rounded to 4 decimals)."""
        s = self.s
        n, m = s["n"], s["m"]
        promo = (n - m) / n if n else 0.0
        if not m:
            return {"reciprocity": 0.0, "responsiveness": 0.0, "balance": 0.0,
                    "listening_contribution": 0.0, "debate": 0.0, "self_promotion": promo}
        values = {
            "reciprocity": (s["halves"] / 2) / s["later"] if s["later"] else 0.0,
            "responsiveness": 1.0 - s["open"] / s["questions"] if s["questions"] else 1.0,
            "balance": (1 - s["top_dialogue"] / m) / (1 - 1 / m) if m > 1 else 0.0,
            "listening_contribution": s["listening"] / m,
            "debate": min(1.0, s["engaged"] / (0.3 * m)),
            "self_promotion": promo,
        }
        return {k: round(v, 4) for k, v in values.items()}

    def flags(self, components: dict[str, float],
              rules: FlagRules = DEFAULT_FLAG_RULES) -> list[str]:
        """Flags, in the order of ``FLAGS``; see ``FlagRules``."""
        s = self.s
        n, n_promo, flags = s["n"], s["n_promo"], []
        if n_promo and ((n_promo >= rules.promotion_min and n_promo / n >= rules.promotion_share)
                        or n_promo / n >= 0.34):
            flags.append("self_promotion")
        if n and s["n_broadcast"] / n >= rules.broadcast_share:
            flags.append("broadcast_heavy")
        if n >= 5 and s["top_all"] / n >= 0.6:
            flags.append("dominated")
        if n >= 3 and not s["talks"]:
            flags.append("no_dialogue")
        ignored = 1.0 - components.get("responsiveness", 1.0)  # share of questions left open
        if ((s["open"] >= rules.unanswered_min and ignored >= rules.unanswered_share)
                or (rules.opening_question and s["opening_open"])):
            flags.append("unanswered_questions")
        return flags

    def reason_codes(self, flags: list[str]) -> list[dict]:
        """Why, as codes with their figures."""
        s, out = self.s, []
        for flag in flags:
            figures = {"self_promotion": {"n": s["n_promo"]},
                       "broadcast_heavy": {"n": s["n_broadcast"], "total": s["n"]},
                       "dominated": {"pct": round(100 * s["top_all"] / s["n"])},
                       "unanswered_questions": {"n": s["open"]}}.get(flag, {})
            out.append({"code": flag, **figures})
        return out or [{"code": "healthy"}]

    def health(self, params: HealthParams = DEFAULT_PARAMS, language: str = "en") -> Health:
        """The thread's health now; ``language`` of the rendered reasons."""
        if not self.s["n"]:
            return Health(0, "unhealthy", dict.fromkeys(COMPONENTS, 0.0), [], [], language)
        components = self.components()
        total = sum(params.weights.values()) or 1.0
        base = sum(params.weights[k] * components[k] for k in POSITIVE) / total
        score = round(100 * base * (1 - params.penalty * components["self_promotion"]))
        score = max(0, min(100, score))
        level = ("healthy" if score >= params.healthy_at
                 else "at_risk" if score >= params.at_risk_at else "unhealthy")
        flags = self.flags(components)
        return Health(score, level, components, flags, self.reason_codes(flags), language)


def fold_views(comments: list[CommentView], moved_on: int = MOVED_ON) -> HealthFold:
    """A whole thread's views folded from an empty state held in memory."""
    fold = HealthFold({}, Items.complete(), moved_on)
    for c in comments:
        fold.add(c, comments[c.reply_to].author if c.reply_to is not None else None)
    fold.settle()
    return fold


def _open_questions(fold: HealthFold) -> list[int]:
    return sorted(q[0] for key, pending in fold.items.items() if key.startswith("q:")
                  for q in pending or () if not q[2])


def _unanswered(comments: list[CommentView], moved_on: int = MOVED_ON
                ) -> tuple[int, list[int]]:
    """How many settled questions were asked, and which got no ``_answers`` from a later
    comment (``tests/scoring/test_health.py`` checks it against ``_answers`` pair by pair)."""
    fold = fold_views(comments, moved_on)
    return fold.s["questions"], _open_questions(fold)


def components_of(comments: list[CommentView], moved_on: int = MOVED_ON
                  ) -> tuple[dict[str, float], list[int]]:
    """The six components and the indices of unanswered questions."""
    fold = fold_views(comments, moved_on)
    return fold.components(), _open_questions(fold)


def flags_of(comments: list[CommentView], components: dict[str, float],
             open_questions: list[int], rules: FlagRules = DEFAULT_FLAG_RULES) -> list[str]:
    """Flags of a thread whose components and open questions are known (the flag rules
    search of ``training.flag_rules`` tries many ``rules`` on each thread)."""
    fold = fold_views(comments)
    fold.s["open"], fold.s["opening_open"] = len(open_questions), 0 in open_questions
    return fold.flags(components, rules)


def thread_health(comments: list[CommentView], params: HealthParams = DEFAULT_PARAMS,
                  language: str = "en") -> Health:
    """Score a thread; ``language`` ("fr" | "en") is the language of the reasons."""
    return fold_views(comments).health(params, language)
