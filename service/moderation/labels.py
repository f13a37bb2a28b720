"""Display names of the codes the UI shows (acts, levels, flags, cues, audit actions, …).

The names are English msgids marked with ``N_`` so the extractor finds them; ``label``
translates one when it is shown, in the language of the request.
"""

from __future__ import annotations

from flask_babel import gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


LABELS = {
    "act": {"broadcast": N_("Broadcast"), "listening": N_("Listening"),
            "contribution": N_("Contribution")},
    "promotion": {"dialogue": N_("Dialogue"), "self_promotion": N_("Self-promotion")},
    "level": {"healthy": N_("Healthy"), "at_risk": N_("At risk"), "unhealthy": N_("Unhealthy")},
    "flag": {"self_promotion": N_("Self-promotion"), "broadcast_heavy": N_("Broadcast-heavy"),
             "dominated": N_("One voice dominates"), "no_dialogue": N_("No dialogue"),
             "unanswered_questions": N_("Unanswered questions")},
    "state": {"open": N_("To review"), "reviewed": N_("Reviewed"), "dismissed": N_("Dismissed"),
              "escalated": N_("Escalated"), "all": N_("All")},
    "component": {"reciprocity": N_("Reciprocity"), "responsiveness": N_("Responsiveness"),
                  "balance": N_("Balance of voices"),
                  "listening_contribution": N_("Listening and contribution"),
                  "debate": N_("Reasoned debate"), "self_promotion": N_("Self-promotion")},
    "language": {"fr": N_("French"), "en": N_("English"), "other": N_("other")},
    "show": {"all": N_("All"), "self_promotion": N_("Self-promotion"),
             "broadcast": N_("Broadcast"), "flagged": N_("Flagged comments"),
             "unanswered": N_("Unanswered questions"), "dominant": N_("Dominant participant")},
    "field": {"act": N_("act"), "promotion": N_("promotion")},
    "audit": {"moderation.review": N_("marked reviewed"), "moderation.escalate": N_("escalated"),
              "moderation.dismiss_flag": N_("flag dismissed"),
              "moderation.correct": N_("label corrected"),
              "moderation.flag_raised": N_("flag raised"),
              "moderation.flag_cleared": N_("flag no longer raised"),
              "moderation.reopen": N_("reopened"),
              "thread.replace": N_("thread replaced by the platform"),
              "moderation.assign": N_("assigned"), "moderation.note": N_("note"),
              "moderation.undo": N_("undone"), "moderation.reopen_by_moderator": N_("reopened"),
              "moderation.bulk": N_("bulk action")},
    "cue": {"second_person": N_("second person"), "thanks": N_("thanks"),
            "agreement": N_("agreement"), "disagreement": N_("disagreement"),
            "acknowledgement": N_("acknowledgement"), "generic_praise": N_("generic praise"),
            "reasoning": N_("reasoning"), "first_hand": N_("first-hand experience"),
            "example": N_("example"), "invitation": N_("invites others"),
            "question": N_("question"), "question_marks": N_("question marks"),
            "question_openers": N_("question word"), "call_to_action": N_("call to action"),
            "promo_vocabulary": N_("promo vocabulary"), "ownership": N_("“my” product"),
            "hedge": N_("hedging"), "mention": N_("@mention"), "hashtag": N_("hashtag"),
            "emoji": N_("emojis"), "quote": N_("quotation"), "shouting": N_("ALL CAPS"),
            "exclamations": N_("exclamations"), "url": N_("link"), "own_link": N_("link to self"),
            "promo_link": N_("promotional link"),
            "platform_link": N_("link to a video or social platform"),
            "bare_link": N_("bare link"), "short": N_("very short"),
            "author_share": N_("very present author"), "is_reply": N_("reply"),
            "reply_to_other": N_("replies to someone else"), "is_first": N_("first comment"),
            "unthreaded_in_threaded": N_("stands alone where others reply"),
            "flat_thread": N_("flat comment section"), "phone_number": N_("phone number"),
            "author_prior_share": N_("author already wrote much here"),
            "is_host": N_("thread host"), "parent_overlap": N_("takes up the parent"),
            "names_parent_author": N_("names the person answered"),
            "addresses_participant": N_("addresses a participant"),
            "repeats_text": N_("repeated text"), "repeats_link": N_("repeated link"),
            "log_words": N_("length"), "long": N_("long"), "log_position": N_("position")},
}


def label(kind: str, code: str | None) -> str:
    """A code's display name; unknown codes show as they are."""
    if code is None:
        return "—"
    name = LABELS[kind].get(code)
    return code if name is None else gettext(name)


def reopen_reasons(reasons: list[dict]) -> list[str]:
    """Why a platform's change reopened a thread (reason codes of
    ``service/services/moderation_state.py``), one sentence part each."""
    out = []
    for reason in reasons:
        code = reason.get("code")
        if code == "new_flag":
            names = ", ".join(label("flag", name) for name in reason["flags"])
            out.append(gettext("new flag: %(flags)s", flags=names))
        elif code == "worse_level":
            out.append(gettext("level %(before)s → %(after)s",
                               before=label("level", reason["from"]),
                               after=label("level", reason["to"])))
        elif code == "score_drop":
            out.append(gettext("score %(before)s → %(after)s (down %(step)s points or more "
                               "since the last decision)", before=reason["from"],
                               after=reason["to"], step=reason["step"]))
    return out
