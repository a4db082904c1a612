"""The join panel follows the network: another Wi-Fi, a VPN up, and the QR code changes.

The laptop's interfaces cannot be changed from a test, so the console is given its address
source (what `netinfo.lan_addresses` answers); the rest is the real console with its real
server on 127.0.0.1.
"""

from __future__ import annotations

import aiohttp
import pytest
from textual.css.query import NoMatches

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.tui import app as console_app
from facilitator.tui.widgets import QRCode
from facilitator.web import bind_socket
from tests.tui.test_console import SIZE, rendered, wait_until


def shows(app, url: str) -> bool:
    """The join panel shows `url`; False while the panel is being drawn anew (its
    widgets are replaced when the addresses change, so for a moment there is none)."""
    try:
        return rendered(app.screen.query_one("#join-url")).strip() == url
    except NoMatches:
        return False


@pytest.fixture
def event(store):
    return store.create_event(templates.load(templates.resolve("demo")))


async def test_the_qr_code_follows_when_the_network_changes(store, event, monkeypatch):
    monkeypatch.setattr(console_app, "NETWORK_SECONDS", 0.1)
    network = ["192.168.1.20"]
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    # Told it listens on every interface, so it shows the interfaces' addresses.
    app = FacilitatorApp(store, sock=sock, bind_host="0.0.0.0", addresses=lambda: list(network))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = f"http://192.168.1.20:{port}/e/{event.join_code}"
        assert rendered(app.screen.query_one("#join-url")).strip() == first
        assert app.screen.query_one("#join-qr", QRCode).data == first

        app.screen.query_one("JoinPanel").set_participants(3)
        network[:] = ["10.0.40.7", "192.168.1.20"]  # the venue Wi-Fi came up, wired stays
        moved = f"http://10.0.40.7:{port}/e/{event.join_code}"
        await wait_until(pilot, lambda: shows(app, moved))
        assert app.screen.query_one("#join-qr", QRCode).data == moved
        assert first in rendered(app.screen.query_one("#join-others"))
        assert "3" in rendered(app.screen.query_one("#participants"))  # kept across the redraw
        assert app.base_urls[0] == f"http://10.0.40.7:{port}"

        network[:] = []  # no network at all: the laptop itself, so it can still be tried
        alone = f"http://127.0.0.1:{port}/e/{event.join_code}"
        await wait_until(pilot, lambda: shows(app, alone))
        async with aiohttp.ClientSession() as phone, phone.get(alone) as page:
            assert page.status == 200


async def test_a_public_url_is_the_only_address_shown(store, event, monkeypatch):
    monkeypatch.setattr(console_app, "NETWORK_SECONDS", 0.05)
    asked = []
    sock = bind_socket("127.0.0.1", 0)
    app = FacilitatorApp(store, sock=sock, bind_host="0.0.0.0",
                         public_url="https://osallistu.example.fi/kunta",
                         addresses=lambda: asked.append(1) or ["192.168.1.20"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        url = f"https://osallistu.example.fi/kunta/e/{event.join_code}"
        assert "".join(rendered(app.screen.query_one("#join-url")).split()) == url  # wrapped
        assert app.screen.query_one("#join-qr", QRCode).data == url
        assert not app.screen.query("#join-others")
        assert asked == []  # the LAN's addresses mean nothing to phones on the internet
