"""A small corpus cut from data/samples and one bundle trained on it, shared per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.helpers import CONFIG, write_subset


@pytest.fixture(scope="session")
def subset(tmp_path_factory) -> Path:
    return write_subset(tmp_path_factory.mktemp("subset"))


@pytest.fixture(scope="session")
def pipelines():
    from service.nlp.pipelines import load_pipelines

    return load_pipelines()


@pytest.fixture(scope="session")
def trained(subset, pipelines, tmp_path_factory) -> Path:
    """A bundle trained (with its report) on the subset's training split."""
    from training.train import train

    out = tmp_path_factory.mktemp("bundles") / "subset-model"
    train([subset], CONFIG, out, pipelines=pipelines)
    return out
