"""The README's first Quickstart command on this machine's own Debian `python3`.

A stock Debian 12 or Ubuntu 24.04 has `python3` (no `python`) and refuses `pip install`
outside a virtual environment (PEP 668); the command makes one. Here it runs in a copy of
the project with `python3` being /usr/bin/python3, step by step as the README writes it,
except that pip takes the dependencies from the test run's own environment instead of
downloading them again (`--no-index`; they are offered through a .pth file, facilitator
itself left out) — so what is checked is the command, the venv and the package, in seconds.
Skipped where there is no Debian python3 with venv, except in CI (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.test_readme import ROOT, quickstart_commands

DEBIAN_PYTHON = Path("/usr/bin/python3")


def debian_python_with_venv() -> bool:
    if not (DEBIAN_PYTHON.exists() and Path("/etc/debian_version").exists()):
        return False
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import ensurepip, venv"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def require_debian_python() -> None:
    if debian_python_with_venv():
        return
    reason = "no Debian /usr/bin/python3 with venv (apt-get install python3 python3-venv)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run must install it")
    pytest.skip(reason)


def dependencies_dir(into: Path) -> Path:
    """This test run's installed packages, facilitator's own files left out, as links."""
    into.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("facilitator", "_facilitator", "__editable__", "_editable_impl",
                            "__pycache__")):
            continue
        if name.endswith(".pth"):
            continue
        (into / entry.name).symlink_to(entry)
    return into


def project_copy(into: Path) -> Path:
    shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node", "__pycache__", "*.db*", ".pytest_cache", "*.egg-info"))
    return into


@pytest.mark.skipif(sys.platform != "linux", reason="Debian's python3: Linux only")
def test_the_readme_command_installs_and_runs_on_debian_python3(tmp_path):
    require_debian_python()
    debian = subprocess.run([DEBIAN_PYTHON, "-c", "import sys; print(sys.version_info[:2])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if debian != str(sys.version_info[:2]):  # compiled dependencies are per minor version
        pytest.skip(f"Debian's python3 is {debian}, the tests run on {sys.version_info[:2]}")
    run_command = quickstart_commands()[0]
    make_venv, install, start = run_command.split(" && ")
    assert (make_venv, install, start) == (
        "python3 -m venv .venv", ".venv/bin/pip install -e .", ".venv/bin/python -m facilitator")

    project = project_copy(tmp_path / "facilitator")
    deps = dependencies_dir(tmp_path / "deps")
    bin_dir = tmp_path / "bin"  # `python3` is Debian's, as on a stock system
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(DEBIAN_PYTHON)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "FACILITATOR_DB": str(tmp_path / "data" / "facilitator.db"),
        # Nothing downloaded: the dependencies and the build backend (hatchling) are there.
        "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
    }

    def step(command: str, **kwargs) -> subprocess.CompletedProcess:
        done = subprocess.run(command, shell=True, cwd=project, env=env, capture_output=True,
                              text=True, timeout=300, check=False, **kwargs)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done

    step(make_venv)
    venv_python = project / ".venv" / "bin" / "python"
    assert venv_python.resolve() == DEBIAN_PYTHON.resolve()
    purelib = subprocess.run(
        [venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text(f"{deps}\n")
    step(install)
    # The console needs a terminal (tests/test_console_process.py runs it in one); the same
    # entry point, asked for a command that prints, shows the installed package works.
    listed = step(f"{start} templates")
    assert "seminaari-2" in listed.stdout
    where = step(".venv/bin/python -c 'import facilitator; print(facilitator.__file__)'")
    assert where.stdout.strip() == str(project / "facilitator" / "__init__.py")
    assert step(".venv/bin/facilitator --version").stdout.startswith("facilitator")
