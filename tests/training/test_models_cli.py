"""``thread-health models``: list, show, promote, rollback, with refusals that say why."""

from __future__ import annotations

import json

import pytest

from service.cli import main
from tests.training.helpers import copy_bundle, tamper
from training.models_cli import FOLLOW_NOTE


@pytest.fixture
def models(tmp_path):
    models = tmp_path / "models"
    for name in ("2026-01-01-aaaaaaa", "2026-02-01-bbbbbbb", "broken"):
        copy_bundle(models, name)
    tamper(models / "broken")
    (models / "current").write_text("2026-01-01-aaaaaaa\n")
    return models


def run(runner, models, *args):
    return runner.invoke(main, ["models", *args, "--models-dir", str(models)])


def test_list_marks_current_and_checks(runner, models):
    result = run(runner, models, "list")
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header.split() == ["bundle", "created", "cv", "act/promo", "F1", "test", "act/promo",
                              "F1", "dev", "act/promo", "F1", "checks"]
    assert lines[0].startswith("* 2026-01-01-aaaaaaa") and lines[0].endswith("[ok]")
    assert lines[1].startswith("  2026-02-01-bbbbbbb")
    assert "refused:" in lines[2] and "SHA-256" in lines[2]
    # cross-validation and test-split figures each in their own column, under its header
    meta = json.loads((models / "2026-01-01-aaaaaaa" / "metadata.json").read_text())
    cv, test = meta["metrics"].get("cv") or meta["cv"], meta["metrics"]["corpus"]
    start = {name: header.index(name) for name in ("cv act", "test act", "dev act")}
    assert lines[0][start["cv act"]:].startswith(
        f"en {cv['en']['act_macro_f1']:.3f}/{cv['en']['promotion_f1']:.3f} "
        f"fr {cv['fr']['act_macro_f1']:.3f}/{cv['fr']['promotion_f1']:.3f}")
    assert lines[0][start["test act"]:].startswith(
        f"en {test['en']['act_macro_f1']:.3f}/{test['en']['promotion_f1']:.3f} ")
    assert lines[0][start["dev act"]:].startswith("– ")  # never measured on the dev set


def test_show(runner, models):
    result = run(runner, models, "show", "2026-01-01-aaaaaaa")
    assert result.exit_code == 0
    assert "promoted             yes" in result.output
    assert "checks               ok" in result.output
    full = json.loads(run(runner, models, "show", "2026-01-01-aaaaaaa", "--json").output)
    assert full["model_version"] == "2026-01-01-aaaaaaa"


def test_promote_and_rollback(runner, models):
    result = run(runner, models, "promote", str(models / "2026-02-01-bbbbbbb"), "--yes")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "no stored threads: nothing the candidate would change",
        f"promoted 2026-02-01-bbbbbbb (model 2026-02-01-bbbbbbb), was 2026-01-01-aaaaaaa; "
        f"{FOLLOW_NOTE}"]
    assert (models / "current").read_text().strip() == "2026-02-01-bbbbbbb"
    result = run(runner, models, "rollback")
    assert result.exit_code == 0 and "rolled back to 2026-01-01-aaaaaaa" in result.output
    assert (models / "current").read_text().strip() == "2026-01-01-aaaaaaa"
    again = run(runner, models, "rollback")
    assert again.exit_code == 1 and "no earlier promotion" in again.output


@pytest.mark.parametrize(("setup", "expected"), [
    ("tampered", "SHA-256"),
    ("libraries", "built with other library versions (numpy built with 0.0.1"),
    ("missing", "no metadata.json"),
])
def test_promotion_refused_with_reason(runner, models, setup, expected):
    name = "broken"
    if setup == "libraries":
        name = "2026-02-01-bbbbbbb"
        meta_path = models / name / "metadata.json"
        meta = json.loads(meta_path.read_text())
        meta["libraries"]["numpy"] = "0.0.1"
        meta_path.write_text(json.dumps(meta))
    elif setup == "missing":
        name = "nope"
    result = run(runner, models, "promote", name)
    assert result.exit_code == 1
    assert "not promoted:" in result.output and expected in result.output
    assert (models / "current").read_text().strip() == "2026-01-01-aaaaaaa"


def test_bundles_elsewhere_are_not_promoted(runner, models, tmp_path):
    result = run(runner, models, "promote", str(tmp_path / "elsewhere" / "x"))
    assert result.exit_code == 1 and "not a bundle of" in result.output


@pytest.mark.parametrize(("candidate", "warned"), [(0.5, False), (0.53, False), (0.531, True),
                                                   (0.45, True)])
def test_threshold_shift_warning(runner, models, candidate, warned):
    current = json.loads((models / "2026-01-01-aaaaaaa" / "metadata.json").read_text())
    current["promotion_threshold"] = 0.5
    (models / "2026-01-01-aaaaaaa" / "metadata.json").write_text(json.dumps(current))
    meta_path = models / "2026-02-01-bbbbbbb" / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["promotion_threshold"] = candidate
    meta_path.write_text(json.dumps(meta))
    result = run(runner, models, "promote", "2026-02-01-bbbbbbb", "--yes")
    assert result.exit_code == 0, result.output
    warning = (f"WARNING: the promotion threshold moves from 0.5 to {candidate} "
               f"({candidate - 0.5:+.4f}, more than 0.03)")
    assert (warning in result.output) is warned
