"""Fixtures shared by the API's tables of bad inputs."""

from __future__ import annotations

import pytest

from service import create_app


@pytest.fixture(scope="module")
def model_free_app(tmp_path_factory):
    """An app without a model, one per test module: validation happens before any analysis,
    so every bad input is answered without loading a bundle."""
    return create_app({"DATA_DIR": tmp_path_factory.mktemp("no-model"), "TESTING": True,
                       "LOAD_MODEL": False, "AUTO_MIGRATE": True})
