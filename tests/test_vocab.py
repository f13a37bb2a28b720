"""One definition of each label list and each limit: no module writes its own copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service import vocab
from service.moderation.labels import LABELS as UI_LABELS
from service.schemas import limits

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("service", "training", "bench", "tests")
           for p in sorted((ROOT / folder).rglob("*.py"))
           if "migrations" not in p.parts]
ALLOWED = {ROOT / "service" / "vocab.py",
           Path(__file__).resolve()}  # this file writes copies to test the search
LISTS = {name: value for name, value in vars(vocab).items()
         if isinstance(value, tuple) and len(value) >= 2}
LIMITS = [name for name in vars(limits) if name.isupper()]


def _literal(values: tuple[str, ...]) -> re.Pattern:
    """The values written out as a tuple, list or set literal in code, in this order (code
    quotes with ", so an error message quoting ['fr', 'en'] is not a copy)."""
    items = r"\s*,\s*".join(f'"{re.escape(v)}"' for v in values)
    return re.compile(rf"[\(\[\{{]\s*{items}\s*,?\s*[\)\]\}}]")


def test_the_vocabulary_is_not_empty_and_has_no_repeats():
    assert LISTS and all(len(set(v)) == len(v) for v in LISTS.values())
    assert set(vocab.LABELS) == {"act", "promotion"} and vocab.LEVEL_RANK["unhealthy"] == 0


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_stray_copy_of_a_label_list(name):
    pattern = _literal(LISTS[name])
    hits = [f"{p.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}"
            for p in SOURCES if p not in ALLOWED
            for text in [p.read_text(encoding="utf-8")] for m in pattern.finditer(text)]
    assert not hits, f"{name} written out again instead of imported from service.vocab: {hits}"


def test_the_pattern_finds_a_copy():
    """The search above would see a copy written any of the usual ways."""
    for text in ('("fr", "en")', '["fr", "en"]', '{"fr","en",}'):
        assert _literal(vocab.LANGUAGES).search(text), text
    for text in ('("fr", "en", "other")', "must be one of ['fr', 'en']"):
        assert not _literal(vocab.LANGUAGES).search(text), text


@pytest.mark.parametrize("name", LIMITS)
def test_each_limit_is_assigned_once(name):
    assign = re.compile(rf"^{name}\s*=", re.MULTILINE)
    where = [str(p.relative_to(ROOT)) for p in SOURCES if assign.search(p.read_text("utf-8"))]
    assert where == ["service/schemas/limits.py"], where


def test_the_ui_names_every_value_of_the_vocabulary():
    """The moderation UI looks its words up by the vocabulary's values: each has one (and
    its French, tests/test_translations.py)."""
    labels = UI_LABELS
    for key, values in (("act", vocab.ACTS), ("promotion", vocab.PROMOTION),
                        ("level", vocab.LEVELS), ("flag", vocab.FLAGS),
                        ("state", vocab.REVIEW_STATES), ("language", vocab.DETECTED_LANGUAGES),
                        ("audit", vocab.REVIEW_ACTIONS), ("field", tuple(vocab.LABELS))):
        assert set(values) <= set(labels[key]), key
