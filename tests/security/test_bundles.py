"""Issue 19, finding 1: a model bundle cannot run code, ``models/current`` cannot lead out of
``models/``, and a bundle missing a part fails readiness instead of the process.

Each hostile bundle carries a payload that creates a marker file when unpickled. On main
before this work, the pickled one was accepted by ``promote`` (its SHA-256 is in its own
metadata) and ran its payload in a running service within a second of ``models/current``
naming it; ``../outside`` in ``models/current`` loaded a bundle from elsewhere; a bundle
without its ``act`` classifier made ``create_app`` raise ``KeyError``.
"""

from __future__ import annotations

import io
import json
import pickle
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from service import create_app
from service.scoring.bundles import (
    BundleError,
    current_bundle_path,
    library_versions,
    load_bundle,
    promote,
    sha256_of,
)
from tests.bundles import write_bundle
from tests.helpers import Server, http
from tests.training.helpers import drop_part


class Payload:
    """Unpickling this creates ``marker``: the stand-in for any code an attacker wants run."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.write_text, (Path(self.marker), "the payload ran")


def pickled_bundle(folder: Path, marker: Path) -> Path:
    """A bundle of the old format, as main accepted it: ``model.joblib`` holding the
    payload, its SHA-256 and the installed library versions in its own metadata."""
    folder.mkdir(parents=True)
    (folder / "model.joblib").write_bytes(pickle.dumps({"act": Payload(marker)}))
    digest = sha256_of(folder / "model.joblib")
    (folder / "model.joblib.sha256").write_text(f"{digest}  model.joblib\n")
    meta = {"model_version": folder.name, "model_sha256": digest,
            "libraries": {**library_versions(), "joblib": "1.6.0"}}
    (folder / "metadata.json").write_text(json.dumps(meta))
    return folder


def _refresh_digests(folder: Path) -> None:
    """Rewrite the metadata's digests to match the files: whoever writes a bundle can."""
    meta = json.loads((folder / "metadata.json").read_text())
    meta["model_files"] = {n: sha256_of(folder / n) for n in ("model.json", "model.npz")}
    (folder / "metadata.json").write_text(json.dumps(meta))


