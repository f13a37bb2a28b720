"""``data check`` accepts and refuses exactly what ``train`` does: one reader for both."""

from __future__ import annotations

import json

import pytest

from service.cli import main
from tests.training.test_csv_input import GOOD, HEADER

BAD_ROWS = HEADER + ("t1,a,ana,,How did you start?,listening,dialogue,en\n"
                     "t1,b,bob,a,We asked.,contribution,self-promotion,en\n"
                     "t1,c,ana,b,Thanks Bob!,listening,dialogue,en\n"
                     "t2,d,eve,,Hi, all,listening,dialogue,en\n")


def _files(tmp_path, subset) -> dict:
    """Data sets by name: a list of paths each."""
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROWS, encoding="utf-8")
    broken_json = tmp_path / "broken" / "threads.jsonl"
    broken_json.parent.mkdir()
    broken_json.write_text((subset / "threads.jsonl").read_text().replace('"act": "listening"',
                                                                          '"act": "chat"', 1))
    return {"good csv": [good], "bad csv": [bad], "csv beside the corpus": [good, subset],
            "bad csv beside the corpus": [bad, subset], "bad corpus": [broken_json.parent]}


def _args(paths) -> list[str]:
    return [a for p in paths for a in ("--data", str(p))]


@pytest.mark.parametrize("name", ["good csv", "bad csv", "csv beside the corpus",
                                  "bad csv beside the corpus", "bad corpus"])
def test_data_check_accepts_what_train_accepts(name, runner, tmp_path, subset, monkeypatch):
    paths = _files(tmp_path, subset)[name]
    trained: list = []
    monkeypatch.setattr("training.train.train", lambda *a, **k: trained.append(a) or {
        "model_version": "m", "promotion_threshold": 0.5, "threshold_selection": {},
        "metrics": {"cv": {}}})
    check = runner.invoke(main, ["data", "check", *map(str, paths)])
    train = runner.invoke(main, ["train", *_args(paths), "--out", str(tmp_path / "m")])
    assert check.exit_code == train.exit_code, (check.output, train.output)
    if check.exit_code == 0:
        assert "corpus OK" in check.output and len(trained) == 1
    else:
        assert not trained
        check_errors = check.output.splitlines()[:-1]  # the last line counts them
        train_errors = train.output.splitlines()[:-1]  # the last line says nothing was trained
        assert check_errors == train_errors and check_errors
        assert train.output.splitlines()[-1] == (f"Error: {len(check_errors)} error(s) in the "
                                                 "data; nothing was trained or measured")


def test_data_check_of_a_csv_counts_its_rows(runner, tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(GOOD, encoding="utf-8")
    counts = json.loads(runner.invoke(main, ["data", "check", str(path), "--json"]).output)
    assert counts["threads"] == 2 and counts["comments"] == 4
    assert counts["languages"]["fr"]["comments"] == 2
    assert counts["languages"]["en"]["self_promotion"] == 0.5


def test_bad_csv_errors_are_one_line_per_row(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    result = runner.invoke(main, ["data", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:3: promotion: must be one of ['dialogue', 'self_promotion'], got "
        "'self-promotion'",
        f"{path}:5: 9 values for 8 columns (an unquoted comma in the text? quote the field)",
        "2 error(s)"]
