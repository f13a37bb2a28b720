"""The UI's two languages: one module per language with the same names (``STRINGS`` and
``LABELS``), as the lexicons do. The language is the one the moderator chose (kept in the
session), else the browser's preference (Accept-Language), else French.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType

from flask import g, has_request_context, request, session

LANGUAGES = ("fr", "en")
DEFAULT = "fr"


@cache
def catalogue(language: str) -> ModuleType:
    """The strings module of ``language`` ("fr" or "en")."""
    if language not in LANGUAGES:
        raise ValueError(f"no UI strings for {language!r}; expected one of {LANGUAGES}")
    return import_module(f"{__name__}.{language}")


def current_language() -> str:
    if not has_request_context():
        return DEFAULT
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if "ui_language" not in g:  # a page asks hundreds of times: parse the header once
        g.ui_language = request.accept_languages.best_match(LANGUAGES, default=DEFAULT)
    return g.ui_language


def translate(key: str, **params) -> str:
    """The UI string ``key`` in the current language, with ``{name}`` fields filled in."""
    text = catalogue(current_language()).STRINGS[key]
    return text.format(**params) if params else text


def label(kind: str, code: str | None) -> str:
    """A label's display name (act, level, flag, cue, …); unknown codes show as they are."""
    if code is None:
        return "—"
    return catalogue(current_language()).LABELS[kind].get(code, code)


def reopen_reasons(reasons: list[dict]) -> list[str]:
    """Why a platform's change reopened a thread (reason codes of
    ``service/services/moderation_state.py``), one sentence part each."""
    out = []
    for reason in reasons:
        code = reason.get("code")
        if code == "new_flag":
            names = ", ".join(label("flag", name) for name in reason["flags"])
            out.append(translate("reopen.new_flag", flags=names))
        elif code == "worse_level":
            out.append(translate("reopen.worse_level", before=label("level", reason["from"]),
                                 after=label("level", reason["to"])))
        elif code == "score_drop":
            out.append(translate("reopen.score_drop", before=reason["from"],
                                 after=reason["to"], step=reason["step"]))
    return out
