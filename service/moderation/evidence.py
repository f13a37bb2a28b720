"""Reasons that point at comments: which comments each flag rests on, the participant who
dominates, and the links of the reasons to them.

A moderator's correction counts in place of the model's label. ``flagged`` lists the
comments behind every active flag of the thread, in posting order."""

from __future__ import annotations

from collections import Counter

# A flag (and its reason code) -> the comment choice that holds its evidence.
FLAG_SHOWS = {"self_promotion": "self_promotion", "broadcast_heavy": "broadcast",
              "dominated": "dominant", "unanswered_questions": "unanswered"}
SHOWS = ("all", "flagged", "self_promotion", "broadcast", "unanswered", "dominant")


def _labels(line, corrected: dict) -> tuple[str | None, str | None]:
    act, promotion = line.act, line.promotion
    fixes = corrected.get(line.external_id)
    if fixes:
        act = fixes["act"].new_value if "act" in fixes else act
        promotion = fixes["promotion"].new_value if "promotion" in fixes else promotion
    return act, promotion


def dominant_author(outline: list) -> tuple[str, int] | None:
    """The participant who wrote the most comments (first to reach it on a tie)."""
    counts = Counter(line.author for line in outline)
    if not counts:
        return None
    top = max(counts.values())
    return next((line.author, top) for line in outline if counts[line.author] == top)


def evidence(outline: list, corrected: dict, unanswered: set[int], flags: list[str]
             ) -> dict[str, list]:
    """Per comment choice (``SHOWS`` but ``all``), the outline lines it lists, in posting
    order; plain comparisons only (a thread may hold thousands of comments)."""
    top = dominant_author(outline)
    found: dict[str, list] = {name: [] for name in SHOWS[1:]}
    wanted = {FLAG_SHOWS[f] for f in flags if f in FLAG_SHOWS}
    for position, line in enumerate(outline):
        act, promotion = _labels(line, corrected)
        hits = []
        if promotion == "self_promotion":
            hits.append("self_promotion")
        if act == "broadcast":
            hits.append("broadcast")
        if position in unanswered:
            hits.append("unanswered")
        if top and line.author == top[0]:
            hits.append("dominant")
        for name in hits:
            found[name].append(line)
        if wanted.intersection(hits):
            found["flagged"].append(line)
    return found


def marks(found: dict[str, list], flags: list[str]) -> dict[str, list[str]]:
    """Per comment id, the choices of the thread's active flags it is evidence for (what
    its marker says in the thread)."""
    out: dict[str, list[str]] = {}
    for flag in flags:
        name = FLAG_SHOWS.get(flag)
        for line in found.get(name, ()):
            out.setdefault(line.external_id, []).append(name)
    return out


def reason_links(health: dict, found: dict[str, list], page_url) -> list[str | None]:
    """Per stored reason code (in order), the link to its comments: the choice listing
    them, at its first comment (which the page then marks); None for a reason that rests
    on no comment, and none at all for analyses stored without codes."""
    out: list[str | None] = []
    for code in health.get("reason_codes") or []:
        lines = found.get(FLAG_SHOWS.get(code.get("code"), ""), [])
        out.append(f"{page_url(None, FLAG_SHOWS[code['code']])}#comment-{lines[0].row_id}"
                   if lines else None)
    return out
