"""``thread-health analyze``: bad lines reported and skipped; output independent of workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("thread-health"))


def corpus_lines(n):
    lines = (ROOT / "data" / "samples" / "threads.jsonl").read_text().splitlines()[:n]
    out = []
    for line in lines:
        t = json.loads(line)
        t.pop("labels")
        for c in t["comments"]:
            c.pop("labels")
        out.append(json.dumps(t, ensure_ascii=False))
    return out


@pytest.fixture(scope="module")
def input_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "in.jsonl"
    lines = corpus_lines(6)
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"comments": [{"id": "c1", "author": "a", "text": ""}]}))
    path.write_text("\n".join(lines) + "\n")
    return path


def run(input_file, out, workers):
    return subprocess.run([EXE, "analyze", str(input_file), "--output", str(out),
                           "--workers", str(workers)], capture_output=True, text=True,
                          timeout=600)


def test_bad_lines_reported_others_analysed_same_bytes_any_workers(input_file, tmp_path):
    one = run(input_file, tmp_path / "one.jsonl", 1)
    two = run(input_file, tmp_path / "two.jsonl", 2)
    assert one.returncode == 1 and two.returncode == 1
    assert "line 3: not valid JSON" in one.stderr
    assert "line 5: comments[0].text: must not be empty" in one.stderr
    assert "6 threads analysed, 2 lines failed" in one.stderr
    out_one = (tmp_path / "one.jsonl").read_bytes()
    assert out_one == (tmp_path / "two.jsonl").read_bytes()
    ids = [json.loads(line)["id"] for line in out_one.decode().splitlines()]
    assert ids == [json.loads(line)["id"] for line in corpus_lines(6)]


def test_stdin_to_stdout(tmp_path):
    line = corpus_lines(1)[0]
    result = subprocess.run([EXE, "analyze", "-", "--output", "-"], input=line + "\n",
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == json.loads(line)["id"]
