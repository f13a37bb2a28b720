"""Versioned model bundles: ``model.json`` + ``model.npz`` + ``metadata.json`` (+ report).

A bundle holds plain data only: ``model.json`` describes the classifiers (feature blocks,
calibration, the act model's second stage, threshold, health weights) and ``model.npz``
holds their arrays (vocabularies, IDF weights, coefficients, tree nodes), read with
``numpy.load(allow_pickle=False)``. Nothing in a bundle is unpickled, so loading one
cannot run code, whoever wrote it; every field is
checked before use and a bundle missing a part is refused with the field it lacks. The
SHA-256 of each file is kept in ``metadata.json`` (and ``SHA256SUMS``, for
``sha256sum -c``) to catch a damaged copy; it is no protection against someone who can
write the bundle, and needs none: the worst such a writer can do is what writing
``models/current`` does, serve other predictions. Bundles of the pickled format
(``model.joblib``) are refused; ``thread-health models convert`` rewrites a trusted one.

``models/current`` names the promoted bundle: a folder directly inside ``models/``
(symbolic links resolved, and refused when they lead elsewhere). ``promote`` and
``rollback`` rewrite it atomically and log each switch in ``models/history.jsonl``, so
running services pick the change up without a restart.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from ..vocab import ACTS, PROMOTION
from .context_model import ContextModel
from .health import HealthParams
from .linear import FormatError, _field, from_plain, same_features, to_plain

PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "spacy")
CURRENT_FILE = "current"
HISTORY_FILE = "history.jsonl"
FORMAT, FORMAT_VERSION = "thread-health-bundle", 1
MODEL_FILES = ("model.json", "model.npz")
SUMS_FILE = "SHA256SUMS"
PICKLED = "model.joblib"  # the format before FORMAT_VERSION 1
MAX_JSON_BYTES = 1 << 20  # model.json is a few kilobytes; the arrays are in model.npz
CLASSIFIERS = ("act", "promotion")


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
    """Versions of the libraries that trained the bundle (recorded, not required)."""
    return {name: version(name) for name in PINNED_LIBRARIES}


def _inside(path: Path, folder: Path, what: str) -> Path:
    """``path``, after checking that it resolves to an entry directly inside ``folder``
    (a symbolic link leading elsewhere is refused)."""
    real = path.resolve()
    if real.parent != folder.resolve():
        raise BundleError(f"{path}: {what} leads outside {folder} (to {real}); refused")
    return path


def read_metadata(path: Path) -> dict:
    """The metadata of the bundle at ``path``; BundleError when missing or unreadable."""
    meta_path = Path(path) / "metadata.json"
    try:
        _inside(meta_path, Path(path), "metadata.json")
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"{meta_path}: no metadata.json; is {path} a model bundle?") from exc
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"{meta_path}: not valid JSON ({exc})") from exc
    except OSError as exc:
        raise BundleError(f"{meta_path}: cannot be read ({exc.strerror})") from exc
    if not isinstance(metadata, dict) or not isinstance(metadata.get("model_version"), str):
        raise BundleError(f"{meta_path}: expected an object with a model_version string")
    return metadata


def verify(path: Path) -> dict:
    """Check the bundle's format and files (without reading the model); its metadata."""
    path = Path(path)
    metadata = read_metadata(path)
    if metadata.get("format") != FORMAT or metadata.get("format_version") != FORMAT_VERSION:
        if (path / PICKLED).exists():
            raise BundleError(f"{path}: a pickled bundle ({PICKLED}), which this version never "
                              "loads since unpickling can run code; retrain it, or convert it "
                              "if you trust it: thread-health models convert "
                              f"{path.name} --trusted")
        raise BundleError(f"{path / 'metadata.json'}: format {metadata.get('format')!r} "
                          f"version {metadata.get('format_version')!r}; expected {FORMAT!r} "
                          f"version {FORMAT_VERSION}")
    digests = metadata.get("model_files")
    if not isinstance(digests, dict):
        raise BundleError(f"{path / 'metadata.json'}: model_files: missing")
    for name in MODEL_FILES:
        file = path / name
        if not file.is_file():
            raise BundleError(f"{file}: missing")
        _inside(file, path, name)
        actual = sha256_of(file)
        if actual != digests.get(name):
            raise BundleError(f"{file}: SHA-256 {actual[:12]}… does not match metadata "
                              f"({str(digests.get(name))[:12]}…): file changed or truncated")
    return metadata


