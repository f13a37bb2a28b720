"""spaCy pipelines: a tokenizer and lookup lemmatizer per language, loaded once.

The pipelines are blank ``fr``/``en`` pipelines whose lookup lemma tables were taken from
``spacy-lookups-data`` and saved with ``nlp.to_disk`` under ``service/nlp/data/`` by
``training.pipelines.build_pipelines``; the runtime needs neither the 99 MB lookups package
nor any download. Measured choice: the trained ``fr_core_news_sm`` tags ~600 comments/s
without parser and NER, far below the 1,500/s target; the blank pipelines tokenize
11,000-14,000 comments/s on one core (bench/results/), and the classifiers learn from
tokens, lemmas and cues, not from POS tags. Lemmas are read from the lookup table once per
distinct token (``lemmas.TokenForms``), so at run time the pipelines only tokenize.
"""

from __future__ import annotations

from pathlib import Path

from .lexicons import LANGUAGES

PIPELINE_DIR = Path(__file__).resolve().parent / "data"


class PipelineError(RuntimeError):
    """A pipeline directory is missing or unreadable."""


def load_pipelines(directory: Path = PIPELINE_DIR) -> dict:
    """Load one pipeline per language from ``directory/<lang>``; fail with the path."""
    import spacy

    pipelines = {}
    for lang in LANGUAGES:
        path = directory / lang
        if not (path / "config.cfg").exists():
            raise PipelineError(
                f"spaCy pipeline for {lang!r} not found at {path} (expected a directory "
                "written by nlp.to_disk; rebuild with `python -m training.pipelines`)")
        pipelines[lang] = spacy.load(path)
    return pipelines
