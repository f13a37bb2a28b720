"""The report: written by code, every plot it links exists, regenerated from a data split."""

from __future__ import annotations

import re
import shutil

from service.cli import main

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
    assert len(images) == 6
    for name in images:
        assert (trained / name).read_bytes().startswith(PNG), name


def test_models_report_measures_the_test_split(trained, subset, runner, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(trained, models / trained.name)
    (models / trained.name / "report.md").unlink()
    result = runner.invoke(main, ["models", "report", trained.name, "--data", str(subset),
                                  "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {models / trained.name / 'report.md'} and 6 plots")
    report = (models / trained.name / "report.md").read_text()
    assert "the fixed test split (threads never trained on)" in report
    assert "Cross-validation on the training split" in report
