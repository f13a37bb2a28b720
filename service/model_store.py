"""Versioned model bundles: ``model.joblib`` + ``metadata.json`` (+ ``report.md``).

A bundle is refused when its file's SHA-256 differs from the metadata, or when it was
built with other versions of the libraries that pickle it (a joblib pickle is only safe
to load under the versions that wrote it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "spacy")
CURRENT_FILE = "current"


class BundleError(Exception):
    """A bundle cannot be used; the message names the path and what was expected."""


@dataclass
class Bundle:
    """A loaded model bundle."""

    path: Path
    metadata: dict
    model: dict

    @property
    def version(self) -> str:
        return self.metadata["model_version"]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose pickles the bundle contains."""
    return {name: version(name) for name in PINNED_LIBRARIES}


def read_metadata(path: Path) -> dict:
    """The metadata of the bundle at ``path``; BundleError when missing or unreadable."""
    meta_path = path / "metadata.json"
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"{meta_path}: no metadata.json; is {path} a model bundle?") from exc
    except json.JSONDecodeError as exc:
        raise BundleError(f"{meta_path}: not valid JSON ({exc})") from exc


def verify(path: Path) -> dict:
    """Check checksum and library versions without unpickling; returns the metadata."""
    metadata = read_metadata(path)
    model_path = path / "model.joblib"
    if not model_path.exists():
        raise BundleError(f"{model_path}: missing")
    actual = sha256_of(model_path)
    if actual != metadata.get("model_sha256"):
        raise BundleError(f"{model_path}: SHA-256 {actual[:12]}… does not match metadata "
                          f"({str(metadata.get('model_sha256'))[:12]}…): file changed or truncated")
    built = metadata.get("libraries", {})
    here = library_versions()
    wrong = {k: (built.get(k), v) for k, v in here.items() if built.get(k) != v}
    if wrong:
        detail = ", ".join(f"{k} built with {b}, installed {h}" for k, (b, h) in wrong.items())
        raise BundleError(f"{path}: built with other library versions ({detail}); "
                          "retrain it or install the versions in constraints.txt")
    return metadata


def load_bundle(path: Path) -> Bundle:
    """Verify then load a bundle."""
    import joblib

    metadata = verify(path)
    try:
        model = joblib.load(path / "model.joblib")
    except Exception as exc:  # unpickling can fail in many ways; all mean "unusable"
        raise BundleError(f"{path / 'model.joblib'}: cannot be loaded ({exc})") from exc
    return Bundle(path=path, metadata=metadata, model=model)


def current_bundle_path(models_dir: Path) -> Path:
    """The promoted bundle named in ``models/current``."""
    marker = models_dir / CURRENT_FILE
    if not marker.exists():
        raise BundleError(f"{marker}: no promoted model (expected a file naming a bundle "
                          f"directory in {models_dir})")
    name = marker.read_text(encoding="utf-8").strip()
    return models_dir / name


def save_bundle(path: Path, model: dict, metadata: dict) -> dict:
    """Write ``model.joblib`` and ``metadata.json`` (with checksum and versions)."""
    import joblib

    path.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path / "model.joblib", compress=3)
    metadata = dict(metadata)
    metadata["model_sha256"] = sha256_of(path / "model.joblib")
    metadata["libraries"] = library_versions()
    (path / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False,
                                                   sort_keys=True) + "\n", encoding="utf-8")
    return metadata
