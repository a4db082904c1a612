"""Which addresses the join URL offers: every private one, Wi-Fi first, VPNs and bridges last."""

from __future__ import annotations

import pytest

from facilitator.web import base_urls, lan_addresses, netinfo


@pytest.fixture
def interfaces(monkeypatch):
    def use(found, primary=None):
        monkeypatch.setattr(netinfo, "_interfaces", lambda: found)
        monkeypatch.setattr(netinfo, "_primary_address", lambda: primary)
    return use


def test_wifi_first_then_wired_then_vpn_and_bridges(interfaces):
    interfaces([
        ("lo", "127.0.0.1"),
        ("docker0", "172.17.0.1"),
        ("tun0", "10.8.0.5"),
        ("eth0", "192.168.10.20"),
        ("br-1a2b3c", "172.18.0.1"),
        ("wlp2s0", "10.0.40.7"),
        ("eth0", "169.254.3.3"),  # link-local: no phone is given it
        ("veth12", "172.17.0.9"),
    ], primary="10.8.0.5")  # the default route through the VPN does not make it first
    assert lan_addresses() == ["10.0.40.7", "192.168.10.20", "10.8.0.5", "172.17.0.1",
                               "172.18.0.1", "172.17.0.9"]
    assert base_urls("0.0.0.0", 8080)[0] == "http://10.0.40.7:8080"


def test_windows_and_mac_names(interfaces):
    interfaces([("vEthernet (WSL)", "172.20.0.1"), ("Ethernet", "192.168.1.4"),
                ("Wi-Fi", "192.168.0.12"), ("utun3", "100.64.0.2")], primary="192.168.1.4")
    assert lan_addresses()[:2] == ["192.168.0.12", "192.168.1.4"]
    assert lan_addresses()[-1] == "100.64.0.2"


def test_private_before_public_and_the_default_route_first_among_equals(interfaces):
    interfaces([("eth0", "93.184.216.34"), ("eth1", "192.168.5.5"), ("eth2", "10.1.1.1")],
               primary="10.1.1.1")
    assert lan_addresses() == ["10.1.1.1", "192.168.5.5", "93.184.216.34"]


def test_no_network_is_loopback_for_the_laptop_itself(interfaces, monkeypatch):
    interfaces([("lo", "127.0.0.1")])
    monkeypatch.setattr(netinfo.socket, "getaddrinfo", lambda *a, **k: [])
    assert base_urls("0.0.0.0", 80) == ["http://127.0.0.1"]
    assert base_urls("192.168.1.2", 8080) == ["http://192.168.1.2:8080"]


def test_addresses_are_asked_again_each_time():
    network = ["192.168.1.20"]
    assert base_urls("0.0.0.0", 8080, addresses=lambda: network) == ["http://192.168.1.20:8080"]
    network[:] = ["10.0.40.7"]
    assert base_urls("0.0.0.0", 8080, addresses=lambda: network) == ["http://10.0.40.7:8080"]


def test_a_public_url_is_the_only_address():
    def never():
        raise AssertionError("the LAN is not asked")

    public = netinfo.public_url("https://Osallistu.Example.fi/kunta/")
    assert public == "https://osallistu.example.fi/kunta"
    assert base_urls("0.0.0.0", 8080, public, addresses=never) == [public]
    assert netinfo.join_url(public, "ABCDEFGHJK") == (
        "https://osallistu.example.fi/kunta/e/ABCDEFGHJK")
    assert netinfo.public_url("http://203.0.113.5:8443") == "http://203.0.113.5:8443"


@pytest.mark.parametrize("wrong", ["osallistu.example.fi", "ftp://example.fi", "https://",
                                   "https://example.fi/?x=1", "https://example.fi/#top",
                                   "https://user:pw@example.fi", "https://example.fi:99999"])
def test_a_public_url_that_is_no_address_is_refused(wrong):
    with pytest.raises(ValueError):
        netinfo.public_url(wrong)
