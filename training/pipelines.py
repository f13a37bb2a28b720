"""Build the bundled spaCy pipelines (blank tokenizer + lookup lemmatizer per language).

Run ``python -m training.pipelines`` after upgrading spaCy or spacy-lookups-data; the
result is committed under ``service/nlp/data/`` so the service needs no lookups package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from service.nlp.lexicons import LANGUAGES
from service.nlp.pipelines import PIPELINE_DIR


def build_pipeline(lang: str):
    """A blank ``lang`` pipeline with the lookup lemmatizer initialised from its tables."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def build_pipelines(directory: Path = PIPELINE_DIR) -> list[Path]:
    """Write every language's pipeline to ``directory/<lang>``, replacing old ones."""
    written = []
    for lang in LANGUAGES:
        target = directory / lang
        if target.exists():
            shutil.rmtree(target)
        directory.mkdir(parents=True, exist_ok=True)
        build_pipeline(lang).to_disk(target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build_pipelines():
        print(path)
