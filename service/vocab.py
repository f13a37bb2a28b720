"""The service's vocabulary: every label list, stated once.

The taxonomy (acts, promotion labels), the health's flags and levels, the languages, the
moderation states and the moderators' review actions. Everything else (validation, the
OpenAPI document, the store, training, the tests) imports these tuples instead of writing
its own copy; ``tests/test_vocab.py`` looks for stray copies.
"""

from __future__ import annotations

# What a comment mainly does in its thread (TAXONOMY.md, axis 1).
ACTS = ("broadcast", "listening", "contribution")
# Whether a comment serves the exchange or the author's own thing (axis 2).
PROMOTION = ("dialogue", "self_promotion")
# Comment labels a corpus carries and a moderator may correct, by field.
LABELS = {"act": ACTS, "promotion": PROMOTION}

# Thread health: what can go wrong (flags), and the three levels, worst first.
FLAGS = ("self_promotion", "broadcast_heavy", "dominated", "no_dialogue",
         "unanswered_questions")
LEVELS = ("unhealthy", "at_risk", "healthy")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}  # 0 is the most urgent
# Codes of the health's reasons: one per flag, and one for a thread with none.
REASON_CODES = (*FLAGS, "healthy")

# Languages the models read; a comment in neither is detected as "other".
LANGUAGES = ("fr", "en")
DETECTED_LANGUAGES = (*LANGUAGES, "other")
# Languages of the interface and of the health reasons (a gettext catalogue each, in
# service/translations/): today the languages the models read; one may be added alone.
UI_LANGUAGES = LANGUAGES

# Review states of a thread and of each of its flags (docs/moderation.md).
REVIEW_STATES = ("open", "reviewed", "dismissed", "escalated")
CLOSED_STATES = ("reviewed", "dismissed")  # a worse analysis reopens them
# What a moderator does to a thread, as the audit log names it.
REVIEW_ACTIONS = ("moderation.review", "moderation.escalate", "moderation.dismiss_flag",
                  "moderation.correct")

__all__ = ["ACTS", "CLOSED_STATES", "DETECTED_LANGUAGES", "FLAGS", "LABELS", "LANGUAGES",
           "LEVELS", "LEVEL_RANK", "PROMOTION", "REASON_CODES", "REVIEW_ACTIONS",
           "REVIEW_STATES", "UI_LANGUAGES"]
