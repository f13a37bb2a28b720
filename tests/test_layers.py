"""The architecture holds: import-linter's contracts (pyproject.toml), no import circle, and
no import of our own modules inside a function without a comment saying why."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("service", "training") for p in sorted((ROOT / folder).rglob("*.py"))
           if "migrations" not in p.parts]


def test_the_import_contracts_are_kept():
    # In its own process: lint-imports configures logging with dictConfig, which would
    # disable the loggers other tests of this process read (the app's among them). It
    # reads pyproject.toml from the working directory.
    done = subprocess.run([Path(sys.executable).parent / "lint-imports", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_contracts_name_every_layer_of_the_issue():
    """The contracts themselves: the layers in order, training kept out of service, and
    no circle among the modules of each package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    by_type = {c["type"]: c for c in contracts}
    assert by_type["layers"]["layers"] == [
        "service.api : service.moderation", "service.services : service.webhooks : service.jobs",
        "service.scoring | service.store", "service.nlp"]
    assert {"source_modules": ["service"], "forbidden_modules": ["training"]}.items() \
        <= next(c for c in contracts if c.get("source_modules") == ["service"]).items()
    assert by_type["acyclic_siblings"]["ancestors"] == ["service", "training"]
    # Flask stays in the web layer and the app factory (external packages must be in the
    # graph for import-linter to see an import of flask at all).
    assert config["tool"]["importlinter"]["include_external_packages"] is True
    no_flask = next(c for c in contracts if "flask" in c.get("forbidden_modules", ()))
    assert {"service.store", "service.services", "service.scoring", "service.nlp"} <= set(
        no_flask["source_modules"])


def _own(node: ast.ImportFrom) -> bool:
    return node.level > 0 or (node.module or "").split(".")[0] in ("service", "training")


def _part_of_imports(line: str) -> bool:
    """A blank line or a line of an import statement (parenthesised ones included)."""
    line = line.strip()
    return (not line or line.startswith(("from ", "import ", ")"))
            or line.endswith((",", "(")))


def _unexplained_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Imports of our modules inside a function with no comment line just above them or
    above the block of imports they belong to."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for func in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if not (isinstance(node, ast.ImportFrom) and _own(node)):
                continue
            row = node.lineno - 2  # the line before, 0-based
            while row >= 0 and _part_of_imports(lines[row]):
                row -= 1
            if row < 0 or not lines[row].strip().startswith("#"):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_imports_inside_functions_say_why():
    found = [hit for path in SOURCES for hit in _unexplained_imports(path)]
    assert not found, f"own modules imported inside a function without a comment: {found}"


def test_the_import_check_sees_an_unexplained_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    x = 1\n    from service import vocab\n\n\n"
                      "def g():\n    # loaded late: heavy\n    from service import (\n"
                      "        vocab,\n    )\n    from . import x\n",
                      encoding="utf-8")
    assert _unexplained_imports(module, tmp_path) == ["m.py:3"]
