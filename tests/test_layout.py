"""The core works without the console: nothing outside facilitator/tui imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"
CORE = ["facilitator.domain", "facilitator.storage", "facilitator.methods",
        "facilitator.templates", "facilitator.web", "facilitator.memo", "facilitator.cli"]


def test_no_module_outside_tui_imports_textual():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "textual" or n.startswith("textual.") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_importing_the_core_does_not_load_textual():
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + (
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
