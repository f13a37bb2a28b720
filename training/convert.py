"""``thread-health models convert``: a pickled bundle (``model.joblib``) -> the plain format.

Converting unpickles ``model.joblib`` once, here, so it is only for a bundle you trust
(one you trained, or one shipped with the project); the service itself never unpickles.
The converted classifiers must give the same probabilities as the pickled ones, bit for
bit, on the comments of the check data, or nothing is written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from service.nlp.language import LanguageDetector
from service.scoring.bundles import PICKLED, BundleError, read_metadata, save_bundle, sha256_of
from service.vocab import ACTS, PROMOTION

from .examples import build_examples
from .export import ExportError, export_classifier
from .inputs import read_data
from .report_text import file_rows

CHECK_COMMENTS = 3000


def check_rows(data: list[Path], pipelines, limit: int = CHECK_COMMENTS) -> list:
    """Prepared comments of the first threads of ``data``, about ``limit`` of them."""
    threads, size = [], 0
    for thread in read_data(data):
        threads.append(thread)
        size += len(thread["comments"])
        if size >= limit:
            break
    return build_examples(threads, LanguageDetector(seed=0), pipelines).rows


def convert(bundle: Path, data: list[Path], pipelines=None) -> dict:
    """Rewrite the trusted pickled ``bundle`` in the plain format; its new metadata."""
    # spaCy's pipelines: loaded only when a conversion runs.
    import joblib

    from service.nlp.pipelines import load_pipelines

    bundle = Path(bundle)
    metadata = read_metadata(bundle)
    pickled = bundle / PICKLED
    if not pickled.is_file():
        raise BundleError(f"{pickled}: missing; nothing to convert")
    digest = sha256_of(pickled)
    if digest != metadata.get("model_sha256"):
        raise BundleError(f"{pickled}: SHA-256 {digest[:12]}… differs from the metadata's; "
                          "the file changed since it was trained, not converted")
    old = joblib.load(pickled)
    try:
        model = {"act": export_classifier(old["act"], ACTS),
                 "promotion": export_classifier(old["promotion"], PROMOTION),
                 "promotion_threshold": float(old["promotion_threshold"]),
                 "health": old["health"], "act_prior": old.get("act_prior")}
    except (ExportError, KeyError) as exc:
        raise BundleError(f"{pickled}: cannot be converted ({exc})") from exc
    rows = check_rows(data, pipelines or load_pipelines())
    for name in ("act", "promotion"):
        plain = model[name]
        if not np.array_equal(old[name].predict_proba(rows), plain.proba(plain.features(rows))):
            raise BundleError(f"{pickled}: the converted {name} classifier does not give the "
                              "same probabilities; not converted")
    metadata["converted_from"] = {"file": PICKLED, "sha256": digest,
                                  "at": datetime.now(UTC).isoformat(timespec="seconds"),
                                  "checked_comments": len(rows)}
    metadata = save_bundle(bundle, model, metadata)
    _update_report(bundle / "report.md", metadata)
    return metadata


def _update_report(report: Path, metadata: dict) -> None:
    """Replace the report's line naming the pickled file by the new files' lines."""
    if not report.is_file():
        return
    text = report.read_text(encoding="utf-8")
    rows = "\n".join(f"| {k} | {v} |" for k, v in file_rows(metadata))
    report.write_text(re.sub(r"^\| model\.joblib SHA-256 \| .*$", lambda _: rows, text,
                             flags=re.MULTILINE), encoding="utf-8")
