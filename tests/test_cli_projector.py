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


def test_workshop_sets_the_wall_to_one_workshop_and_all_workshops_resets(tmp_path):
    from facilitator.storage import Store, open_db
    from facilitator.web import projector as wall

    db = tmp_path / "cli.db"
    cli("new", "seminaari-2", db=db)
    store = Store(open_db(db))
    w1, w2, _ = store.workshops(1)
    cli("projector", "1", "--workshop", w2.name.upper(), db=db)  # by name, any case
    assert wall.mode(Store(open_db(db)), 1).workshop == w2.id
    cli("projector", "1", "--workshop", str(w1.id), "--show", "join", db=db)  # by id
    assert wall.mode(Store(open_db(db)), 1) == wall.Mode(show="join", workshop=w1.id)
    cli("projector", "1", "--all-workshops", db=db)
    assert wall.mode(Store(open_db(db)), 1) == wall.Mode(show="join")
    wrong = cli("projector", "1", "--workshop", "Työpaja 9", db=db, check=False)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("facilitator: ") and w1.name in wrong.stderr
    both = cli("projector", "1", "--workshop", "1", "--all-workshops", db=db, check=False)
    assert both.returncode != 0 and "Traceback" not in both.stderr
    cli("new", "demo", db=db)
    none = cli("projector", "2", "--workshop", "1", db=db, check=False)
    assert none.returncode != 0 and "no parallel workshops" in none.stderr
