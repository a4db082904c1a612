"""Behind a reverse proxy: X-Forwarded-For believed only from the proxy named, and only the
part it wrote. Real server on 127.0.0.1, phones from other loopback addresses (127.0.0.2…,
all of 127/8 is this machine on Linux)."""

from __future__ import annotations

import sys

import aiohttp
import pytest

from facilitator.web import ParticipantServer, bind_socket
from facilitator.web.proxy import client_address, proxy_address

PROXY = frozenset({"127.0.0.1"})


def test_the_rightmost_address_the_proxy_did_not_write_itself():
    # A client may send any header; the proxy appends the address it saw last.
    assert client_address("127.0.0.1", ["6.6.6.6, 198.51.100.7"], PROXY) == "198.51.100.7"
    assert client_address("127.0.0.1", ["6.6.6.6", "198.51.100.7"], PROXY) == "198.51.100.7"
    # Two proxies in a chain, both trusted: the one before them is the client.
    two = frozenset({"127.0.0.1", "10.0.0.2"})
    assert client_address("127.0.0.1", ["203.0.113.9, 10.0.0.2"], two) == "203.0.113.9"
    assert client_address("127.0.0.1", ["[2001:db8::5]:4711"], PROXY) == "2001:db8::5"
    assert client_address("::ffff:127.0.0.1", ["198.51.100.7:5555"], PROXY) == "198.51.100.7"


def test_the_header_from_anyone_else_or_unreadable_counts_for_nothing():
    assert client_address("198.51.100.7", ["10.9.9.9"], PROXY) == "198.51.100.7"
    assert client_address("198.51.100.7", ["10.9.9.9"], frozenset()) == "198.51.100.7"
    # From the proxy but missing or garbage: the proxy's own address, throttled as one.
    assert client_address("127.0.0.1", [], PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", ["unknown"], PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", ["10.0.0.3, garbage"], PROXY) == "127.0.0.1"


def test_trust_proxy_takes_an_ip_address_only():
    assert proxy_address(" 127.0.0.1 ") == "127.0.0.1"
    assert proxy_address("0:0::1") == "::1"
    for wrong in ("localhost", "127.0.0.1/8", ""):
        with pytest.raises(ValueError):
            proxy_address(wrong)


async def wrong_code(port: int, source: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=connector) as phone, phone.get(
        f"http://127.0.0.1:{port}/e/WRONGCODE", headers=headers
    ) as page:
        return page.status


async def guesses_until_refused(port: int, source: str, forwarded: str | None = None) -> int:
    for n in range(1, 40):
        if await wrong_code(port, source, forwarded) == 429:
            return n
    return 0


@pytest.mark.skipif(sys.platform != "linux", reason="other loopback addresses: Linux only")
async def test_limits_count_forwarded_clients_only_from_the_trusted_proxy(store, demo):
    server = ParticipantServer(store, bind_socket("127.0.0.1", 0), trusted_proxies=PROXY)
    await server.start()
    try:
        port = server.port
        # Through the "proxy" (127.0.0.1), two clients are two budgets of 30 wrong codes.
        assert await guesses_until_refused(port, "127.0.0.1", "198.51.100.7") == 31
        assert await wrong_code(port, "127.0.0.1", "198.51.100.8") == 404
        # Anyone else's header is their own claim: 127.0.0.2 is counted as itself, so
        # naming a new address every time does not buy new guesses.
        statuses = [await wrong_code(port, "127.0.0.2", f"203.0.113.{n}") for n in range(31)]
        assert statuses[:30] == [404] * 30 and statuses[30] == 429
        # Nor does pretending to be a client that still has guesses left.
        assert await wrong_code(port, "127.0.0.2", "198.51.100.8") == 429
    finally:
        await server.stop()


async def test_without_trust_proxy_the_header_is_ignored(store, demo, server):
    assert await guesses_until_refused(server.port, "127.0.0.1", "198.51.100.7") == 31
    assert await wrong_code(server.port, "127.0.0.1", "198.51.100.9") == 429


def test_serve_refuses_a_public_url_or_proxy_that_is_no_address(tmp_path):
    from tests.test_cli import cli

    db = tmp_path / "cli.db"
    cli("new", "demo", "--online", db=db)
    wrong_url = cli("serve", "1", "--public-url", "osallistu.example.fi", db=db, check=False)
    assert wrong_url.returncode == 2
    assert "'osallistu.example.fi' is not an http:// or https:// address" in wrong_url.stderr
    wrong_proxy = cli("serve", "1", "--trust-proxy", "caddy", db=db, check=False)
    assert wrong_proxy.returncode == 2 and "is not an IP address" in wrong_proxy.stderr
