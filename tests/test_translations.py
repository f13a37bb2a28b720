"""The gettext catalogues: every string the code and templates ask for has its French,
none fuzzy or empty, the template and the catalogues follow the code, and the catalogue
loader compiles what the ``.po`` says."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from service.translations import DIRECTORY, catalogue_path, translations
from service.vocab import UI_LANGUAGES

SERVICE = DIRECTORY.parent


def _key(message) -> tuple[str | None, str]:
    """(context, singular msgid) of a catalogue entry."""
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def _read(path: Path):
    with path.open("rb") as source:
        return read_po(source)


@pytest.fixture(scope="module")
def used() -> dict[tuple[str | None, str], tuple]:
    """Every msgid the code and templates use, found by Babel's extractors as ``make
    messages`` finds them (the method map of ``babel.cfg``)."""
    with (DIRECTORY / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(SERVICE), method_map, options_map):
        singular = message[0] if isinstance(message, tuple) else message
        found[(context, singular)] = message
    return found


def test_the_extractor_sees_python_templates_and_plurals(used):
    """A guard on the test itself: strings of each kind of source are found."""
    assert (None, "Sign in") in used and ("button", "Sign in") in used     # template, context
    assert (None, "Thread escalated.") in used                              # view
    assert (None, "One voice dominates") in used                            # N_ label
    assert isinstance(used[(None, "%(n)s question got no reply")], tuple)  # scoring, plural


def test_every_string_in_use_has_its_french_and_none_is_fuzzy_or_empty(used):
    french = {_key(m): m for m in _read(catalogue_path("fr")) if m.id}
    missing = sorted(str(k) for k in used if k not in french)
    assert not missing, f"not in the French catalogue (run `make messages`): {missing}"
    fuzzy = sorted(str(k) for k, m in french.items() if m.fuzzy)
    empty = sorted(str(k) for k, m in french.items() if not all(_texts(m.string)))
    assert not fuzzy and not empty, {"fuzzy": fuzzy, "empty": empty}


@pytest.mark.parametrize("path", [DIRECTORY / "messages.pot", catalogue_path("fr"),
                                  catalogue_path("en")], ids=["pot", "fr", "en"])
def test_the_template_and_catalogues_hold_exactly_the_strings_in_use(used, path):
    held = {_key(m) for m in _read(path) if m.id}
    assert held == set(used), {"not in use": sorted(map(str, held - set(used))),
                               "missing": sorted(map(str, set(used) - held))}


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_no_string_holds_markup_characters(language):
    """The templates' ``_()`` output is trusted markup (Jinja escapes only the fields
    filled in), inside attributes too: a catalogue string must not bring <, >, & or "."""
    found = [text for m in _read(catalogue_path(language)) if m.id
             for text in (*_texts(m.id), *_texts(m.string)) if set(text) & set('<>&"')]
    assert found == []


def _texts(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_french_placeholders_and_plural_rule():
    catalog = _read(catalogue_path("fr"))
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert problems == []  # Babel's checkers: the same %(name)s fields on both sides
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"


def test_the_loader_compiles_the_po_in_memory():
    fr, en = translations("fr"), translations("en")
    assert fr.gettext("Sign in") == "Connexion" and en.gettext("Sign in") == "Sign in"
    assert fr.pgettext("button", "Sign in") == "Se connecter"
    singular, plural = "%(n)s question got no reply", "%(n)s questions got no reply"
    assert [fr.ngettext(singular, plural, n) for n in (0, 1, 2)] == [
        "%(n)s question est restée sans réponse", "%(n)s question est restée sans réponse",
        "%(n)s questions sont restées sans réponse"]
    assert [en.ngettext(singular, plural, n) for n in (1, 2)] == [singular, plural]
    assert translations("fr") is fr  # compiled once per process


def test_the_loader_refuses_a_language_it_has_no_catalogue_for():
    with pytest.raises(ValueError, match="no catalogue for 'de'"):
        translations("de")
