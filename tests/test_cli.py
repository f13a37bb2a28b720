"""The ``thread-health`` entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from service import __version__
from service.cli import main


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"thread-health, version {__version__}"


def test_serve_rejects_bad_port(runner):
    result = runner.invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "--port" in result.output


def test_installed_console_script():
    exe = shutil.which("thread-health") or str(
        __import__("pathlib").Path(sys.executable).with_name("thread-health"))
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_python_dash_m_runs_the_cli():
    for module in ("service", "service.cli"):
        out = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True,
                             text=True, check=True)
        assert out.stdout.strip() == f"thread-health, version {__version__}", module
        listed = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                                text=True, check=True)
        assert listed.stdout.startswith("Usage: thread-health ") and " train " in listed.stdout


ANALYZE_THEN_LIST_MODULES = """
import sys
from service.cli import main
main(["analyze", sys.argv[1], "--output", sys.argv[2]], standalone_mode=False)
print("imported:", *[m for m in ("flask", "sqlalchemy", "alembic", "training") if m in sys.modules])
"""


def test_analyze_does_not_import_the_web_and_training_packages(tmp_path):
    """A batch holds the model for its whole run; it does not also hold Flask, SQLAlchemy,
    alembic and the training package, which only the other commands use."""
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "t", "comments": [
        {"id": "c1", "author": "lea", "text": "Merci pour ce fil, j'ai appris beaucoup."}]}) + "\n")
    done = subprocess.run([sys.executable, "-c", ANALYZE_THEN_LIST_MODULES, str(source),
                           str(output)], capture_output=True, text=True, check=True,
                          env={**os.environ, "THREAD_HEALTH_DATA_DIR": str(tmp_path)})
    assert done.stdout.strip().splitlines()[-1] == "imported:"
    assert json.loads(output.read_text())["id"] == "t"
