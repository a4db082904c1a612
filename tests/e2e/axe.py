"""axe-core (npm `axe-core`, kept in .ci/node by `.ci/run`) run inside the real Chromium on
a page as a participant sees it: WCAG 2.1 A and AA rules, every violation reported."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """The axe script; skipped where it is missing, except in CI (`.ci/run` installs it)."""
    if not AXE.is_file():
        reason = "axe-core is missing (npm install --prefix .ci/node axe-core)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: .ci/run must install it")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def violations(page, source: str) -> list[str]:
    """axe's violations on the page as it is now, one line each (rule, impact, where)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)  # the context bypasses the page's CSP
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))",
        TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {node}" for v in found for node in v["nodes"]]


_TAG = re.compile(r"<([a-z0-9]+)((?:\s+[a-z-]+(?:=\"[^\"]*\")?)*)\s*/?>")
_ATTR = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")


def skeleton(html: str) -> str:
    """The page's shape: its tags, their attribute names, classes and roles — not its text
    or ids. Two states of one shape give axe the same findings; checking each shape once
    keeps a walk through every form of every activity quick."""
    parts = []
    for tag, attrs in _TAG.findall(html):
        kept = [f"{name}={value}" if name in ("class", "role", "type") else name
                for name, value in _ATTR.findall(attrs)]
        parts.append(tag + "[" + ",".join(sorted(kept)) + "]")
    return hashlib.sha1(" ".join(parts).encode()).hexdigest()
