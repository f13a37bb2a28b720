"""The UI's language and Flask-Babel. The language is the one the moderator chose (kept in
the session), else the browser's preference (Accept-Language), else French; Flask-Babel
reads it through ``current_language`` and gets its catalogues from
``service.translations`` (the very objects the health reasons are rendered with)."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale

from ..translations import translations
from ..vocab import UI_LANGUAGES

DEFAULT = "fr"


def current_language() -> str:
    """fr or en: the session's choice, else the browser's, else French."""
    if not has_request_context():
        return DEFAULT
    chosen = session.get("lang")
    if chosen in UI_LANGUAGES:
        return chosen
    if "ui_language" not in g:  # a page asks many times: parse the header once
        g.ui_language = request.accept_languages.best_match(UI_LANGUAGES, default=DEFAULT)
    return g.ui_language


class _Catalogues(Domain):
    """Flask-Babel's domain, reading ``service.translations`` instead of ``.mo`` files."""

    def get_translations(self):
        locale = get_locale()
        return NullTranslations() if locale is None else translations(str(locale))


class _Babel(Babel):
    @property
    def domain_instance(self):
        return _CATALOGUES


_CATALOGUES = _Catalogues()


def init_app(app) -> None:
    """Flask-Babel on ``app``: gettext, ngettext, pgettext and the number filters in the
    templates, the locale from ``current_language``."""
    _Babel(app, locale_selector=current_language, default_locale=DEFAULT)
