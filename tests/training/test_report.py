"""The report: written by code, every plot it links exists, regenerated from a data split."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from service.cli import main
from service.vocab import LANGUAGES
from tests.training.helpers import copy_bundle

PNG = b"\x89PNG\r\n\x1a\n"


def links(report: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report)


def test_training_writes_the_cross_validation_report(trained):
    report = (trained / "report.md").read_text()
    assert "cross-validated predictions on the training split" in report
    assert "| metric | French (" in report and "English (" in report
    assert "act_listening_recall" in report and "promotion_f1" in report
    assert "do not edit by hand" in report
    images = links(report)
    assert len(images) == 8
    for name in images:
        assert (trained / name).read_bytes().startswith(PNG), name
    for section in ("## Warnings", "## Metrics", "## Calibration",
                    "## The promotion threshold: precision–recall and threshold curves",
                    "## Most confident errors", "### promotion: labelled self_promotion",
                    "health_level_accuracy", "flag_micro_f1"):
        assert section in report, section
    assert "## Compared with the model in production" not in report  # none was given
    figures = json.loads((trained / "report.json").read_text())
    assert figures["source"] == "cv" and set(figures["calibration"]) == set(LANGUAGES)
    assert any("threads in the report's data (fewer than 30)" in w for w in figures["warnings"])


def test_models_report_measures_the_test_split(trained, subset, runner, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(trained, models / trained.name)
    (models / trained.name / "report.md").unlink()
    result = runner.invoke(main, ["models", "report", trained.name, "--data", str(subset),
                                  "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {models / trained.name / 'report.md'}, report.json "
                                    "and 8 plots")
    assert "analysing with " in result.stderr  # progress lines: stderr is not a terminal
    report = (models / trained.name / "report.md").read_text()
    assert "the fixed test split (threads never trained on)" in report
    assert "Cross-validation on the training split" in report
    assert "## Compared with the model in production" not in report  # nothing is promoted


def test_models_report_compares_with_the_promoted_bundle(trained, subset, runner, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(trained, models / trained.name)
    copy_bundle(models, "prod", "prod-version")
    (models / "current").write_text("prod\n")
    result = runner.invoke(main, ["models", "report", trained.name, "--data", str(subset),
                                  "--models-dir", str(models), "--resamples", "200"])
    assert result.exit_code == 0, result.output
    assert "; compared with prod)" in result.stdout
    report = (models / trained.name / "report.md").read_text()
    assert "## Compared with the model in production" in report
    assert "beside `prod-version` (bundle `prod`)" in report
    figures = json.loads((models / trained.name / "report.json").read_text())
    entry = figures["comparison"]["metrics"]["fr"]["metrics"]["promotion_f1"]
    assert entry["difference"]["value"] == pytest.approx(
        entry["model"]["value"] - entry["baseline"]["value"], abs=2e-4)
    # the model's own figures are the comparison's "model" side: the same threads
    assert figures["metrics"]["fr"]["metrics"]["promotion_f1"]["model"] == entry["model"]
