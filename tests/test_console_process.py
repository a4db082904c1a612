"""`facilitator` as the Quickstart runs it: a real process on a pseudo-terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

#: Textual leaves the alternate screen with this when it restores the terminal.
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def start_console(db, *args):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "FACILITATOR_DB": str(db), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--host", "127.0.0.1", "--port", "0", *args],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )
    os.close(slave)
    return proc, master


def _readable(fd: int, seconds: float) -> bool:
    # poll, not select: select() cannot watch a descriptor numbered 1,024 or more, which
    # a long test session in one process may reach.
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(seconds * 1000))


def read_until(master, needle: bytes, seconds: float = 20) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while needle not in seen and time.monotonic() < deadline:
        if _readable(master, 0.1):
            try:
                seen += os.read(master, 65536)
            except OSError:  # the process closed the terminal
                break
    return seen


def plain(screen: bytes) -> str:
    """What the terminal shows, without its control sequences."""
    return re.sub(r"\x1b\[[0-9;?<]*[a-zA-Z]", "", screen.decode("utf-8", "replace"))


def drain(master, proc) -> bytes:
    seen = b""
    while proc.poll() is None or _readable(master, 0.1):
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.parametrize("how", ["ctrl+q", "SIGTERM", "SIGHUP"])
def test_first_start_opens_the_bundled_seminar_and_exits_cleanly(tmp_path, how):
    db = tmp_path / "first.db"
    proc, master = start_console(db)
    try:
        screen = read_until(master, b"/e/")
        assert b"/e/" in screen, screen[-2000:]
        deadline = time.monotonic() + 10  # the first start's notice, drawn in pieces
        while "TIEDOSTO" not in plain(screen) and time.monotonic() < deadline:
            screen += read_until(master, b"\x00", 0.2)
        if how == "ctrl+q":
            os.write(master, b"\x11")
        else:
            proc.send_signal(getattr(signal, how))
        # Read to the end, as a terminal does (a full pty would block the console's
        # writes); the code may arrive in the chunk after "/e/".
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            screen += drain(master, proc)
        assert proc.wait(1) == 0
        assert LEAVE_ALT_SCREEN in screen
    finally:
        proc.kill()
        os.close(master)
    listed = subprocess.run(
        [sys.executable, "-m", "facilitator", "list", "--json"], capture_output=True,
        text=True, env={**os.environ, "FACILITATOR_DB": str(db)}, check=True,
    )
    [event] = json.loads(listed.stdout)
    assert event["template"] == "seminaari-2"
    assert event["join_code"].encode() in screen
    # Where the seminar went and how to pick another file: before the console (it stays in
    # the terminal after it) and in the console.
    text = plain(screen)
    assert (f"facilitator: first start: created event 1 (Alueellinen työpajaseminaari 2)"
            f" in {db.resolve()}; another file: facilitator --db PATH (or FACILITATOR_DB)"
            in text)
    assert "valitsimella --db TIEDOSTO" in text
