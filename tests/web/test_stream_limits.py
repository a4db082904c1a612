"""Hostile requests at the event streams and the projector's address, over a real server:
a token in another script, a Last-Event-ID we never sent, an oversized header, and more
streams than one client or the file limit allows (behind `--trust-proxy` too)."""

from __future__ import annotations

import asyncio
import logging
import resource

import aiohttp
import pytest
from yarl import URL

from facilitator.web import ParticipantServer, bind_socket, projector, stream

PROXY = frozenset({"127.0.0.1"})


def base(server):
    return f"http://127.0.0.1:{server.port}"


async def raw(port: int, head: bytes, until: bytes, wait: float = 3.0) -> bytes:
    """Send a request as bytes (headers as a client may really send them) and read until
    `until` appears or the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head)
    await writer.drain()
    got = b""
    try:
        async with asyncio.timeout(wait):
            while until not in got:
                chunk = await reader.read(4096)
                if not chunk:
                    break
                got += chunk
    finally:
        writer.close()
    return got


def tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_token_in_another_script_is_the_normal_404(server, store, demo, caplog):
    accented = "%C3%A9" * projector.TOKEN_CHARS  # é, 24 characters once decoded
    async with aiohttp.ClientSession() as wall:
        for path in (f"/p/{accented}", f"/p/{accented}/stream",
                     "/p/" + "%EF%BC%91" * projector.TOKEN_CHARS):  # full-width digit one
            async with wall.get(URL(base(server) + path, encoded=True)) as r:
                assert r.status == 404, path
                assert "text/html" in r.headers["Content-Type"]
        good = projector.projector_token(store.secret(), demo[0].id)
        async with wall.get(f"{base(server)}/p/{good}") as r:
            assert r.status == 200
    assert not tracebacks(caplog)


@pytest.mark.parametrize("sent", ["9" * 5000, "²", "١٢٣", "-1", "1e3", "0x10", "9" * 21],
                         ids=["5000-digits", "superscript-two", "arabic-indic", "negative",
                              "exponent", "hex", "21-digits"])
async def test_a_last_event_id_we_never_sent_starts_the_stream_afresh(
        server, store, demo, caplog, sent):
    token = projector.projector_token(store.secret(), demo[0].id)
    head = (f"GET /p/{token}/stream HTTP/1.1\r\nHost: x\r\nLast-Event-ID: {sent}\r\n\r\n"
            .encode())
    got = await raw(server.port, head, b"event: state")
    assert got.startswith(b"HTTP/1.1 200 ")
    assert b"event: state\n" in got  # the current state at once, as with no id
    assert not tracebacks(caplog)


async def test_an_oversized_header_is_a_400_and_one_line(server, demo, caplog):
    caplog.set_level(logging.WARNING)
    code = demo[0].join_code
    head = f"GET /e/{code}/stream HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 20000}\r\n\r\n".encode()
    got = await raw(server.port, head, b"\r\n\r\n")
    assert got.startswith(b"HTTP/1.0 400 ") or got.startswith(b"HTTP/1.1 400 ")
    await asyncio.sleep(0.1)
    assert not tracebacks(caplog)
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and said[0].startswith("refused a request: 400")
    assert len(said[0]) < 400


def test_the_stream_cap_leaves_a_quarter_of_the_files_to_everything_else():
    assert stream.streams_within(1024) == 768
    assert stream.streams_within(65536) == 49152
    assert stream.streams_within(200) == 72  # at least 128 kept back


async def test_the_server_sets_the_caps_from_its_file_limit(server):
    hub = server.app[stream.HUB]
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert hub.max_streams == stream.streams_within(soft) < soft
    # One client address may hold as many streams as it may hold connections.
    assert hub.max_per_address == server.max_per_address


async def open_stream(session, url: str, client: str):
    response = await session.get(url, headers={"X-Forwarded-For": client})
    if response.status == 200:
        await response.content.readuntil(b"event: state\n")
    return response


@pytest.fixture
async def proxied(store):
    srv = ParticipantServer(store, bind_socket("127.0.0.1", 0), trusted_proxies=PROXY)
    # A phone gone is found when a keep-alive cannot be written: soon, here.
    srv.app[stream.KEEPALIVE_SECONDS] = 0.2
    await srv.start()
    yield srv
    await srv.stop()


async def test_behind_the_proxy_one_client_gets_only_so_many_streams(
        proxied, store, demo, caplog):
    caplog.set_level(logging.WARNING)
    hub = proxied.app[stream.HUB]
    hub.max_per_address = 3
    url = f"{base(proxied)}/e/{demo[0].join_code}/stream"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as caddy:
        held = [await open_stream(caddy, url, "198.51.100.7") for _ in range(3)]
        assert [r.status for r in held] == [200] * 3
        # The connections all come from the trusted proxy (exempt from the connection
        # cap); the streams are counted by the client the proxy names.
        assert hub.per_address["198.51.100.7"] == 3
        refused = [await open_stream(caddy, url, "198.51.100.7") for _ in range(3)]
        assert [r.status for r in refused] == [429] * 3
        assert "text/html" in refused[0].headers["Content-Type"]
        assert "reaaliaikaista yhteyttä" in await refused[0].text()  # the room's language
        other = await open_stream(caddy, url, "198.51.100.8")
        assert other.status == 200
        # A stream closed frees its place.
        held.pop().close()
        async with asyncio.timeout(3):
            while hub.per_address["198.51.100.7"] >= 3:  # noqa: ASYNC110 (no event to await)
                await asyncio.sleep(0.05)
        again = await open_stream(caddy, url, "198.51.100.7")
        assert again.status == 200
        for response in [*held, *refused, other, again]:
            response.close()
    lines = [r.getMessage() for r in caplog.records if "event stream" in r.getMessage()]
    # Three refusals within a second: one line (the others counted into the next).
    assert lines == ["refused an event stream to 198.51.100.7: 3 already open from there"]
    assert not tracebacks(caplog)


async def test_past_the_file_limit_a_stream_gets_503_and_the_page_still_works(
        proxied, store, demo, caplog):
    caplog.set_level(logging.WARNING)
    hub = proxied.app[stream.HUB]
    hub.max_streams = 2
    event = demo[0]
    token = projector.projector_token(store.secret(), event.id)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as caddy:
        held = [await open_stream(caddy, f"{base(proxied)}/e/{event.join_code}/stream",
                                  "198.51.100.7"),
                await open_stream(caddy, f"{base(proxied)}/p/{token}/stream", "198.51.100.8")]
        assert [r.status for r in held] == [200, 200]
        for path in (f"/e/{event.join_code}/stream", f"/p/{token}/stream"):
            full = await open_stream(caddy, base(proxied) + path, "198.51.100.9")
            assert full.status == 503
            assert "text/html" in full.headers["Content-Type"]
            full.close()
        # What a refused phone falls back to (live.js polls it) still answers.
        async with caddy.get(f"{base(proxied)}/e/{event.join_code}/state",
                             headers={"X-Forwarded-For": "198.51.100.9"}) as r:
            assert r.status == 200
        for response in held:
            response.close()
    assert hub.open <= 2
    lines = [r.getMessage() for r in caplog.records if "event stream" in r.getMessage()]
    assert lines == ["refused an event stream to 198.51.100.9: 2 open, "
                     "the most the file limit allows"]
    assert not tracebacks(caplog)
