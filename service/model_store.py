"""Versioned model bundles: ``model.joblib`` + ``metadata.json`` (+ ``report.md``).

A bundle is refused when its file's SHA-256 differs from the metadata, or when it was
built with other versions of the libraries that pickle it (a joblib pickle is only safe
to load under the versions that wrote it). ``models/current`` names the promoted bundle;
``promote`` and ``rollback`` rewrite it atomically and log each switch in
``models/history.jsonl``, so running services pick the change up without a restart.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "spacy")
CURRENT_FILE = "current"
HISTORY_FILE = "history.jsonl"


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
    name = current_name(models_dir)
    if not name:
        raise BundleError(f"{Path(models_dir) / CURRENT_FILE}: no promoted model (expected a "
                          f"file naming a bundle directory in {models_dir})")
    return Path(models_dir) / name


def save_bundle(path: Path, model: dict, metadata: dict) -> dict:
    """Write ``model.joblib`` and ``metadata.json`` (with checksum and versions)."""
    import joblib

    path.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path / "model.joblib", compress=3)
    metadata = dict(metadata)
    metadata["model_sha256"] = sha256_of(path / "model.joblib")
    # sha256sum's format, so `sha256sum -c model.joblib.sha256` checks the file by hand.
    (path / "model.joblib.sha256").write_text(f"{metadata['model_sha256']}  model.joblib\n",
                                              encoding="utf-8")
    metadata["libraries"] = library_versions()
    (path / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False,
                                                   sort_keys=True) + "\n", encoding="utf-8")
    return metadata


def list_bundles(models_dir: Path) -> list[Path]:
    """Bundle directories (those with a ``metadata.json``) in ``models_dir``, by name."""
    return sorted(p for p in Path(models_dir).iterdir() if (p / "metadata.json").is_file())


def current_name(models_dir: Path) -> str | None:
    """The name in ``models/current``, or None when nothing is promoted."""
    marker = Path(models_dir) / CURRENT_FILE
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step: readers see the old content or the new, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)  # not mkstemp's 600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_history(models_dir: Path) -> list[dict]:
    """Every switch of ``models/current``, oldest first."""
    path = Path(models_dir) / HISTORY_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _switch(models_dir: Path, name: str, action: str) -> dict:
    """Verify bundle ``name``, point ``models/current`` at it and log the switch."""
    models_dir = Path(models_dir)
    if not name or Path(name).name != name:
        raise BundleError(f"{name!r}: give a bundle's directory name inside {models_dir}")
    metadata = verify(models_dir / name)
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "action": action,
             "from": current_name(models_dir), "to": name,
             "model_version": metadata.get("model_version")}
    _write_atomically(models_dir / CURRENT_FILE, name + "\n")
    with (models_dir / HISTORY_FILE).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    return entry


def promote(models_dir: Path, name: str) -> dict:
    """Make bundle ``name`` the served one, after checking checksum and library versions."""
    return _switch(models_dir, name, "promote")


def previous_name(models_dir: Path) -> str | None:
    """The bundle that ``rollback`` would restore: promotions are a stack, rollbacks pop it."""
    stack: list[str | None] = []
    for entry in read_history(models_dir):
        if entry["action"] == "promote":
            stack.append(entry["from"])
        elif stack:
            stack.pop()
    return stack[-1] if stack else None


def rollback(models_dir: Path) -> dict:
    """Go back to the bundle promoted before the current one (verified like a promotion)."""
    name = previous_name(models_dir)
    if name is None:
        raise BundleError(f"{Path(models_dir) / HISTORY_FILE}: no earlier promotion to go "
                          "back to")
    return _switch(models_dir, name, "rollback")
