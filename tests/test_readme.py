"""The README's two Quickstart commands are what CI runs and what the package provides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


VENV = "python3 -m venv .venv"


def test_quickstart_has_exactly_two_commands():
    """Both in a virtual environment made with `python3` (Debian and Ubuntu have no
    `python` and refuse `pip install` outside a venv, PEP 668), and each program run from
    it; the tests with the exact versions the snapshots need."""
    commands = quickstart_commands()
    assert len(commands) == 2
    run, test = commands
    assert run == f"{VENV} && .venv/bin/pip install -e . && .venv/bin/python -m facilitator"
    assert test == (f"{VENV} && .venv/bin/pip install -e '.[test]' -c constraints.txt"
                    " && .venv/bin/python -m pytest")
    for command in commands:
        for step in command.split(" && ")[1:]:
            assert step.startswith(".venv/bin/"), step


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci.splitlines()


def test_every_cli_command_is_documented():
    from facilitator.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`facilitator {name}" in readme, name


def test_constraints_pin_exactly_what_pyproject_leaves_a_range():
    """Users get ranges; the tests get the versions the snapshots were drawn with."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra]
    assert not [r for r in requirements if "==" in r], "exact pins go in constraints.txt"
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert {"textual", "rich", "qrcode"} <= set(pins)
    from importlib.metadata import version

    from packaging.requirements import Requirement  # hatchling's, in the test extra

    ranges = {Requirement(r).name: Requirement(r).specifier for r in project["dependencies"]}
    for name, pinned in pins.items():
        assert pinned in ranges[name], f"{name}=={pinned} is outside {ranges[name]}"
        assert version(name) == pinned, f"{name} {version(name)} installed, {pinned} pinned"


def test_the_security_page_is_linked_and_states_the_limits_as_shipped(store):
    """docs/security.md quotes the limits; when one changes, the page must too."""
    from facilitator.web import app as web_app
    from facilitator.web.server import IDLE_TIMEOUT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/security.md)" in readme
    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    app = web_app.make_app(store)
    rows = {
        "posts per device": (app[web_app.DEVICE_LIMIT], "burst 10, then 1 a second"),
        "posts per address": (app[web_app.ADDRESS_LIMIT], "burst 2,000, then 500 a second"),
        "wrong join codes per address": (app[web_app.GUESS_LIMIT],
                                         "burst 30, then 20 a minute"),
        "wrong join codes, everyone": (app[web_app.WRONG_CODES], "burst 300, then 2 a second"),
        "new participants per address": (app[web_app.JOIN_LIMIT],
                                         "burst 300, then 5 a second"),
    }
    for name, (limiter, stated) in rows.items():
        assert f"| {name} | {stated} |" in page, name
        burst, rate = re.match(r"burst ([\d,]+), then (\d+) a (second|minute)", stated).groups()[:2]
        per = 60 if "minute" in stated else 1
        assert (limiter.burst, limiter.per_second) == (int(burst.replace(",", "")),
                                                       pytest.approx(int(rate) / per)), name
    assert f"| {int(IDLE_TIMEOUT)} s |" in page
    assert f"| {web_app.MAX_BODY // 1024} KB (413) |" in page
    assert f"| {web_app.MAX_PATH} characters (414, a page) |" in page
