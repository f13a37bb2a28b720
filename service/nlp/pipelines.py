"""spaCy pipelines: a tokenizer and lookup lemmatizer per language, loaded once.

The pipelines are blank ``fr``/``en`` pipelines whose lookup lemma tables were taken from
``spacy-lookups-data`` and saved with ``nlp.to_disk`` under ``service/nlp/data/`` by
``training.pipelines.build_pipelines``; the runtime needs neither the 99 MB lookups package
nor any download. Measured choice: the trained ``fr_core_news_sm`` tags ~600 comments/s
without parser and NER, far below the 1,500/s target; the blank pipelines tokenize
11,000-14,000 comments/s on one core (bench/results/), and the classifiers learn from
tokens, lemmas and cues, not from POS tags. Lemmas are read from the lookup table once per
distinct token (``lemmas.TokenForms``), so at run time the pipelines only tokenize.
They are loaded without spaCy's language modules (``load_pipeline``), and the French
``token_match`` is saved in a factored form that compiles in milliseconds
(``training.pipelines``): loading both went from ~4.9 s to ~1.3 s, spaCy's import included.
"""

from __future__ import annotations

from pathlib import Path

from .lexicons import LANGUAGES

PIPELINE_DIR = Path(__file__).resolve().parent / "data"


class PipelineError(RuntimeError):
    """A pipeline directory is missing or unreadable."""


def _light_language(lang: str):
    """A ``Language`` class for ``lang`` without spaCy's language data.

    A saved pipeline restores its whole tokenizer (rules, affixes, token_match) and its
    lemma table from disk, so the language module is not needed; importing
    ``spacy.lang.fr`` alone costs ~3 s (it compiles the original token_match)."""
    from spacy.language import BaseDefaults, Language

    return type(f"Light{lang.title()}", (Language,), {"lang": lang, "Defaults": BaseDefaults})


def load_pipeline(path: Path):
    """Load one pipeline saved by ``training.pipelines`` from ``path``."""
    from spacy import util

    config = util.load_config(path / "config.cfg")
    nlp = _light_language(config["nlp"]["lang"]).from_config(
        config, meta=util.get_model_meta(path))
    return nlp.from_disk(path)


def load_pipelines(directory: Path = PIPELINE_DIR) -> dict:
    """Load one pipeline per language from ``directory/<lang>``; fail with the path."""
    pipelines = {}
    for lang in LANGUAGES:
        path = directory / lang
        if not (path / "config.cfg").exists():
            raise PipelineError(
                f"spaCy pipeline for {lang!r} not found at {path} (expected a directory "
                "written by nlp.to_disk; rebuild with `python -m training.pipelines`)")
        pipelines[lang] = load_pipeline(path)
    return pipelines
