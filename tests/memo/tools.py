"""External checkers the memo tests use: skipped with a reason where missing, except in CI,
where a missing tool means `.ci/run` is broken and the test must fail loudly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / ".ci" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/lib/chromium/chromium")


def require(found: bool, reason: str) -> None:
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run must install it")
    pytest.skip(reason)


def vnu() -> list[str]:
    require(VNU.is_file() and shutil.which("java") is not None,
            "the Nu HTML Checker is missing (npm install --prefix .ci/node vnu-jar; Java 17)")
    return ["java", "-jar", str(VNU), "--errors-only"]


def soffice() -> str:
    found = shutil.which("soffice")
    require(found is not None, "LibreOffice is missing (apt-get install libreoffice-writer-nogui)")
    return found


def chromium() -> str:
    require(CHROMIUM.exists(), "Debian's chromium is missing (apt-get install chromium)")
    return str(CHROMIUM)
