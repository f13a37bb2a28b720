"""Quality of the promoted model beside its speed: the blind dev set, the corpus test split
and the YouTube Spam Collection, measured by ``training.evaluate`` (the same code as
``thread-health evaluate``; the evaluation data is read where it lives, never copied)."""

from __future__ import annotations

from service.config import PROJECT_ROOT, load_config
from service.scoring.engine import Engine
from training.cli_support import DEFAULT_DATA
from training.corpus import read_corpus
from training.evaluate import analyse_corpus, corpus_metrics, youtube_metrics


def run() -> dict:
    """Per-language corpus metrics on the test split, and the YouTube figures (or None)."""
    config = load_config()
    engine = Engine.load(config.get("MODEL_PATH"), config["MODELS_DIR"])
    threads = [t for t in read_corpus([DEFAULT_DATA]) if t["_split"] == "test"]
    corpus = corpus_metrics(threads, analyse_corpus(engine, threads))
    dev = read_corpus([PROJECT_ROOT / "data" / "dev" / "threads.jsonl"])
    return {"model_version": engine.model_version, "test_threads": len(threads),
            "corpus": corpus, "dev": corpus_metrics(dev, analyse_corpus(engine, dev)),
            "youtube_spam": youtube_metrics(engine)}
