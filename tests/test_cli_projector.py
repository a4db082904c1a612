"""`facilitator serve` prints the projector's address after the join URL, `facilitator
projector` prints the same and sets what the room sees, and a server with an event
stream open still stops at once on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.test_cli import cli, free_port


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return response.read().decode()


def test_serve_prints_the_projector_address_after_the_join_url(tmp_path):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    port = free_port()
    env = {**os.environ, "FACILITATOR_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", "1", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        join = proc.stdout.readline().strip()
        wall = proc.stdout.readline().strip()
        code = json.loads(cli("list", "--json", db=db).stdout)[0]["join_code"]
        assert join == f"http://127.0.0.1:{port}/e/{code}"
        printed = cli("projector", "1", "--host", "127.0.0.1", "--port", str(port),
                      db=db).stdout.splitlines()
        assert printed == [wall]
        assert wall.startswith(f"http://127.0.0.1:{port}/p/") and len(wall.rsplit("/")[-1]) >= 22
        # Nothing open: the join screen, with the join URL the phones scan.
        page = read(wall)
        assert "<svg" in page and f"/e/<wbr>{code}" in page and code in page
        assert join.rsplit("/", 1)[0] in page
        cli("open", "1", "2", db=db)  # an activity runs: the room sees it, not the code
        assert "<svg" not in read(wall) and 'class="activity"' in read(wall)
        cli("projector", "1", "--show", "join", db=db)
        assert "<svg" in read(wall)
        # An open stream does not hold the shutdown.
        stream = urllib.request.urlopen(wall + "/stream", timeout=5)
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.readline().startswith(b"retry:")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 3
        stream.close()
    finally:
        proc.kill()


def test_a_wrong_event_is_one_line(tmp_path):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    result = cli("projector", "99", db=db, check=False)
    assert result.returncode != 0
    assert result.stderr.startswith("facilitator: ") and "Traceback" not in result.stderr
