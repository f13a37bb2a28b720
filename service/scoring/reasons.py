"""The health reasons in the reader's language, from the codes a thread's health stores.

A stored analysis keeps ``reason_codes`` (``[{"code": "broadcast_heavy", "n": 3,
"total": 5}, …]``), so the API's ``?lang`` and the moderators' UI show them in their own
language whatever the language of the analysis. ``render_reasons`` is the one function
that turns codes into sentences; French numbers are grouped by thousands with a narrow
no-break space (1 234), as French typography writes them.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")

REASONS = {
    "en": {
        "self_promotion": "{n} comments advertise the author's own product, content or page",
        "self_promotion_one": "1 comment advertises the author's own product, content or page",
        "broadcast_heavy": "{n} of {total} comments broadcast without taking up the thread",
        "dominated": "one participant wrote {pct}% of the comments",
        "no_dialogue": "no comment answers another participant",
        "unanswered_questions": "{n} questions got no reply",
        "unanswered_questions_one": "1 question got no reply",
        "healthy": "participants answer each other and add to the conversation",
    },
    "fr": {
        "self_promotion": "{n} commentaires font la promotion du produit, du contenu "
                          "ou de la page de leur auteur",
        "self_promotion_one": "1 commentaire fait la promotion du produit, du contenu "
                              "ou de la page de son auteur",
        "broadcast_heavy": "{n} commentaires sur {total} diffusent un message sans reprendre "
                           "la discussion",
        "dominated": "un seul participant a écrit {pct} % des commentaires",
        "no_dialogue": "aucun commentaire ne répond à un autre participant",
        "unanswered_questions": "{n} questions sont restées sans réponse",
        "unanswered_questions_one": "1 question est restée sans réponse",
        "healthy": "les participants se répondent et enrichissent la conversation",
    },
}
# Codes whose sentence agrees in number with their ``n``.
_COUNTED = ("self_promotion", "unanswered_questions")


def format_number(value: int, language: str) -> str:
    """An integer as the language writes it: 1234 in English (as the API always wrote
    it), 1 234 in French (narrow no-break space between groups of three)."""
    if language == "fr":
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def render_reason(code: dict, language: str) -> str:
    """One reason code with its figures as a sentence in ``language`` (fr|en; else en)."""
    text = REASONS[language if language in REASONS else "en"]
    name = code["code"]
    if name in _COUNTED and code.get("n") == 1:
        return text[name + "_one"]
    figures = {k: format_number(v, language) for k, v in code.items()
               if k != "code" and isinstance(v, int)}
    return text[name].format(**figures)


def render_reasons(codes: list[dict], language: str) -> list[str]:
    """Reason codes as sentences in ``language``, in their order (fr|en; else en)."""
    return [render_reason(code, language) for code in codes]
