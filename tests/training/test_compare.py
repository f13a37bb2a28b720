"""``thread-health evaluate``: the side-by-side table, and metrics recorded into a bundle."""

from __future__ import annotations

import json
import shutil

from service.cli import main
from service.scoring.bundles import verify
from training.compare import signed


def test_signed_difference_marks_intervals_without_zero():
    def text(value, low, high):
        return signed({"value": value, "low": low, "high": high})

    assert text(0.02, 0.001, 0.04) == "+0.020 [+0.001, +0.040] excludes 0"
    assert text(-0.01, -0.03, 0.0) == "-0.010 [-0.030, 0] includes 0"
    # bounds that three decimals would print as +0.000 / -0.000 keep their sign and digit
    assert text(0.01, 0.0003, 0.02) == "+0.010 [+0.0003, +0.020] excludes 0"
    assert text(0.01, -0.0002, 0.02) == "+0.010 [-0.0002, +0.020] includes 0"
    assert text(-0.02, -0.04, -0.0004) == "-0.020 [-0.040, -0.0004] excludes 0"
    assert signed(None) == "–"


def test_evaluate_prints_intervals_and_records_them(trained, subset, runner, tmp_path):
    bundle = shutil.copytree(trained, tmp_path / "m")
    result = runner.invoke(main, ["evaluate", "--model", str(bundle), "--data", str(subset),
                                  "--no-youtube", "--resamples", "100", "--record"])
    assert result.exit_code == 0, result.output
    meta = verify(bundle)  # recording metrics leaves the model file and its checksum alone
    assert meta["model_version"] in result.output and "act_macro_f1" in result.output
    assert "95% cluster-bootstrap intervals over threads." in result.output
    assert meta["metrics"]["split"] == "test" and "cv" in meta["metrics"]
    entry = meta["metrics"]["intervals"]["fr"]["metrics"]["promotion_f1"]["model"]
    assert entry["value"] is not None and entry["low"] <= entry["high"]
    assert json.loads((bundle / "metadata.json").read_text())["metrics"]["corpus"]["fr"]


def test_evaluate_refuses_an_empty_split(trained, runner, tmp_path):
    csv = tmp_path / "only-train.csv"
    csv.write_text("text,act,promotion,language\nHello all,broadcast,dialogue,en\n")
    result = runner.invoke(main, ["evaluate", "--model", str(trained), "--data", str(csv),
                                  "--no-youtube"])
    assert result.exit_code == 1 and "no test threads in the data (try --split all)" in \
        result.output
