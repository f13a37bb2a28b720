"""The ``thread-health`` entry point."""

from __future__ import annotations

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
