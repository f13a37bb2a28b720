"""Bundles are refused when tampered with, truncated or built with other libraries."""

from __future__ import annotations

import json

import pytest

from service.model_store import (
    BundleError,
    current_bundle_path,
    load_bundle,
    save_bundle,
    verify,
)


@pytest.fixture
def bundle(tmp_path):
    path = tmp_path / "m1"
    save_bundle(path, {"weights": [1, 2, 3]}, {"model_version": "2026-01-01-test"})
    return path


def test_round_trip(bundle):
    loaded = load_bundle(bundle)
    assert loaded.model == {"weights": [1, 2, 3]} and loaded.version == "2026-01-01-test"


def test_one_changed_byte_is_refused(bundle):
    data = bytearray((bundle / "model.joblib").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bundle / "model.joblib").write_bytes(bytes(data))
    with pytest.raises(BundleError, match="SHA-256"):
        load_bundle(bundle)


def test_truncated_is_refused(bundle):
    data = (bundle / "model.joblib").read_bytes()
    (bundle / "model.joblib").write_bytes(data[:10])
    with pytest.raises(BundleError, match="does not match"):
        verify(bundle)


def test_other_library_versions_are_refused(bundle):
    meta = json.loads((bundle / "metadata.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.1.0"
    (bundle / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match=r"scikit-learn built with 0\.1\.0"):
        verify(bundle)


def test_missing_pieces_name_the_path(tmp_path):
    with pytest.raises(BundleError, match=r"metadata\.json"):
        verify(tmp_path)
    with pytest.raises(BundleError, match="no promoted model"):
        current_bundle_path(tmp_path)
