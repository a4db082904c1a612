"""The command line as a user runs it: a real process, a real database file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest


def cli(*args, db, check=True, **kwargs):
    env = {**os.environ, "FACILITATOR_DB": str(db)}
    result = subprocess.run([sys.executable, "-m", "facilitator", *args], env=env, check=False,
                            capture_output=True, text=True, timeout=60, **kwargs)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_templates_new_list_open_close(tmp_path):
    db = tmp_path / "cli.db"
    assert "seminaari-2" in cli("templates", db=db).stdout
    created = json.loads(cli("new", "demo", "--json", db=db).stdout)
    assert created["id"] == 1 and len(created["join_code"]) == 5
    events = json.loads(cli("list", "--json", db=db).stdout)
    assert events[0]["join_code"] == created["join_code"]
    activity = events[0]["activities"][0]
    assert set(activity) >= {"id", "method", "title", "state"} and activity["state"] == "draft"

    cli("open", created["join_code"].lower(), str(activity["id"]), db=db)
    assert json.loads(cli("list", "--json", db=db).stdout)[0]["activities"][0]["state"] == "open"
    cli("close", "1", str(activity["id"]), db=db)
    cli("open", "1", str(activity["id"]), db=db)  # reopening is allowed
    assert json.loads(cli("list", "--json", db=db).stdout)[0]["activities"][0]["state"] == "open"


def test_db_option_overrides_the_environment(tmp_path):
    other = tmp_path / "other.db"
    cli("new", "demo", "--db", str(other), db=tmp_path / "env.db")
    assert json.loads(cli("list", "--json", "--db", str(other), db=tmp_path / "x.db").stdout)
    assert json.loads(cli("--db", str(other), "list", "--json", db=tmp_path / "x.db").stdout)
    assert json.loads(cli("list", "--json", db=tmp_path / "env.db").stdout) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["memo", "99"], "no event with id 99"),
        (["open", "NOPEE", "1"], "no event with join code"),
        (["new", "seminaari-9"], "no such template"),
        (["open", "1", "999"], "no activity with id 999"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, args, message):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    result = cli(*args, db=db, check=False)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_template_writes_nothing(tmp_path):
    db = tmp_path / "cli.db"
    broken = tmp_path / "rikki.toml"
    broken.write_text('[event]\ntitle = "x"\n[[parts]]\ntitle = "p"\nstarts = "25:00"\n')
    result = cli("new", str(broken), db=db, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"facilitator: {broken}: parts[0].starts: must be a time HH:MM, not '25:00'"
    )
    assert json.loads(cli("list", "--json", db=db).stdout) == []


def test_unwritable_database_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("list", db=blocker / "sub" / "x.db", check=False)
    assert result.returncode == 1 and "cannot open database" in result.stderr
    assert "Traceback" not in result.stderr


def test_memo_to_file(tmp_path):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    out = tmp_path / "muistio.md"
    cli("memo", "1", "-o", str(out), db=db)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Kokeiluseminaari (demo)") and "Mitä tavoittelimme" in text
    piped = cli("memo", "1", db=db).stdout  # not a terminal: plain Markdown to redirect
    assert piped == text


def test_memo_never_overwrites_the_database(tmp_path):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    for target in (db, tmp_path / "cli.db-wal"):
        result = cli("memo", "1", "-o", str(target), db=db, check=False)
        assert result.returncode == 1 and "is the database itself" in result.stderr
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    result = cli("memo", "1", "-o", str(copy), db=db, check=False)
    assert result.returncode == 1 and "is an SQLite database" in result.stderr
    assert json.loads(cli("list", "--json", db=db).stdout)[0]["id"] == 1


def test_a_locked_database_is_one_line(tmp_path):
    import sqlite3

    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        env = {**os.environ, "FACILITATOR_DB": str(db)}
        result = subprocess.run(
            [sys.executable, "-c",
             "import sys; import facilitator.storage.db as d; d.BUSY_TIMEOUT_MS = 200; "
             "from facilitator.cli import main; sys.argv = ['facilitator', 'open', '1', '1']; "
             "main()"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("facilitator: ") and "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_the_join_url_first_and_stops_on_sigterm(tmp_path):
    db = tmp_path / "cli.db"
    code = json.loads(cli("new", "demo", "--json", db=db).stdout)["join_code"]
    port = free_port()
    env = {**os.environ, "FACILITATOR_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", code, "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()  # stdout is a pipe: this needs the explicit flush
        # Going online gives the event a 10-letter code: the room's 5 are guessable.
        online = json.loads(cli("list", "--json", db=db).stdout)[0]["join_code"]
        assert len(code) == 5 and len(online) == 10
        assert line.strip() == f"http://127.0.0.1:{port}/e/{online}"
        with urllib.request.urlopen(line.strip(), timeout=5) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as old:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/e/{code}", timeout=5)
        assert old.value.code == 404
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read().strip() == (
            f"facilitator: event 1 is online now: its join code is {online} (no longer {code})"
        )
    finally:
        proc.kill()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_new_online_gives_a_ten_letter_code(tmp_path):
    db = tmp_path / "cli.db"
    room = json.loads(cli("new", "demo", "--json", db=db).stdout)["join_code"]
    online = json.loads(cli("new", "demo", "--online", "--json", db=db).stdout)["join_code"]
    assert len(room) == 5 and len(online) == 10


def test_busy_port_is_one_line(tmp_path):
    db = tmp_path / "cli.db"
    cli("new", "demo", db=db)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for command in (["serve", "1"], ["run", "1"], []):
            result = cli(*command, "--host", "127.0.0.1", "--port", str(port), db=db,
                         check=False)
            assert result.returncode == 1
            assert result.stderr.strip() == (
                f"facilitator: port {port} on 127.0.0.1 is already in use;"
                " choose another with --port"
            )
