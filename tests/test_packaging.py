"""The wheel carries what an installed facilitator needs beside its Python code."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_pages_and_catalogues(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("facilitator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "sessions").glob("*.toml"):
        assert f"facilitator/sessions/{template.name}" in names
    for needed in ("facilitator/web/pages/event.html", "facilitator/web/static/style.css",
                   "facilitator/locale/fi/web.toml", "facilitator/locale/en/web.toml",
                   "facilitator/tui/facilitator.tcss"):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "facilitator = facilitator.cli:main" in zipfile.ZipFile(wheel).read(
        entry_points).decode()
