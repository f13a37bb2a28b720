"""Bundles are refused when damaged or incomplete; promotion and rollback switch
``models/current`` only to bundles that pass. (Hostile bundles: tests/security/.)"""

from __future__ import annotations

import json

import numpy as np
import pytest

from service.scoring.bundles import (
    BundleError,
    current_bundle_path,
    current_name,
    list_bundles,
    load_bundle,
    promote,
    read_history,
    rollback,
    verify,
)
from tests.bundles import fitted, plain_model, write_bundle


@pytest.fixture
def bundle(tmp_path):
    return write_bundle(tmp_path / "m1", "2026-01-01-test")


def test_round_trip_scores_as_the_fitted_model(bundle):
    loaded = load_bundle(bundle)
    assert loaded.version == "2026-01-01-test"
    act, promotion, rows = fitted()
    for name, sk in (("act", act), ("promotion", promotion)):
        model = loaded.model[name]
        assert np.array_equal(model.proba(model.features(rows)), sk.predict_proba(rows))
    assert loaded.model["health"] == plain_model()["health"]
    assert loaded.model["promotion_threshold"] == 0.5
    assert loaded.model["promotion"].blocks is loaded.model["act"].blocks  # stored once


def test_the_same_model_writes_the_same_bytes(tmp_path):
    first, second = write_bundle(tmp_path / "a"), write_bundle(tmp_path / "b")
    for name in ("model.json", "model.npz", "SHA256SUMS"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize("part", ["model.npz", "model.json"])
def test_one_changed_byte_is_refused(bundle, part):
    data = bytearray((bundle / part).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bundle / part).write_bytes(bytes(data))
    with pytest.raises(BundleError, match="SHA-256"):
        load_bundle(bundle)


def test_truncated_is_refused(bundle):
    data = (bundle / "model.npz").read_bytes()
    (bundle / "model.npz").write_bytes(data[:10])
    with pytest.raises(BundleError, match="does not match"):
        verify(bundle)


def test_other_library_versions_are_no_reason_to_refuse(bundle):
    """Nothing is unpickled, so the versions that trained a bundle are a record only."""
    meta = json.loads((bundle / "metadata.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.1.0"
    (bundle / "metadata.json").write_text(json.dumps(meta))
    assert load_bundle(bundle).version == "2026-01-01-test"


def test_missing_pieces_name_the_path(tmp_path):
    with pytest.raises(BundleError, match=r"metadata\.json"):
        verify(tmp_path)
    with pytest.raises(BundleError, match="no promoted model"):
        current_bundle_path(tmp_path)


def _bundles(tmp_path, *names):
    for name in names:
        write_bundle(tmp_path / name, f"v-{name}")
    return tmp_path


def test_promote_switches_pointer_and_logs(tmp_path):
    models = _bundles(tmp_path, "a", "b")
    promote(models, "a")
    entry = promote(models, "b")
    assert current_bundle_path(models) == models / "b"
    assert entry["from"] == "a" and entry["to"] == "b" and entry["model_version"] == "v-b"
    assert [e["action"] for e in read_history(models)] == ["promote", "promote"]
    assert not [p for p in models.iterdir() if p.name.startswith(".current")]  # no temp left
    assert (models / "current").stat().st_mode & 0o777 == 0o644  # readable by the service


def test_rollback_is_a_stack(tmp_path):
    models = _bundles(tmp_path, "a", "b", "c")
    for name in ("a", "b", "c"):
        promote(models, name)
    assert rollback(models)["to"] == "b"
    assert rollback(models)["to"] == "a"
    assert current_name(models) == "a"
    with pytest.raises(BundleError, match="no earlier promotion"):
        rollback(models)


def test_promote_refuses_tampered_bundle_and_keeps_pointer(tmp_path):
    models = _bundles(tmp_path, "a", "b")
    promote(models, "a")
    data = bytearray((models / "b" / "model.npz").read_bytes())
    data[-5] ^= 0x01
    (models / "b" / "model.npz").write_bytes(bytes(data))
    with pytest.raises(BundleError, match="SHA-256"):
        promote(models, "b")
    assert current_name(models) == "a" and len(read_history(models)) == 1


@pytest.mark.parametrize("name", ["", "../a", "a/b", "missing"])
def test_promote_refuses_names_outside_models_dir(tmp_path, name):
    models = _bundles(tmp_path, "a")
    with pytest.raises(BundleError):
        promote(models, name)


def test_list_and_checksum_file(tmp_path):
    models = _bundles(tmp_path, "b", "a")
    (models / "not-a-bundle").mkdir()
    assert [p.name for p in list_bundles(models)] == ["a", "b"]
    sums = dict(reversed(line.split()) for line in
                (models / "a" / "SHA256SUMS").read_text().splitlines())
    assert sums == verify(models / "a")["model_files"]
    assert set(sums) == {"model.json", "model.npz"}
