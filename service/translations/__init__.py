"""The gettext catalogues of every human string (the moderation UI and the health
reasons), French and English, and the one function that loads them.

The ``.po`` files are the only source: a catalogue is compiled in memory the first time a
process asks for its language, so there is no ``.mo`` file to forget to rebuild and none to
write into an installed package. No Flask here: the scoring layer renders the health
reasons with these objects, and the moderation UI hands the same objects to Flask-Babel.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ..vocab import UI_LANGUAGES

DIRECTORY = Path(__file__).resolve().parent
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of ``language``."""
    return DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    """The catalogue of ``language`` (one of ``vocab.UI_LANGUAGES``), compiled once per
    process; fuzzy entries are left out, as ``pybabel compile`` leaves them out."""
    if language not in UI_LANGUAGES:
        raise ValueError(f"no catalogue for {language!r}; expected one of {UI_LANGUAGES}")
    with catalogue_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
