"""The README's Caddy configuration, run for real in front of `facilitator serve`.

Everything on loopback: Caddy with its own local CA (`tls internal`, the only change from
the README but the ports) on a random https port, `serve` with the README's flags on
another. Phones come from different loopback addresses (127.0.0.2, 127.0.0.3), so Caddy
sees — and forwards — different client addresses, as it would for phones on the internet.
Skipped where Caddy is not installed, except in CI (`.ci/run` installs Debian's `caddy`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver

from facilitator import templates
from facilitator.storage import Store, open_db
from tests.test_cli import free_port

ROOT = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy")

if CADDY is None and os.environ.get("CI"):
    pytest.fail("caddy is not installed: .ci/run must install it", pytrace=False)
pytestmark = [
    pytest.mark.skipif(CADDY is None, reason="caddy not installed (apt-get install caddy)"),
    pytest.mark.skipif(sys.platform != "linux", reason="other loopback addresses: Linux only"),
]


def readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Online rounds on the internet", 1)[1].split("\n## ", 1)[0]


def readme_caddyfile() -> str:
    return re.search(r"```caddy\n(.+?)```", readme_section(), re.DOTALL)[1]


def readme_serve_command() -> list[str]:
    line = re.search(r"```sh\n(facilitator serve .+?)\n```", readme_section())[1]
    return line.split()


class Loopback(AbstractResolver):
    """`localhost` is 127.0.0.1 (not ::1): Caddy here listens on IPv4 loopback only."""

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": "127.0.0.1", "port": port,
                 "family": socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self):
        pass


def wait_for_port(port: int, proc: subprocess.Popen, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited: {proc.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture(scope="module")
def behind_caddy(tmp_path_factory):
    """(public URL, serve's port, the CA file, serve's first stdout line); started once for
    the module (each phone below comes from its own address, so the tests do not meet)."""
    tmp_path = tmp_path_factory.mktemp("caddy")
    db = tmp_path / "online.db"
    store = Store(open_db(db))
    for name in ("seminaari-2", "verkkokeskustelu-2"):  # the README serves event 2
        store.create_event(templates.load(templates.resolve(name)))
    store.db.close()
    serve_port, https_port, http_port = free_port(), free_port(), free_port()
    public = f"https://localhost:{https_port}"

    command = readme_serve_command()
    assert command[:3] == ["facilitator", "serve", "2"]
    assert "--public-url" in command and "--trust-proxy" in command
    args = " ".join(command[3:]).replace("https://osallistu.example.fi", public)
    args = args.replace("--port 8080", f"--port {serve_port}").split()
    assert args == ["--host", "127.0.0.1", "--port", str(serve_port), "--public-url", public,
                    "--trust-proxy", "127.0.0.1"]

    site = readme_caddyfile()
    assert "osallistu.example.fi {" in site and "reverse_proxy 127.0.0.1:8080" in site
    site = site.replace("osallistu.example.fi {", f"{public} {{\n\ttls internal\n\tbind 127.0.0.1")
    site = site.replace("127.0.0.1:8080", f"127.0.0.1:{serve_port}")
    data = tmp_path / "caddy"
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        "{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n"
        f"\thttp_port {http_port}\n\thttps_port {https_port}\n"
        f"\tstorage file_system {data}\n}}\n\n{site}"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    serve = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", "2", *args],
        env={**os.environ, "FACILITATOR_DB": str(db)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        printed = serve.stdout.readline().strip()
        wait_for_port(https_port, caddy)
        ca = data / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 10
        while not ca.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield public, serve_port, ca, printed
    finally:
        for proc in (caddy, serve):
            proc.terminate()
        for proc in (caddy, serve):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def phone(source: str, ca: Path | None) -> aiohttp.ClientSession:
    """A phone at `source`: over https verified against Caddy's own CA, or plain http."""
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    connector = aiohttp.TCPConnector(local_addr=(source, 0), resolver=Loopback(),
                                     ssl=context if context else True)
    return aiohttp.ClientSession(connector=connector,
                                 cookie_jar=aiohttp.CookieJar(unsafe=True))


async def status_of(url: str, source: str, ca: Path | None, **headers) -> int:
    async with phone(source, ca) as session, session.get(url, headers=headers) as page:
        return page.status


async def test_a_phone_on_the_internet_joins_through_caddy(behind_caddy):
    public, _, ca, printed = behind_caddy
    code = printed.rsplit("/", 1)[1]
    assert printed == f"{public}/e/{code}" and len(code) == 10  # the public join URL
    async with phone("127.0.0.4", ca) as session:
        async with session.get(printed) as page:
            assert page.status == 200
            html = await page.text()
            cookies = page.headers.getall("Set-Cookie")
        assert code in html
        # Over https the cookies are Secure: they never travel in the clear.
        assert cookies and all("Secure" in c for c in cookies), cookies
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
        activity = re.search(r'action="/e/[A-Za-z]+/a/(\d+)"', html)
        assert csrf is None and activity is None  # nothing open yet: a page, no form


async def test_caddy_forwards_each_phones_own_address_to_the_limits(behind_caddy):
    public, serve_port, ca, _ = behind_caddy
    wrong = f"{public}/e/WRONGCODEX"
    # Phone A guesses through Caddy until refused: 30 wrong codes a burst.
    statuses = [await status_of(wrong, "127.0.0.2", ca) for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    # Phone B, another address behind the same Caddy, has its own budget.
    assert await status_of(wrong, "127.0.0.3", ca) == 404
    # A forged header through Caddy does not make A someone else: Caddy writes the
    # address it saw, and that is the one believed.
    assert await status_of(wrong, "127.0.0.2", ca, **{"X-Forwarded-For": "198.51.100.7"}) == 429
    # Straight to `serve`, not from the proxy: the header is ignored (A is still A).
    direct = f"http://127.0.0.1:{serve_port}/e/WRONGCODEX"
    assert await status_of(direct, "127.0.0.2", None,
                           **{"X-Forwarded-For": "198.51.100.8"}) == 429