def object_array_bundle(folder: Path, marker: Path) -> Path:
    """A bundle of the new format whose ``model.npz`` holds a pickled object array in
    place of the coefficients."""
    write_bundle(folder)
    with np.load(folder / "model.npz") as npz:
        arrays = {name: npz[name] for name in npz.files}
    buffer = io.BytesIO()
    np.save(buffer, np.array([Payload(marker)], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(folder / "model.npz", "w") as zf:
        for name, array in arrays.items():
            if name == "act.coef":
                zf.writestr("act.coef.npy", buffer.getvalue())
            else:
                with zf.open(f"{name}.npy", "w") as fh:
                    np.lib.format.write_array(fh, array)
    _refresh_digests(folder)
    return folder


def raw_pickle_bundle(folder: Path, marker: Path) -> Path:
    """A bundle of the new format whose ``model.npz`` is a bare pickle."""
    write_bundle(folder)
    (folder / "model.npz").write_bytes(pickle.dumps(Payload(marker)))
    _refresh_digests(folder)
    return folder


def single_array_bundle(folder: Path, marker: Path) -> Path:
    """A bundle whose ``model.npz`` is one .npy array, not an archive (no payload: numpy
    returns an array where the reader expects an archive)."""
    write_bundle(folder)
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    (folder / "model.npz").write_bytes(buffer.getvalue())
    _refresh_digests(folder)
    return folder


def broken_deflate_bundle(folder: Path, marker: Path) -> Path:
    """A bundle whose ``model.npz`` archive has a damaged compressed entry, with the
    digests rewritten to match (zlib fails while numpy reads it)."""
    write_bundle(folder)
    data = bytearray((folder / "model.npz").read_bytes())
    for offset in range(200, len(data) - 200, 997):
        data[offset] ^= 0x5A
    (folder / "model.npz").write_bytes(bytes(data))
    _refresh_digests(folder)
    return folder


HOSTILE = {"pickled": pickled_bundle, "object_array": object_array_bundle,
           "raw_pickle": raw_pickle_bundle, "single_array": single_array_bundle,
           "broken_deflate": broken_deflate_bundle}


def test_the_payload_is_real(tmp_path):
    """The check of the tests below: unpickling the payload does create the marker."""
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.read_text() == "the payload ran"


@pytest.mark.parametrize("kind", HOSTILE)
def test_promote_refuses_a_hostile_bundle_and_the_payload_never_runs(tmp_path, kind):
    models, marker = tmp_path / "models", tmp_path / "ran"
    write_bundle(models / "good")
    promote(models, "good")
    HOSTILE[kind](models / "evil", marker)
    with pytest.raises(BundleError):
        promote(models, "evil")
    with pytest.raises(BundleError):
        load_bundle(models / "evil")
    assert (models / "current").read_text().strip() == "good"
    assert not marker.exists()


def test_a_pickled_bundle_is_refused_saying_how_to_convert(tmp_path):
    bundle = pickled_bundle(tmp_path / "old", tmp_path / "ran")
    with pytest.raises(BundleError, match="thread-health models convert old --trusted"):
        load_bundle(bundle)


@pytest.mark.slow
def test_a_running_service_refuses_hostile_bundles_and_pointers(tmp_path):
    """A real server (gunicorn, 2 workers) keeps its model while models/current is pointed
    at each hostile bundle and at bundles outside models/; no payload ever runs."""
    models, marker = tmp_path / "models", tmp_path / "ran"
    write_bundle(models / "good")
    (models / "current").write_text("good\n")
    for kind, make in HOSTILE.items():
        make(models / kind, marker)
    outside = write_bundle(tmp_path / "outside", "outside")  # a valid bundle, elsewhere
    (models / "link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "data").mkdir(mode=0o700)
    server = Server(tmp_path / "data", {"THREAD_HEALTH_MODELS_DIR": str(models)}, workers=2)
    key = server.cli("keys", "create", "--platform", "sec").strip().splitlines()[-1]
    server.start()
    try:
        pointers = [*HOSTILE, "../outside", str(outside), "link", "..", ""]
        for pointer in pointers:
            (models / "current").write_text(pointer + "\n")
            time.sleep(1.2)  # past MODEL_CHECK_INTERVAL: the next requests look again
            for _ in range(4):  # reach both workers
                status, body, _ = http("GET", f"{server.url}/readyz")
                assert status == 200, (pointer, body)
                detail = body["checks"]["model"]["detail"]
                assert detail.startswith("model good"), (pointer, detail)
                status, body, _ = http("POST", f"{server.url}/v1/analyze/comment",
                                       {"text": "Thanks, that helped a lot."}, key)
                assert status == 200 and body["model_version"] == "good", pointer
            if pointer:
                assert "promoted bundle refused" in detail, (pointer, detail)
        assert not marker.exists()
        log = server.log.read_text()
        assert "outside" in log and "not a bundle name" in log and "leads outside" in log
    finally:
        server.kill()
    assert not marker.exists()


@pytest.mark.parametrize("pointer", ["../outside", "/absolute", "a/b", "..", ".", "link"])
def test_models_current_must_name_a_folder_inside_models(tmp_path, pointer):
    models = tmp_path / "models"
    write_bundle(tmp_path / "outside")
    models.mkdir()
    (models / "link").symlink_to(tmp_path / "outside", target_is_directory=True)
    if pointer == "/absolute":
        pointer = str(tmp_path / "outside")
    (models / "current").write_text(pointer + "\n")
    with pytest.raises(BundleError, match=r"not a bundle name|leads outside"):
        current_bundle_path(models)
    with pytest.raises(BundleError):
        promote(models, pointer)


def test_a_file_of_a_bundle_linking_outside_is_refused(tmp_path):
    bundle = write_bundle(tmp_path / "models" / "b")
    shutil.move(bundle / "model.npz", tmp_path / "elsewhere.npz")
    (bundle / "model.npz").symlink_to(tmp_path / "elsewhere.npz")
    with pytest.raises(BundleError, match="leads outside"):
        load_bundle(bundle)


def test_a_bundle_without_its_act_classifier_fails_readiness_not_the_process(tmp_path):
    models = tmp_path / "models"
    write_bundle(models / "partial")
    drop_part(models / "partial", "act")
    (models / "current").write_text("partial\n")
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "MODELS_DIR": models})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "classifiers.act: missing" in response.get_json()["checks"]["model"]["detail"]
    assert client.post("/v1/analyze/comment", json={"text": "hi"}).status_code in (401, 503)
