"""Connections: a cap per address, idle and slow sockets closed, descriptors running out
said in a line, never a traceback."""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request

from facilitator.web import ParticipantServer, bind_socket
from tests.web.test_participant_http import base


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bool:
    try:
        return await asyncio.wait_for(reader.read(1024), within) == b""
    except (TimeoutError, ConnectionResetError):
        return False


async def test_past_the_cap_an_address_is_refused_in_one_line(server, phone, demo, caplog):
    event, _ = demo
    server.max_per_address = 5
    idle = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(5)]
    with caplog.at_level(logging.WARNING):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        assert await closed_by_server(reader, 2.0)
        writer.close()
    lines = [r for r in caplog.records if "refused a connection" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None
    for _, w in idle:
        w.close()
    await asyncio.sleep(0.1)
    async with phone.get(f"{base(server)}/e/{event.join_code}") as r:
        assert r.status == 200


async def test_a_socket_that_never_finishes_its_headers_is_closed(store, demo):
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    server.idle_timeout = 0.5
    await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and no blank line, ever
        started = time.monotonic()
        assert await closed_by_server(reader, 5.0)
        assert time.monotonic() - started < 3.0
        writer.close()
        assert server.connections == {}
    finally:
        await server.stop()


def test_running_out_of_descriptors_is_a_line_not_a_flood(tmp_path):
    from tests.test_cli import cli, free_port

    db = tmp_path / "fd.db"
    cli("new", "demo", "--online", db=db)
    port = free_port()

    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))

    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", "1", "--host", "127.0.0.1",
         "--port", str(port), "--log", str(tmp_path / "server.log")],
        env={**os.environ, "FACILITATOR_DB": str(db)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        preexec_fn=few_files,  # noqa: PLW1509 -- only setrlimit, before exec
    )
    idle = []
    try:
        url = proc.stdout.readline().strip()
        for _ in range(80):  # more than the server can hold open
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        time.sleep(2.5)
        for s in idle:
            s.close()
        time.sleep(1.2)  # asyncio retries accept() a second after running out
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(10)
        proc.kill()
    assert proc.stderr.read() == ""  # --log: the lines go to the file
    logged = (tmp_path / "server.log").read_text()
    assert "Traceback" not in logged and "Too many open files" in logged
    assert 1 <= len(logged.splitlines()) <= 8, logged
