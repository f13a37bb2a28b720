"""The health reasons in the reader's language, from the codes a thread's health stores.

A stored analysis keeps ``reason_codes`` (``[{"code": "broadcast_heavy", "n": 3,
"total": 5}, …]``), so the API's ``?lang`` and the moderators' UI show them in their own
language whatever the language of the analysis. ``render_reasons`` is the one function
that turns codes into sentences: English source strings, their French in the gettext
catalogue of ``service/translations`` (plurals by ``ngettext``, French counting 0 and 1
as singular), figures written by Babel with the locale's conventions.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, format_percent

from ..translations import translations
from ..vocab import UI_LANGUAGES


def format_number(value: int, language: str) -> str:
    """An integer as the locale writes it: 1 234 in French (CLDR's narrow no-break space
    between groups), but 1234 in English, ungrouped as the API has always written it (a
    client reading the figures out of a sentence must not meet a new comma)."""
    return format_decimal(value, locale=language, group_separator=language != "en")


def _sentence(code: dict, language: str) -> str:
    """The sentence of one code, with its figures already written for ``language``."""
    t = translations(language)
    name, n = code["code"], code.get("n", 0)
    figures = {k: format_number(v, language) for k, v in code.items()
               if k not in ("code", "pct") and isinstance(v, int)}
    if "pct" in code:
        figures["pct"] = format_percent(Decimal(code["pct"]) / 100, locale=language)
    if name == "self_promotion":
        text = t.ngettext("%(n)s comment advertises the author's own product, content or page",
                          "%(n)s comments advertise the author's own product, content or page",
                          n)
    elif name == "broadcast_heavy":
        text = t.gettext("%(n)s of %(total)s comments broadcast without taking up the thread")
    elif name == "dominated":
        text = t.gettext("one participant wrote %(pct)s of the comments")
    elif name == "no_dialogue":
        text = t.gettext("no comment answers another participant")
    elif name == "unanswered_questions":
        text = t.ngettext("%(n)s question got no reply", "%(n)s questions got no reply", n)
    elif name == "healthy":
        text = t.gettext("participants answer each other and add to the conversation")
    else:
        raise ValueError(f"unknown reason code {name!r}")
    return text % figures


def render_reason(code: dict, language: str) -> str:
    """One reason code with its figures as a sentence in ``language`` (fr|en; else en)."""
    return _sentence(code, language if language in UI_LANGUAGES else "en")


def render_reasons(codes: list[dict], language: str) -> list[str]:
    """Reason codes as sentences in ``language``, in their order (fr|en; else en)."""
    return [render_reason(code, language) for code in codes]