def _read_model(path: Path) -> dict:
    """model.json and model.npz of a verified bundle, checked part by part."""
    import numpy as np


    if (path / "model.json").stat().st_size > MAX_JSON_BYTES:
        raise BundleError(f"{path / 'model.json'}: over {MAX_JSON_BYTES} bytes")
    try:
        spec = json.loads((path / "model.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"{path / 'model.json'}: not valid JSON ({exc})") from exc
    try:
        # allow_pickle=False: an array of Python objects is refused, never unpickled.
        loaded = np.load(path / "model.npz", allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not an archive")
        with loaded as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:  # whatever a damaged or hostile archive makes numpy raise
        raise BundleError(f"{path / 'model.npz'}: not an archive of plain arrays "
                          f"({type(exc).__name__}: {exc})") from exc
    try:
        return model_from_plain(spec, arrays, {"act": ACTS, "promotion": PROMOTION})
    except FormatError as exc:
        raise BundleError(f"{path}: {exc}") from exc


def model_from_plain(spec, arrays: dict, classes: dict) -> dict:
    """The engine's model dict from model.json's content and model.npz's arrays."""

    where = "model.json"
    if not isinstance(spec, dict):
        raise FormatError(f"{where}: expected an object")
    if (spec.get("format"), spec.get("format_version")) != (FORMAT, FORMAT_VERSION):
        raise FormatError(f"{where}: expected format {FORMAT!r} version {FORMAT_VERSION}")
    specs = _field(spec, "classifiers", dict, where)
    model, shared = {}, {}
    for name in CLASSIFIERS:
        one = _field(specs, name, dict, f"{where}.classifiers")
        features = one.get("features")
        blocks = shared.get(features) if isinstance(features, str) else None
        model[name] = from_plain(one, arrays, name, classes[name], blocks,
                                 f"{where}.classifiers.{name}")
        shared[name] = model[name].blocks
    threshold = _field(spec, "promotion_threshold", (int, float), where)
    if not math.isfinite(threshold):  # above 1: nothing is labelled self-promotion
        raise FormatError(f"{where}.promotion_threshold: expected a finite number")
    model["promotion_threshold"] = float(threshold)
    prior = _field(spec, "act_prior", (list, type(None)), where)
    if prior is not None and (len(prior) != len(classes["act"]) or not all(
            isinstance(w, int | float) and not isinstance(w, bool) and w > 0 for w in prior)):
        raise FormatError(f"{where}.act_prior: expected {len(classes['act'])} positive numbers "
                          "or null")
    import numpy as np

    model["act_prior"] = None if prior is None else np.asarray(prior, dtype=float)
    context = spec.get("act_context")  # the act model's second stage (bundles of December 8 on)
    model["act_context"] = None if context is None else ContextModel.from_plain(
        context, arrays, "act_context", len(classes["act"]), f"{where}.act_context")
    health = _field(spec, "health", dict, where)
    weights = _field(health, "weights", dict, f"{where}.health")
    expected = set(HealthParams().weights)
    if set(weights) != expected or not all(
            isinstance(w, int | float) and not isinstance(w, bool) for w in weights.values()):
        raise FormatError(f"{where}.health.weights: expected a number for each of "
                          f"{', '.join(sorted(expected))}")
    model["health"] = HealthParams(
        weights={k: float(v) for k, v in weights.items()},
        penalty=float(_field(health, "penalty", (int, float), f"{where}.health")),
        healthy_at=_field(health, "healthy_at", int, f"{where}.health"),
        at_risk_at=_field(health, "at_risk_at", int, f"{where}.health"))
    return model


def model_to_plain(model: dict) -> tuple[dict, dict]:
    """(model.json's content, model.npz's arrays) of the engine's model dict."""

    specs, arrays = {}, {}
    for name in CLASSIFIERS:
        earlier = next((other for other in specs
                        if same_features(model[other].blocks, model[name].blocks)), None)
        spec, mine = to_plain(model[name], name, earlier)
        specs[name] = spec
        arrays.update(mine)
    health = model["health"]
    prior = model.get("act_prior")
    context = model.get("act_context")
    if context is not None:
        context_spec, context_arrays = context.plain("act_context")
        arrays.update(context_arrays)
    spec = {"format": FORMAT, "format_version": FORMAT_VERSION, "classifiers": specs,
            "promotion_threshold": float(model["promotion_threshold"]),
            "act_prior": None if prior is None else [float(w) for w in prior],
            "act_context": None if context is None else context_spec,
            "health": {"weights": dict(health.weights), "penalty": health.penalty,
                       "healthy_at": health.healthy_at, "at_risk_at": health.at_risk_at}}
    return spec, arrays


def load_bundle(path: Path) -> Bundle:
    """Verify then read a bundle (never unpickling anything)."""
    path = Path(path)
    metadata = verify(path)
    try:
        model = _read_model(path)
    except OSError as exc:
        raise BundleError(f"{path}: cannot be read ({exc})") from exc
    return Bundle(path=path, metadata=metadata, model=model)


def bundle_in(models_dir: Path, name: str) -> Path:
    """The bundle folder ``name`` of ``models_dir``: one name, no '/', '..' or absolute
    path, and not a symbolic link leading out of ``models_dir``."""
    models_dir = Path(models_dir)
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name
            or Path(name).name != name):
        raise BundleError(f"{models_dir / CURRENT_FILE}: {name!r} is not a bundle name (a "
                          f"folder directly inside {models_dir}; no '/', '..' or absolute path)")
    return _inside(models_dir / name, models_dir, "the bundle folder")


def current_bundle_path(models_dir: Path) -> Path:
    """The promoted bundle named in ``models/current``."""
    name = current_name(models_dir)
    if not name:
        raise BundleError(f"{Path(models_dir) / CURRENT_FILE}: no promoted model (expected a "
                          f"file naming a bundle directory in {models_dir})")
    return bundle_in(models_dir, name)


def _write_npz(path: Path, arrays: dict) -> None:
    """``numpy.savez_compressed`` with fixed entry dates, so the same arrays give the same
    bytes (numpy stamps each entry with the current time)."""
    import numpy as np

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.ascontiguousarray(arrays[name]),
                                          allow_pickle=False)


def save_bundle(path: Path, model: dict, metadata: dict) -> dict:
    """Write ``model.json``, ``model.npz``, ``SHA256SUMS`` and ``metadata.json``."""
    spec, arrays = model_to_plain(model)
    path.mkdir(parents=True, exist_ok=True)
    (path / "model.json").write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    _write_npz(path / "model.npz", arrays)
    (path / PICKLED).unlink(missing_ok=True)
    (path / f"{PICKLED}.sha256").unlink(missing_ok=True)
    metadata = {k: v for k, v in metadata.items() if k != "model_sha256"}
    metadata.update(format=FORMAT, format_version=FORMAT_VERSION,
                    model_files={name: sha256_of(path / name) for name in MODEL_FILES})
    metadata.setdefault("libraries", library_versions())  # a converted bundle keeps its own
    # sha256sum's format, so `sha256sum -c SHA256SUMS` checks the files by hand.
    (path / SUMS_FILE).write_text("".join(f"{metadata['model_files'][n]}  {n}\n"
                                          for n in MODEL_FILES), encoding="utf-8")
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
    metadata = load_bundle(bundle_in(models_dir, name)).metadata  # read whole, as served
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "action": action,
             "from": current_name(models_dir), "to": name,
             "model_version": metadata.get("model_version")}
    _write_atomically(models_dir / CURRENT_FILE, name + "\n")
    with (models_dir / HISTORY_FILE).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    return entry


def promote(models_dir: Path, name: str) -> dict:
    """Make bundle ``name`` the served one, after reading and checking all of it."""
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
